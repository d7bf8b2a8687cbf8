// A PBX's security incidents (bad credentials, malformed SIP) in the same audit trail as the
// supervision records: numbered in the same sequence, refused, named by the check that fired.
#include <doctest/doctest.h>

#include "callsup/json/audit_json.hpp"
#include "support/acme.hpp"

using namespace callsup;
using namespace callsup::testing;

TEST_CASE("security: an incident is audited in sequence with the supervision records") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  REQUIRE(w.service->dial("sup700", "700", "*90744").ok());
  w.service->record_security({"744", "bad_credentials", "REGISTER from 127.0.0.1:5070, 403"});

  const auto records = w.audit->records();
  REQUIRE(records.size() >= 3);
  const AuditRecord& last = records.back();
  CHECK(last.kind == EventKind::security);
  CHECK(last.sequence == records[records.size() - 2].sequence + 1);
  CHECK(last.supervisor == "744");
  CHECK(last.tenant == "acme");  // looked up in the directory
  CHECK_FALSE(last.allowed);
  CHECK(last.reason == Reason::custom);
  CHECK(last.rule == "bad_credentials");
  CHECK(last.detail == "REGISTER from 127.0.0.1:5070, 403");
  CHECK(last.session == 0);
  CHECK(w.events->of_kind(EventKind::security).size() == 1);  // event sinks see it too
  CHECK(parse_audit_line(to_json_line(last)).kind == EventKind::security);
}

TEST_CASE("security: an account nobody has gets no tenant; an incident needs a name") {
  Acme w;
  w.service->record_security({"999", "bad_credentials", "INVITE from 127.0.0.1:5071, 403"});
  w.service->record_security({"", "malformed_sip", "1 so far"});
  const auto incidents = w.audit->of_kind(EventKind::security);
  REQUIRE(incidents.size() == 2);
  CHECK(incidents[0].tenant.empty());
  CHECK(incidents[1].supervisor.empty());
  CHECK_THROWS_WITH_AS(w.service->record_security({"744", "", "no name"}), doctest::Contains("what"), Error);
  CHECK(w.audit->of_kind(EventKind::security).size() == 2);
}
