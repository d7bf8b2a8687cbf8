// Over 400 lines: every public entry point's bad values in one place, so an entry point left out
// shows.
// Every public entry point of the control plane, given bad values: a denial (a value)
// or a callsup::Error whose code says what is wrong and whose message names the bad
// value in quotes — and the service keeps working afterwards.
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/checks.hpp"
#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

struct Acme : World {
  explicit Acme(TenantSettings tenant = tenant_settings(), ServiceConfig config = {})
      : World(std::move(tenant), std::move(config)) {
    directory.add_extension(agent("744"));
    directory.add_extension(agent("745"));
    directory.add_extension(supervisor("700"));
    directory.add_group({"Support", "acme", {"744", "745"}, {"700"}});
  }
};

std::string q(const std::string& value) { return "'" + value + "'"; }

/// StandardPolicy, or an exception while `fail` is set.
class ThrowingPolicy final : public PermissionPolicy {
 public:
  Decision decide(const SupervisionRequest& request, const Call& call,
                  const Directory& directory) const override {
    if (fail.load()) throw std::runtime_error("policy backend unreachable");
    return standard.decide(request, call, directory);
  }
  mutable std::atomic<bool> fail{false};
  StandardPolicy standard;
};

class ThrowingAuditSink final : public AuditSink {
 protected:
  void do_write(const AuditRecord& record) override {
    throw std::runtime_error("disk full at record " + std::to_string(record.sequence));
  }
};

}  // namespace

TEST_CASE("bad input: unknown supervisor or target is a denial, not an error") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");

  StartOutcome out = w.service->dial("s1", "999", "*90744");
  CHECK(out.status == StartOutcome::Status::denied);
  CHECK(out.decision.reason == Reason::unknown_supervisor);
  CHECK(out.session == 0);

  out = w.service->dial("s1", "700", "*90999");
  CHECK(out.status == StartOutcome::Status::denied);
  CHECK(out.decision.reason == Reason::unknown_target);

  out = w.service->start({"s1", "999", "744", false, Mode::listen, std::nullopt, {}});
  CHECK(out.decision.reason == Reason::unknown_supervisor);
  out = w.service->start({"s1", "700", "999", false, Mode::listen, std::nullopt, {}});
  CHECK(out.decision.reason == Reason::unknown_target);
  out = w.service->start({"s1", "999", "", true, Mode::listen, std::nullopt, {}});
  CHECK(out.decision.reason == Reason::unknown_supervisor);

  CHECK(w.service->sessions().empty());
  const auto denied = w.audit->of_kind(EventKind::denied);
  REQUIRE(denied.size() == 5);
  CHECK(denied[0].supervisor == "999");
  CHECK(denied[0].detail == "*90744");
  CHECK(denied[1].target == "999");
  CHECK(w.audit->of_kind(EventKind::attempt).size() == 5);
  // The service still works.
  CHECK(w.service->dial("s1", "700", "*90744").ok());
}

TEST_CASE("bad input: malformed dial strings throw malformed_dial_string naming the string") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  for (const std::string dialled :
       {"*90abc", "*90", "", "*90 744", "*9074a", "*901234567890123456", "*90#"}) {
    CAPTURE(dialled);
    CHECK_CALLSUP_ERROR(w.service->dial("s1", "700", dialled), errc::malformed_dial_string, q(dialled));
  }
  CHECK_CALLSUP_ERROR(w.service->dial("s1", "700",
                                      std::string("*90\x01"
                                                  "44",
                                                  6)),
                      errc::malformed_dial_string, "'*90\\x0144'");
  CHECK(w.audit->size() == 0);
  CHECK(w.events->events().empty());
  CHECK(w.service->sessions().empty());
}

TEST_CASE("bad input: a string that is not ours -> not_ours, and no audit record") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  for (const std::string dialled : {"744", "+15551234567", "*72", "*9", "#", "0090744"}) {
    CAPTURE(dialled);
    const StartOutcome out = w.service->dial("s1", "700", dialled);
    CHECK(out.status == StartOutcome::Status::not_ours);
    CHECK_FALSE(out.ok());
    CHECK(out.session == 0);
  }
  CHECK(w.audit->size() == 0);
  CHECK(w.events->events().empty());
  CHECK(w.service->sessions().empty());
}

TEST_CASE("bad input: empty or conflicting plans are invalid_plan") {
  Acme w;
  FeatureCodePlan good = portaswitch_plan();
  good.name = "mine";
  w.service->add_plan(good);

  FeatureCodePlan unnamed = good;
  unnamed.name = "";
  CHECK_CALLSUP_ERROR(w.service->add_plan(unnamed), errc::invalid_plan, "name");

  FeatureCodePlan empty;
  empty.name = "empty";
  CHECK_CALLSUP_ERROR(w.service->add_plan(empty), errc::invalid_plan, "no dial code");

  FeatureCodePlan prefix = good;
  prefix.dial_codes = {{"*9", Mode::listen}, {"*90", Mode::whisper}};
  CHECK_CALLSUP_ERROR(w.service->add_plan(prefix), errc::invalid_plan, "'*9' is a prefix of '*90'");

  FeatureCodePlan twice = good;
  twice.dtmf_codes.push_back({"1", DtmfCommand::switch_to(Mode::barge)});
  CHECK_CALLSUP_ERROR(w.service->add_plan(twice), errc::invalid_plan, "DTMF code '1' is used twice");

  FeatureCodePlan spy_clash = good;
  spy_clash.spy_any_code = "*90744";  // reads as *90 + a 3-digit extension
  CHECK_CALLSUP_ERROR(w.service->add_plan(spy_clash), errc::invalid_plan, "'*90744'");

  FeatureCodePlan bad_char = good;
  bad_char.dial_codes[0].prefix = "*9x";
  CHECK_CALLSUP_ERROR(w.service->add_plan(bad_char), errc::invalid_plan, "'*9x'");

  // None of them was registered: the failed replacements of "mine" left it as it was.
  for (const char* name : {"", "empty"})
    CHECK_CALLSUP_ERROR(w.service->plan(name), errc::invalid_plan, q(name));
  CHECK(w.service->plan("mine") == good);
}

TEST_CASE("bad input: service configuration") {
  CallRegistry registry;
  Directory directory;
  directory.set_tenant(tenant_settings());

  CHECK_CALLSUP_ERROR(SupervisionService(registry, directory, nullptr), errc::invalid_argument, "policy");

  ServiceConfig unknown_default;
  unknown_default.default_plan = "nosuch";
  CHECK_CALLSUP_ERROR(
      SupervisionService(registry, directory, std::make_shared<StandardPolicy>(), unknown_default),
      errc::invalid_plan, "'nosuch'");

  ServiceConfig bad_options;
  bad_options.default_options.volume_step = 9;
  CHECK_CALLSUP_ERROR(
      SupervisionService(registry, directory, std::make_shared<StandardPolicy>(), bad_options),
      errc::invalid_argument, "'9'");

  ServiceConfig bad_plan;
  FeatureCodePlan plan = portaswitch_plan();
  plan.name = "broken";
  plan.dtmf_codes.push_back({"0", DtmfCommand::leave()});
  bad_plan.plans = {plan};
  CHECK_CALLSUP_ERROR(SupervisionService(registry, directory, std::make_shared<StandardPolicy>(), bad_plan),
                      errc::invalid_plan, "'0'");

  // A failed construction leaves no subscriber behind: later changes reach no dead service.
  registry.add_call("c1", "acme");
  directory.add_extension(agent("744"));
}

TEST_CASE("bad input: a tenant naming an unknown plan fails at dial time, naming it") {
  Acme w(tenant_settings("nosuch_plan"));
  w.external_call("c1", "744", "client", "agent744");
  CHECK_CALLSUP_ERROR(w.service->dial("s1", "700", "*90744"), errc::invalid_plan, "'nosuch_plan'");
  CHECK_CALLSUP_ERROR(w.service->start({"s1", "700", "744", false, Mode::listen, std::nullopt, {}}),
                      errc::invalid_plan, "'nosuch_plan'");
  CHECK_CALLSUP_ERROR(w.service->plan_for_supervisor("700"), errc::invalid_plan, "'nosuch_plan'");
  CHECK(w.audit->size() == 0);
  CHECK(w.service->sessions().empty());
  // A supervisor the directory does not know dials the default plan.
  CHECK(w.service->plan_for_supervisor("555").name == "portaswitch");
}

TEST_CASE("bad input: operations on ended or unknown sessions") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("s1", "700", "*90744");
  REQUIRE(out.ok());
  const SessionId id = out.session;
  const std::string sid = q(std::to_string(id));
  CHECK(w.service->stop(id));

  CHECK_CALLSUP_ERROR(w.service->switch_mode(id, Mode::whisper), errc::session_ended, sid);
  CHECK_CALLSUP_ERROR(w.service->dtmf(id, '1'), errc::session_ended, sid);
  CHECK_CALLSUP_ERROR(w.service->next(id), errc::session_ended, sid);
  CHECK_CALLSUP_ERROR(w.service->set_volume(id, 1), errc::session_ended, sid);
  CHECK_FALSE(w.service->stop(id));

  const SessionId unknown = 9999;
  const std::string uid = q("9999");
  CHECK_CALLSUP_ERROR(w.service->switch_mode(unknown, Mode::whisper), errc::unknown_session, uid);
  CHECK_CALLSUP_ERROR(w.service->dtmf(unknown, '1'), errc::unknown_session, uid);
  CHECK_CALLSUP_ERROR(w.service->next(unknown), errc::unknown_session, uid);
  CHECK_CALLSUP_ERROR(w.service->set_volume(unknown, 1), errc::unknown_session, uid);
  CHECK_CALLSUP_ERROR(w.service->stop(unknown), errc::unknown_session, uid);
  CHECK_FALSE(w.service->session(unknown).has_value());

  // Bad values on a live session.
  const StartOutcome live = w.service->dial("s2", "700", "*90744");
  REQUIRE(live.ok());
  CHECK_CALLSUP_ERROR(w.service->dtmf(live.session, 'x'), errc::invalid_argument, "'x'");
  CHECK_CALLSUP_ERROR(w.service->dtmf_from_leg("s2", 'z'), errc::invalid_argument, "'z'");
  CHECK_CALLSUP_ERROR(w.service->set_volume(live.session, 7), errc::invalid_argument, "'7'");
  CHECK(w.info(live.session).state == SessionState::active);
  CHECK(w.info(live.session).options.volume_step == 0);
}

TEST_CASE("bad input: start requests") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome first = w.service->dial("sup700", "700", "*90744");
  REQUIRE(first.ok());
  const auto records_before = w.audit->size();

  CHECK_CALLSUP_ERROR(w.service->dial("sup700", "700", "*91744"), errc::duplicate_id, "'sup700'");
  CHECK_CALLSUP_ERROR(w.service->start({"sup700", "700", "744", false, Mode::listen, std::nullopt, {}}),
                      errc::duplicate_id, "'sup700'");
  CHECK_CALLSUP_ERROR(w.service->start({"", "700", "744", false, Mode::listen, std::nullopt, {}}),
                      errc::invalid_argument, "supervisor leg");
  CHECK_CALLSUP_ERROR(w.service->start({"s2", "", "744", false, Mode::listen, std::nullopt, {}}),
                      errc::invalid_argument, "supervisor extension");
  CHECK_CALLSUP_ERROR(w.service->start({"s2", "700", "", false, Mode::listen, std::nullopt, {}}),
                      errc::invalid_argument, "target");
  CHECK_CALLSUP_ERROR(w.service->start({"s2", "700", "744", false, Mode::listen, std::nullopt, "nosuch"}),
                      errc::unknown_call, "'nosuch'");
  SessionOptions loud;
  loud.volume_step = 7;
  CHECK_CALLSUP_ERROR(w.service->dial("s2", "700", "*90744", loud), errc::invalid_argument, "'7'");
  CHECK_CALLSUP_ERROR(w.service->start({"s2", "700", "744", false, Mode::listen, loud, {}}),
                      errc::invalid_argument, "'7'");

  // Nothing was attempted, nothing changed.
  CHECK(w.audit->size() == records_before);
  CHECK(w.service->sessions().size() == 1);
  CHECK(w.info(first.session).state == SessionState::active);
  CHECK(w.info(first.session).mode == Mode::listen);
}

TEST_CASE("bad input: a supervisor leg that is already a party of the target call") {
  // The PBX hands over a leg id the call already uses. Either refused (denied) or an
  // Error naming it — but no half-started session, and the service goes on working.
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  bool refused = false;
  try {
    const StartOutcome out = w.service->dial("client", "700", "*90744");
    refused = out.status == StartOutcome::Status::denied;
    CHECK(refused);
  } catch (const Error& e) {
    INFO("what(): " << e.what());
    CHECK(e.code() == errc::duplicate_id);
    CHECK(std::string(e.what()).find("'client'") != std::string::npos);
    refused = true;
  }
  CHECK(refused);
  CHECK(w.service->sessions().empty());
  CHECK_FALSE(w.service->dtmf_from_leg("client", '1').has_value());
  CHECK_NOTHROW(w.registry.add_call("c2", "acme"));
  CHECK_NOTHROW(w.registry.end_call("c2"));
  CHECK(w.registry.observer_failures() == 0);  // the service handled both changes
  StartOutcome ok;
  CHECK_NOTHROW(ok = w.service->dial("sup700", "700", "*90744"));
  CHECK(ok.status == StartOutcome::Status::started);
  const auto r = w.routes("c1");
  REQUIRE(r);
  CHECK(r->hears("sup700", "client"));
}

TEST_CASE("bad input: taps") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  CHECK_CALLSUP_ERROR(w.service->add_tap("nosuch", Tap{"rec", false}), errc::unknown_call, "'nosuch'");
  CHECK_CALLSUP_ERROR(w.service->add_tap("c1", Tap{"", false}), errc::invalid_argument, "tap id");
  w.service->add_tap("c1", Tap{"rec", false});
  CHECK_CALLSUP_ERROR(w.service->add_tap("c1", Tap{"rec", true}), errc::duplicate_id, "'rec'");
  CHECK_CALLSUP_ERROR(w.service->remove_tap("c1", "ghost"), errc::unknown_leg, "'ghost'");
  CHECK_CALLSUP_ERROR(w.service->remove_tap("nosuch", "rec"), errc::unknown_leg, "'rec'");
  CHECK(w.routes("c1")->hears("rec", "client"));
  w.service->remove_tap("c1", "rec");
  CHECK_CALLSUP_ERROR(w.service->remove_tap("c1", "rec"), errc::unknown_leg, "'rec'");
}

TEST_CASE("bad input: a tap reusing the id of a leg of the call") {
  // Refused with duplicate_id naming it, and without leaving the tap (or a pending
  // route update) behind: the call and the service keep working.
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  CHECK_CALLSUP_ERROR(w.service->add_tap("c1", Tap{"agent744", false}), errc::duplicate_id, "'agent744'");
  CHECK_NOTHROW(w.service->add_tap("c1", Tap{"rec", false}));
  CHECK_NOTHROW(w.registry.add_call("c2", "acme"));
  CHECK(w.registry.observer_failures() == 0);  // the service handled the change
  StartOutcome out;
  CHECK_NOTHROW(out = w.service->dial("sup700", "700", "*90744"));
  CHECK(out.status == StartOutcome::Status::started);
  const auto r = w.routes("c1");
  REQUIRE(r);
  CHECK(r->hears("rec", "client"));
  CHECK(r->hears("sup700", "client"));
}

TEST_CASE("bad input: null sinks and observers") {
  Acme w;
  CHECK_CALLSUP_ERROR(w.service->add_event_sink(nullptr), errc::invalid_argument, "event sink");
  CHECK_CALLSUP_ERROR(w.service->add_audit_sink(nullptr), errc::invalid_argument, "audit sink");
  CHECK_CALLSUP_ERROR(w.service->add_route_observer(nullptr), errc::invalid_argument, "route observer");
  CHECK_CALLSUP_ERROR(FunctionEventSink(nullptr), errc::invalid_argument, "callable");
}

TEST_CASE("bad input: registry errors") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  CHECK_CALLSUP_ERROR(w.registry.add_call("c1", "acme"), errc::duplicate_id, "'c1'");
  CHECK_CALLSUP_ERROR(w.registry.add_call("", "acme"), errc::invalid_argument, "call id");
  CHECK_CALLSUP_ERROR(w.registry.add_call("c9", ""), errc::invalid_argument, "'c9'");
  CHECK_CALLSUP_ERROR(w.registry.add_leg("c1", Leg::on_net("client", "745", LegState::up)),
                      errc::duplicate_id, "'client'");
  CHECK_CALLSUP_ERROR(w.registry.add_leg("nosuch", Leg::on_net("x", "745")), errc::unknown_call, "'nosuch'");
  CHECK_CALLSUP_ERROR(w.registry.add_leg("c1", Leg::on_net("noext", "")), errc::invalid_argument, "'noext'");
  CHECK_CALLSUP_ERROR(w.registry.add_leg("c1", Leg::on_net("", "745")), errc::invalid_argument, "leg id");
  CHECK_CALLSUP_ERROR(w.registry.set_state("ghost", LegState::up), errc::unknown_leg, "'ghost'");
  CHECK_CALLSUP_ERROR(w.registry.hold("ghost"), errc::unknown_leg, "'ghost'");
  CHECK_CALLSUP_ERROR(w.registry.remove_leg("ghost"), errc::unknown_leg, "'ghost'");
  CHECK_CALLSUP_ERROR(w.registry.bridge("nosuch"), errc::unknown_call, "'nosuch'");
  CHECK_CALLSUP_ERROR(w.registry.end_call("nosuch"), errc::unknown_call, "'nosuch'");
  CHECK_CALLSUP_ERROR(w.registry.call("nosuch"), errc::unknown_call, "'nosuch'");
  CHECK_CALLSUP_ERROR(w.registry.transfer("c1", "ghost", Leg::on_net("n", "745")), errc::unknown_leg,
                      "'ghost'");
  CHECK_CALLSUP_ERROR(w.registry.transfer("c1", "agent744", Leg::on_net("client", "745")), errc::duplicate_id,
                      "'client'");
  // The call is as it was.
  const auto call = w.registry.call("c1");
  CHECK(call->legs.size() == 2);
  CHECK(call->find_leg("agent744"));
}

TEST_CASE("bad input: directory errors") {
  Acme w;
  CHECK_CALLSUP_ERROR(w.directory.add_extension(agent("744")), errc::duplicate_id, "'744'");
  CHECK_CALLSUP_ERROR(w.directory.add_extension(agent("800", "globex")), errc::unknown_tenant, "'globex'");
  CHECK_CALLSUP_ERROR(w.directory.add_extension(agent("74a")), errc::invalid_argument, "'74a'");
  CHECK_CALLSUP_ERROR(w.directory.add_extension(agent("")), errc::invalid_argument, "''");
  CHECK_CALLSUP_ERROR(w.directory.update_extension(agent("801")), errc::unknown_extension, "'801'");
  CHECK_CALLSUP_ERROR(w.directory.add_extension(agent("802", "acme", "nosite")), errc::invalid_argument,
                      "'nosite'");
  CHECK_CALLSUP_ERROR(w.directory.add_group({"Sales", "acme", {"744", "999"}, {"700"}}),
                      errc::unknown_extension, "'999'");
  CHECK_CALLSUP_ERROR(w.directory.add_group({"Support", "acme", {"744"}, {"700"}}), errc::duplicate_id,
                      "'Support'");
  CHECK_CALLSUP_ERROR(w.directory.add_group({"Sales", "globex", {}, {}}), errc::unknown_tenant, "'globex'");
  CHECK_CALLSUP_ERROR(w.directory.update_group({"Nope", "acme", {}, {}}), errc::unknown_group, "'Nope'");
  CHECK_CALLSUP_ERROR(w.directory.remove_group("Nope"), errc::unknown_group, "'Nope'");
  CHECK_CALLSUP_ERROR(w.directory.remove_extension("999"), errc::unknown_extension, "'999'");
  CHECK_CALLSUP_ERROR(w.directory.remove_extension("744"), errc::invalid_argument, "'Support'");
  CHECK_CALLSUP_ERROR(w.directory.add_site({"hq", "globex"}), errc::unknown_tenant, "'globex'");
  CHECK_CALLSUP_ERROR(w.directory.tenant("globex"), errc::unknown_tenant, "'globex'");
  CHECK_CALLSUP_ERROR(w.directory.extension("999"), errc::unknown_extension, "'999'");
  CHECK(w.directory.extension_count() == 3);
  CHECK_FALSE(w.directory.find_group("Sales"));
}

TEST_CASE("bad input: ChanSpy option letters") {
  CHECK_CALLSUP_ERROR(parse_chanspy_options("EZ"), errc::invalid_argument, "'Z'");
  CHECK_CALLSUP_ERROR(parse_chanspy_options("v(abc)"), errc::invalid_argument, "'abc'");
  CHECK_CALLSUP_ERROR(parse_chanspy_options("v(9)"), errc::invalid_argument, "'9'");
  CHECK_CALLSUP_ERROR(parse_chanspy_options("Ev(2"), errc::invalid_argument, "'Ev(2'");
}

TEST_CASE("bad input: a policy that throws denies (fail closed) and the service keeps working") {
  CallRegistry registry;
  Directory directory;
  directory.set_tenant(tenant_settings());
  directory.add_extension(agent("744"));
  directory.add_extension(supervisor("700"));
  directory.add_group({"Support", "acme", {"744"}, {"700"}});
  auto policy = std::make_shared<ThrowingPolicy>();
  ManualClock clock;
  ServiceConfig config;
  config.clock = &clock;
  SupervisionService service(registry, directory, policy, config);
  auto audit = std::make_shared<MemoryAuditSink>();
  auto subscription = service.add_audit_sink(audit);
  registry.add_call("c1", "acme");
  registry.add_leg("c1", Leg::off_net("client", "+15551230000", LegState::up));
  registry.add_leg("c1", Leg::on_net("agent744", "744", LegState::up));

  policy->fail = true;
  StartOutcome out = service.dial("sup700", "700", "*90744");
  CHECK(out.status == StartOutcome::Status::denied);
  CHECK(out.decision.reason == Reason::custom);
  CHECK(out.decision.rule.find("policy backend unreachable") != std::string::npos);
  CHECK(service.sessions().empty());
  REQUIRE(audit->of_kind(EventKind::denied).size() == 1);
  CHECK(audit->of_kind(EventKind::denied)[0].reason == Reason::custom);

  policy->fail = false;
  out = service.dial("sup700", "700", "*90744");
  REQUIRE(out.status == StartOutcome::Status::started);

  SUBCASE("a throwing re-check ends the session (fail closed)") {
    policy->fail = true;
    directory.add_extension(agent("745"));  // any directory change re-checks
    const auto info = service.session(out.session);
    REQUIRE(info);
    CHECK(info->state == SessionState::ended);
    CHECK(info->end_reason == EndReason::permission_lost);
    CHECK(info->end_decision == Reason::custom);
  }
  SUBCASE("a throwing mode-switch decision refuses the switch") {
    policy->fail = true;
    const Decision d = service.switch_mode(out.session, Mode::whisper);
    CHECK_FALSE(d.allowed);
    CHECK(d.reason == Reason::custom);
    // Fail closed: never whispering on an unanswered decision. Whether the session goes
    // on listening or ends (permission_lost, custom) is the service's choice.
    const auto info = service.session(out.session);
    REQUIRE(info);
    if (info->state == SessionState::active) {
      CHECK(info->mode == Mode::listen);
    } else {
      CHECK(info->end_reason == EndReason::permission_lost);
      CHECK(info->end_decision == Reason::custom);
    }
  }
  policy->fail = false;
  CHECK(service.dial("sup700b", "700", "*90744").ok());
}

TEST_CASE("bad input: a throwing audit sink is counted; the other sinks still get every record") {
  Acme w;  // its MemoryAuditSink comes first
  auto subscription = w.service->add_audit_sink(std::make_shared<ThrowingAuditSink>());
  auto after = std::make_shared<MemoryAuditSink>();
  auto subscription2 = w.service->add_audit_sink(after);
  w.external_call("c1", "744", "client", "agent744");

  CHECK(w.service->sink_failures() == 0);
  const StartOutcome out = w.service->dial("sup700", "700", "*90744");
  REQUIRE(out.ok());
  w.service->stop(out.session);

  const auto records = w.audit->records();
  REQUIRE(records.size() == 3);
  CHECK(after->size() == 3);
  CHECK(w.events->events().size() == 3);
  CHECK(w.service->sink_failures() == 3);
  CHECK(w.service->last_sink_failure() == "disk full at record 3");

  // A throwing event sink and route observer are counted the same way.
  auto subscription3 = w.service->add_event_sink(
      std::make_shared<FunctionEventSink>([](const Event&) { throw Error(errc::io_error, "x"); }));
  auto subscription4 =
      w.service->add_route_observer([](const SupervisionService::OnRoutesParam&) { throw 42; });
  const StartOutcome again = w.service->dial("sup700b", "700", "*90744");
  REQUIRE(again.ok());
  CHECK(after->size() == 5);
  CHECK(w.events->events().size() == 5);
  // 2 records x (audit + event sink) + 1 route update.
  CHECK(w.service->sink_failures() == 3 + 4 + 1);
  CHECK(w.service->last_sink_failure() == "unknown exception");
  CHECK(w.info(again.session).state == SessionState::active);
}

TEST_CASE("bad input: a PBX leg reusing an active supervisor's leg id leaves that supervisor out, counted") {
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome outcome = w.service->dial("sup", "700", "*90744");
  REQUIRE(outcome.ok());
  CHECK(w.routes("c1")->hears("sup", "client"));

  w.registry.add_leg("c1", Leg::on_net("sup", "745", LegState::up));  // the PBX reuses "sup"
  CHECK(w.service->route_conflicts() >= 1);
  CHECK(w.registry.observer_failures() == 0);
  const auto routes = w.routes("c1");
  CHECK(routes->hears("sup", "client"));  // the new party, as a party
  CHECK(routes->hears("client", "sup"));  // a listening supervisor would never be heard
  // The service keeps working.
  w.service->stop(outcome.session);
  CHECK(w.service->dial("sup2", "700", "*90744").ok());
}
