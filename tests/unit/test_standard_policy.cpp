// Over 400 lines: one short case per rule of the policy, in the order the policy checks them.
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/permission_policy.hpp"
#include "callsup/policy/standard_policy.hpp"

#include "support/checks.hpp"
#include "support/world.hpp"

using namespace callsup;
using callsup::testing::agent;

// A decision denied for `expected_reason` by rule `expected_rule`.
#define CHECK_DENIED(decision_expr, expected_reason, expected_rule)                                       \
  do {                                                                                                    \
    const ::callsup::Decision checked_decision = (decision_expr);                                         \
    CHECK_FALSE(checked_decision.allowed);                                                                \
    CHECK_FALSE(static_cast<bool>(checked_decision));                                                     \
    CHECK_MESSAGE(                                                                                        \
        checked_decision.reason == (expected_reason),                                                     \
        "reason " << ::callsup::to_string(checked_decision.reason) << " rule " << checked_decision.rule); \
    CHECK(checked_decision.rule == std::string(expected_rule));                                           \
  } while (0)

// A decision that allows, with exactly `expected_modes`.
#define CHECK_ALLOWED(decision_expr, expected_modes)                                                    \
  do {                                                                                                  \
    const ::callsup::Decision checked_decision = (decision_expr);                                       \
    CHECK_MESSAGE(checked_decision.allowed, "denied: " << ::callsup::to_string(checked_decision.reason) \
                                                       << " by " << checked_decision.rule);             \
    CHECK(static_cast<bool>(checked_decision));                                                         \
    CHECK(checked_decision.reason == ::callsup::Reason::allowed);                                       \
    CHECK(checked_decision.modes.to_string() == (expected_modes).to_string());                          \
  } while (0)

namespace {

// Directory of tenant "acme" (sites hq, branch) and tenant "other":
//   100 agent hq, member of "sales"      101 agent branch, member of "support"
//   102 agent hq, no group               103 agent, no site
//   110 agent hq, privacy on             111 agent hq, privacy on (second private one)
//   900 supervisor of "sales", all modes
//   901 site manager of hq, all modes    902 tenant admin, all modes
//   903 supervisor with allow-list {102} 904 supervisor profile with can_supervise=false
//   905 tenant admin granted listen only 906 supervisor of queue "billing" (no members)
//   907 tenant admin granted {listen, barge}
//   500 agent of "other"                 590 tenant admin of "other"
ExtensionProfile boss(const std::string& ext, Role role, ModeSet modes = ModeSet::all(),
                      const std::string& tenant = "acme") {
  ExtensionProfile p = agent(ext, tenant);
  p.roles = {role};
  p.can_supervise = true;
  p.granted_modes = modes;
  return p;
}

TenantSettings acme_settings() {
  TenantSettings t;
  t.name = "acme";
  return t;
}

std::unique_ptr<Directory> make_directory(const std::function<void(TenantSettings&)>& tweak = {}) {
  auto d = std::make_unique<Directory>();
  TenantSettings acme = acme_settings();
  if (tweak) tweak(acme);
  d->set_tenant(acme);
  TenantSettings other;
  other.name = "other";
  d->set_tenant(other);
  d->add_site({"hq", "acme"});
  d->add_site({"branch", "acme"});

  d->add_extension(agent("100", "acme", "hq"));
  d->add_extension(agent("101", "acme", "branch"));
  d->add_extension(agent("102", "acme", "hq"));
  d->add_extension(agent("103"));
  auto private_agent = agent("110", "acme", "hq");
  private_agent.privacy = true;
  d->add_extension(private_agent);
  auto private_agent2 = agent("111", "acme", "hq");
  private_agent2.privacy = true;
  d->add_extension(private_agent2);

  d->add_extension(boss("900", Role::supervisor));
  auto manager = boss("901", Role::site_manager);
  manager.managed_sites = {"hq"};
  d->add_extension(manager);
  d->add_extension(boss("902", Role::tenant_admin));
  auto listed = boss("903", Role::supervisor);
  listed.allow_list = {"102"};
  d->add_extension(listed);
  auto not_allowed = boss("904", Role::tenant_admin);
  not_allowed.can_supervise = false;
  d->add_extension(not_allowed);
  d->add_extension(boss("905", Role::tenant_admin, ModeSet{Mode::listen}));
  d->add_extension(boss("906", Role::supervisor));
  d->add_extension(boss("907", Role::tenant_admin, ModeSet{Mode::listen, Mode::barge}));

  d->add_extension(agent("500", "other"));
  d->add_extension(boss("590", Role::tenant_admin, ModeSet::all(), "other"));

  d->add_group({"sales", "acme", {"100"}, {"900"}});
  d->add_group({"support", "acme", {"101"}, {}});
  d->add_group({"billing", "acme", {}, {"906"}});
  return d;
}

/// An external call: off-net customer C + agent `ext` (leg A), both up, bridged.
Call external_call(const std::string& ext, const std::string& tenant = "acme", bool bridged = true,
                   const std::string& group = {}) {
  Call call;
  call.id = "call-" + ext;
  call.tenant = tenant;
  call.bridged = bridged;
  call.group = group;
  call.legs.push_back(Leg::off_net("C", "+15550001", LegState::up));
  call.legs.push_back(Leg::on_net("A", ext, LegState::up));
  return call;
}

/// An internal call between extensions a and b, both up, bridged.
Call internal_call(const std::string& a, const std::string& b, const std::string& tenant = "acme") {
  Call call;
  call.id = "call-" + a + "-" + b;
  call.tenant = tenant;
  call.bridged = true;
  call.legs.push_back(Leg::on_net("A", a, LegState::up));
  call.legs.push_back(Leg::on_net("B", b, LegState::up));
  return call;
}

SupervisionRequest request(const std::string& supervisor, const std::string& target,
                           Mode mode = Mode::listen) {
  SupervisionRequest r;
  r.supervisor = supervisor;
  r.target = target;
  r.mode = mode;
  return r;
}

/// A custom rule: denies supervision of one extension with Reason::custom, and allows
/// `modes` otherwise.
class DenyExtensionPolicy final : public PermissionPolicy {
 public:
  DenyExtensionPolicy(std::string denied, ModeSet modes) : denied_(std::move(denied)), modes_(modes) {}
  Decision decide(const SupervisionRequest& r, const Call&, const Directory&) const override {
    ++calls;
    if (r.target == denied_) return Decision::deny(Reason::custom, "vip_customer");
    return Decision::allow(modes_, "vip_rule");
  }
  mutable int calls = 0;

 private:
  std::string denied_;
  ModeSet modes_;
};

const StandardPolicy standard;

}  // namespace

TEST_SUITE("standard_policy") {
  TEST_CASE("standard_policy: rule names are stable") {
    CHECK(rules::directory == "directory");
    CHECK(rules::tenant_enabled == "tenant_enabled");
    CHECK(rules::same_tenant == "same_tenant");
    CHECK(rules::may_supervise == "may_supervise");
    CHECK(rules::not_self == "not_self");
    CHECK(rules::privacy == "privacy");
    CHECK(rules::scope == "scope");
    CHECK(rules::mode_granted == "mode_granted");
    CHECK(rules::bridged_only == "bridged_only");
    CHECK(rules::whisper_topology == "whisper_topology");
    CHECK(rules::caps == "caps");
  }

  TEST_CASE("standard_policy: a plain allowed request gets every granted mode") {
    auto d = make_directory();
    for (Mode mode : all_modes) {
      CAPTURE(to_string(mode));
      CHECK_ALLOWED(standard.decide(request("902", "100", mode), external_call("100"), *d), ModeSet::all());
    }
    CHECK_ALLOWED(standard.decide(request("907", "100"), external_call("100"), *d),
                  (ModeSet{Mode::listen, Mode::barge}));
  }

  TEST_CASE("standard_policy: rule directory — unknown supervisor") {
    auto d = make_directory();
    CHECK_DENIED(standard.decide(request("999", "100"), external_call("100"), *d), Reason::unknown_supervisor,
                 rules::directory);
    CHECK_DENIED(standard.decide(request("", "100"), external_call("100"), *d), Reason::unknown_supervisor,
                 rules::directory);
  }

  TEST_CASE("standard_policy: rule directory — unknown target") {
    auto d = make_directory();
    CHECK_DENIED(standard.decide(request("902", "998"), external_call("998"), *d), Reason::unknown_target,
                 rules::directory);
    // Without any_call an empty target is an unknown target too.
    CHECK_DENIED(standard.decide(request("902", ""), external_call("100"), *d), Reason::unknown_target,
                 rules::directory);
  }

  TEST_CASE("standard_policy: rule tenant_enabled — supervision off for the tenant") {
    auto d = make_directory([](TenantSettings& t) { t.supervision_enabled = false; });
    for (Mode mode : all_modes)
      CHECK_DENIED(standard.decide(request("902", "100", mode), external_call("100"), *d),
                   Reason::supervision_disabled, rules::tenant_enabled);
    // Another tenant's switch does not matter.
    CHECK_ALLOWED(standard.decide(request("590", "500"), external_call("500", "other"), *d), ModeSet::all());
  }

  TEST_CASE("standard_policy: rule same_tenant — the call's tenant") {
    auto d = make_directory();
    // Supervisor and target of acme, but the call is reported under "other".
    CHECK_DENIED(standard.decide(request("902", "100"), external_call("100", "other"), *d),
                 Reason::cross_tenant, rules::same_tenant);
    // A supervisor of "other" on an acme call with an acme target.
    CHECK_DENIED(standard.decide(request("590", "100"), external_call("100"), *d), Reason::cross_tenant,
                 rules::same_tenant);
  }

  TEST_CASE("standard_policy: rule same_tenant — the target's tenant") {
    auto d = make_directory();
    // The call is acme's, but the target extension belongs to "other".
    CHECK_DENIED(standard.decide(request("902", "500"), external_call("500"), *d), Reason::cross_tenant,
                 rules::same_tenant);
    // Supervisor of "other", call of "other", target of acme.
    CHECK_DENIED(standard.decide(request("590", "100"), external_call("100", "other"), *d),
                 Reason::cross_tenant, rules::same_tenant);
  }

  TEST_CASE("standard_policy: rule may_supervise — can_supervise off") {
    auto d = make_directory();
    CHECK_DENIED(standard.decide(request("904", "100"), external_call("100"), *d), Reason::not_a_supervisor,
                 rules::may_supervise);
    // A plain agent may not supervise either.
    CHECK_DENIED(standard.decide(request("102", "100"), external_call("100"), *d), Reason::not_a_supervisor,
                 rules::may_supervise);
  }

  TEST_CASE("standard_policy: rule not_self — supervisor targets itself") {
    auto d = make_directory();
    CHECK_DENIED(standard.decide(request("902", "902"), external_call("902"), *d), Reason::self_supervision,
                 rules::not_self);
  }

  TEST_CASE("standard_policy: rule not_self — supervisor is a party of the call") {
    auto d = make_directory();
    // 902 talks to 100; 902 may not supervise 100 on that call.
    CHECK_DENIED(standard.decide(request("902", "100"), internal_call("902", "100"), *d),
                 Reason::self_supervision, rules::not_self);
    CHECK_DENIED(standard.decide(request("902", "100"), internal_call("100", "902"), *d),
                 Reason::self_supervision, rules::not_self);
    // Even while its leg is on hold or ringing.
    Call held = internal_call("100", "902");
    held.legs[1].state = LegState::held;
    CHECK_DENIED(standard.decide(request("902", "100"), held, *d), Reason::self_supervision, rules::not_self);
  }

  TEST_CASE("standard_policy: rule privacy — the target has privacy") {
    auto d = make_directory();
    CHECK_DENIED(standard.decide(request("902", "110"), external_call("110"), *d), Reason::privacy,
                 rules::privacy);
  }

  TEST_CASE("standard_policy: rule privacy — another on-net party has privacy") {
    auto d = make_directory();
    CHECK_DENIED(standard.decide(request("902", "100"), internal_call("100", "110"), *d), Reason::privacy,
                 rules::privacy);
    // Also a third party of a conference, even while held.
    Call conference = external_call("100");
    conference.legs.push_back(Leg::on_net("P", "111", LegState::held));
    CHECK_DENIED(standard.decide(request("902", "100"), conference, *d), Reason::privacy, rules::privacy);
  }

  TEST_CASE("standard_policy: rule privacy — an off-net party is never private") {
    auto d = make_directory();
    // The customer's number happens to equal a private extension: it is still off-net.
    Call call = external_call("100");
    call.legs[0].remote_number = "110";
    CHECK_ALLOWED(standard.decide(request("902", "100"), call, *d), ModeSet::all());
  }

  TEST_CASE("standard_policy: rule privacy — a private party that has gone does not count") {
    auto d = make_directory();
    Call call = internal_call("100", "110");
    call.legs[1].state = LegState::gone;
    CHECK_ALLOWED(standard.decide(request("902", "100"), call, *d), ModeSet::all());
  }

  TEST_CASE("standard_policy: rule scope — tenant admin supervises anyone of the tenant") {
    auto d = make_directory();
    for (const char* target : {"100", "101", "102", "103"}) {
      CAPTURE(target);
      CHECK_ALLOWED(standard.decide(request("902", target), external_call(target), *d), ModeSet::all());
    }
  }

  TEST_CASE("standard_policy: rule scope — site manager: its sites only") {
    auto d = make_directory();
    CHECK_ALLOWED(standard.decide(request("901", "100"), external_call("100"), *d), ModeSet::all());  // hq
    CHECK_ALLOWED(standard.decide(request("901", "102"), external_call("102"), *d), ModeSet::all());  // hq
    CHECK_DENIED(standard.decide(request("901", "101"), external_call("101"), *d), Reason::out_of_scope,
                 rules::scope);  // branch
    CHECK_DENIED(standard.decide(request("901", "103"), external_call("103"), *d), Reason::out_of_scope,
                 rules::scope);  // no site
  }

  TEST_CASE("standard_policy: rule scope — group supervisor: members of its groups") {
    auto d = make_directory();
    CHECK_ALLOWED(standard.decide(request("900", "100"), external_call("100"), *d), ModeSet::all());
    CHECK_DENIED(standard.decide(request("900", "101"), external_call("101"), *d), Reason::out_of_scope,
                 rules::scope);
    CHECK_DENIED(standard.decide(request("900", "102"), external_call("102"), *d), Reason::out_of_scope,
                 rules::scope);
  }

  TEST_CASE("standard_policy: rule scope — a call that came through a group the supervisor supervises") {
    auto d = make_directory();
    CHECK_ALLOWED(standard.decide(request("906", "102"), external_call("102", "acme", true, "billing"), *d),
                  ModeSet::all());
    CHECK_DENIED(standard.decide(request("906", "102"), external_call("102"), *d), Reason::out_of_scope,
                 rules::scope);
    CHECK_DENIED(standard.decide(request("906", "102"), external_call("102", "acme", true, "sales"), *d),
                 Reason::out_of_scope, rules::scope);
  }

  TEST_CASE("standard_policy: rule scope — allow-list") {
    auto d = make_directory();
    CHECK_ALLOWED(standard.decide(request("903", "102"), external_call("102"), *d), ModeSet::all());
    CHECK_DENIED(standard.decide(request("903", "100"), external_call("100"), *d), Reason::out_of_scope,
                 rules::scope);
  }

  TEST_CASE("standard_policy: rule scope — no scope at all is out of scope") {
    auto d = make_directory();
    d->add_extension(boss("908", Role::supervisor));  // in no group, no sites, empty allow-list
    for (const char* target : {"100", "101", "102", "103"}) {
      CAPTURE(target);
      CHECK_DENIED(standard.decide(request("908", target), external_call(target), *d), Reason::out_of_scope,
                   rules::scope);
    }
  }

  TEST_CASE("standard_policy: rule mode_granted — the decision lists the granted modes") {
    auto d = make_directory();
    const Decision whisper = standard.decide(request("905", "100", Mode::whisper), external_call("100"), *d);
    CHECK_DENIED(whisper, Reason::mode_not_granted, rules::mode_granted);
    CHECK(whisper.modes == ModeSet{Mode::listen});
    CHECK_DENIED(standard.decide(request("905", "100", Mode::barge), external_call("100"), *d),
                 Reason::mode_not_granted, rules::mode_granted);
    CHECK_ALLOWED(standard.decide(request("905", "100", Mode::listen), external_call("100"), *d),
                  ModeSet{Mode::listen});
    // Non-hierarchical grant {listen, barge}: whisper is not included.
    const Decision gap = standard.decide(request("907", "100", Mode::whisper), external_call("100"), *d);
    CHECK_DENIED(gap, Reason::mode_not_granted, rules::mode_granted);
    CHECK(gap.modes == (ModeSet{Mode::listen, Mode::barge}));
    CHECK_ALLOWED(standard.decide(request("907", "100", Mode::barge), external_call("100"), *d),
                  (ModeSet{Mode::listen, Mode::barge}));
    // can_supervise with no modes at all.
    auto none = boss("909", Role::tenant_admin, ModeSet::none());
    d->add_extension(none);
    const Decision nothing = standard.decide(request("909", "100"), external_call("100"), *d);
    CHECK_DENIED(nothing, Reason::mode_not_granted, rules::mode_granted);
    CHECK(nothing.modes.empty());
  }

  TEST_CASE("standard_policy: rule bridged_only — the tenant's flag") {
    auto d = make_directory([](TenantSettings& t) { t.bridged_only = true; });
    const Decision denied = standard.decide(request("902", "100"), external_call("100", "acme", false), *d);
    CHECK_DENIED(denied, Reason::not_bridged, rules::bridged_only);
    CHECK_ALLOWED(standard.decide(request("902", "100"), external_call("100", "acme", true), *d),
                  ModeSet::all());
  }

  TEST_CASE("standard_policy: rule bridged_only — the request's flag") {
    auto d = make_directory();
    SupervisionRequest r = request("902", "100");
    CHECK_ALLOWED(standard.decide(r, external_call("100", "acme", false), *d), ModeSet::all());
    r.bridged_only = true;
    CHECK_DENIED(standard.decide(r, external_call("100", "acme", false), *d), Reason::not_bridged,
                 rules::bridged_only);
    CHECK_ALLOWED(standard.decide(r, external_call("100", "acme", true), *d), ModeSet::all());
  }

  TEST_CASE(
      "standard_policy: rule whisper_topology — on-net agent with off-net customer may be whispered to") {
    auto d = make_directory([](TenantSettings& t) { t.whisper_topology_rule = true; });
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::whisper), external_call("100"), *d),
                  ModeSet::all());
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::listen), external_call("100"), *d),
                  ModeSet::all());
    // Two off-net customers (a three-way with the agent) are still "outside".
    Call three_way = external_call("100");
    three_way.legs.push_back(Leg::off_net("D", "+15550002", LegState::up));
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::whisper), three_way, *d), ModeSet::all());
  }

  TEST_CASE("standard_policy: rule whisper_topology — two on-net parties") {
    auto d = make_directory([](TenantSettings& t) { t.whisper_topology_rule = true; });
    const ModeSet without_whisper{Mode::listen, Mode::barge};
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::listen), internal_call("100", "102"), *d),
                  without_whisper);
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::barge), internal_call("100", "102"), *d),
                  without_whisper);
    const Decision whisper =
        standard.decide(request("902", "100", Mode::whisper), internal_call("100", "102"), *d);
    CHECK_DENIED(whisper, Reason::whisper_topology, rules::whisper_topology);
    CHECK(whisper.modes == without_whisper);
    // A conference of agent, customer and another on-net extension breaks the topology too.
    Call conference = external_call("100");
    conference.legs.push_back(Leg::on_net("P", "103", LegState::up));
    CHECK_DENIED(standard.decide(request("902", "100", Mode::whisper), conference, *d),
                 Reason::whisper_topology, rules::whisper_topology);
    // ... unless that extension has gone.
    conference.legs.back().state = LegState::gone;
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::whisper), conference, *d), ModeSet::all());
  }

  TEST_CASE("standard_policy: rule whisper_topology — off without the tenant's rule") {
    auto d = make_directory();
    CHECK_ALLOWED(standard.decide(request("902", "100", Mode::whisper), internal_call("100", "102"), *d),
                  ModeSet::all());
  }

  TEST_CASE("standard_policy: rule caps — supervisors per call") {
    auto d = make_directory();  // default: 3 supervisors, 1 barger
    SupervisionRequest r = request("902", "100");
    r.other_supervisors = 2;
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *d), ModeSet::all());
    r.other_supervisors = 3;
    CHECK_DENIED(standard.decide(r, external_call("100"), *d), Reason::supervisor_cap, rules::caps);
    r.other_supervisors = 7;
    CHECK_DENIED(standard.decide(r, external_call("100"), *d), Reason::supervisor_cap, rules::caps);

    auto one = make_directory([](TenantSettings& t) { t.limits.max_supervisors_per_call = 1; });
    r.other_supervisors = 0;
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *one), ModeSet::all());
    r.other_supervisors = 1;
    CHECK_DENIED(standard.decide(r, external_call("100"), *one), Reason::supervisor_cap, rules::caps);
  }

  TEST_CASE("standard_policy: rule caps — bargers per call") {
    auto d = make_directory();
    const ModeSet without_barge{Mode::listen, Mode::whisper};
    SupervisionRequest r = request("902", "100");
    r.other_supervisors = 1;
    r.other_bargers = 1;
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *d), without_barge);
    r.mode = Mode::whisper;
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *d), without_barge);
    r.mode = Mode::barge;
    const Decision barge = standard.decide(r, external_call("100"), *d);
    CHECK_DENIED(barge, Reason::barge_cap, rules::caps);
    CHECK(barge.modes == without_barge);
    r.other_bargers = 0;
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *d), ModeSet::all());

    auto two = make_directory([](TenantSettings& t) { t.limits.max_bargers_per_call = 2; });
    r.other_bargers = 1;
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *two), ModeSet::all());
    r.other_bargers = 2;
    CHECK_DENIED(standard.decide(r, external_call("100"), *two), Reason::barge_cap, rules::caps);

    auto zero = make_directory([](TenantSettings& t) { t.limits.max_bargers_per_call = 0; });
    r.other_bargers = 0;
    CHECK_DENIED(standard.decide(r, external_call("100"), *zero), Reason::barge_cap, rules::caps);
  }

  TEST_CASE("standard_policy: first failure wins") {
    auto d = make_directory();
    auto off = make_directory([](TenantSettings& t) {
      t.supervision_enabled = false;
      t.bridged_only = true;
      t.whisper_topology_rule = true;
    });
    auto strict = make_directory([](TenantSettings& t) {
      t.bridged_only = true;
      t.whisper_topology_rule = true;
    });

    SUBCASE("unknown target before tenant disabled") {
      CHECK_DENIED(standard.decide(request("902", "998"), external_call("998"), *off), Reason::unknown_target,
                   rules::directory);
    }
    SUBCASE("unknown supervisor before unknown target") {
      CHECK_DENIED(standard.decide(request("999", "998"), external_call("998"), *d),
                   Reason::unknown_supervisor, rules::directory);
    }
    SUBCASE("tenant disabled before cross tenant, not a supervisor, privacy...") {
      CHECK_DENIED(standard.decide(request("904", "110"), external_call("110", "other", false), *off),
                   Reason::supervision_disabled, rules::tenant_enabled);
    }
    SUBCASE("cross tenant before not a supervisor") {
      CHECK_DENIED(standard.decide(request("904", "100"), external_call("100", "other"), *d),
                   Reason::cross_tenant, rules::same_tenant);
    }
    SUBCASE("not a supervisor before self") {
      CHECK_DENIED(standard.decide(request("904", "904"), external_call("904"), *d), Reason::not_a_supervisor,
                   rules::may_supervise);
    }
    SUBCASE("self before privacy") {
      CHECK_DENIED(standard.decide(request("902", "110"), internal_call("110", "902"), *d),
                   Reason::self_supervision, rules::not_self);
    }
    SUBCASE("privacy before scope") {
      CHECK_DENIED(standard.decide(request("903", "110"), external_call("110"), *d), Reason::privacy,
                   rules::privacy);
    }
    SUBCASE("scope before mode") {
      auto d2 = make_directory();
      auto narrow = boss("908", Role::supervisor, ModeSet{Mode::listen});
      d2->add_extension(narrow);
      CHECK_DENIED(standard.decide(request("908", "100", Mode::barge), external_call("100"), *d2),
                   Reason::out_of_scope, rules::scope);
    }
    SUBCASE("mode before bridged-only") {
      CHECK_DENIED(
          standard.decide(request("905", "100", Mode::barge), external_call("100", "acme", false), *strict),
          Reason::mode_not_granted, rules::mode_granted);
    }
    SUBCASE("bridged-only before whisper topology") {
      Call call = internal_call("100", "102");
      call.bridged = false;
      CHECK_DENIED(standard.decide(request("902", "100", Mode::whisper), call, *strict), Reason::not_bridged,
                   rules::bridged_only);
    }
    SUBCASE("whisper topology before caps") {
      SupervisionRequest r = request("902", "100", Mode::whisper);
      r.other_supervisors = 3;
      r.other_bargers = 1;
      CHECK_DENIED(standard.decide(r, internal_call("100", "102"), *strict), Reason::whisper_topology,
                   rules::whisper_topology);
    }
    SUBCASE("supervisor cap before barge cap") {
      SupervisionRequest r = request("902", "100", Mode::barge);
      r.other_supervisors = 3;
      r.other_bargers = 1;
      CHECK_DENIED(standard.decide(r, external_call("100"), *d), Reason::supervisor_cap, rules::caps);
    }
  }

  TEST_CASE("standard_policy: spy-all with no target skips the target rules") {
    auto d = make_directory();
    SupervisionRequest r = request("900", "");
    r.any_call = true;
    // 101 is outside 900's scope, but a spy-all request asks about the tenant's calls at all.
    CHECK_ALLOWED(standard.decide(r, external_call("101"), *d), ModeSet::all());
    CHECK_ALLOWED(standard.decide(r, external_call("998"), *d), ModeSet::all());  // unknown agent in the call
    // Rules that are not about the target still apply.
    CHECK_DENIED(standard.decide(r, external_call("101", "other"), *d), Reason::cross_tenant,
                 rules::same_tenant);
    CHECK_DENIED(standard.decide(r, external_call("110"), *d), Reason::privacy, rules::privacy);
    CHECK_DENIED(standard.decide(r, internal_call("900", "101"), *d), Reason::self_supervision,
                 rules::not_self);
    r.supervisor = "904";
    CHECK_DENIED(standard.decide(r, external_call("101"), *d), Reason::not_a_supervisor,
                 rules::may_supervise);
    r.supervisor = "905";
    r.mode = Mode::barge;
    CHECK_DENIED(standard.decide(r, external_call("101"), *d), Reason::mode_not_granted, rules::mode_granted);
    r.supervisor = "999";
    CHECK_DENIED(standard.decide(r, external_call("101"), *d), Reason::unknown_supervisor, rules::directory);

    auto off = make_directory([](TenantSettings& t) { t.supervision_enabled = false; });
    r.supervisor = "902";
    r.mode = Mode::listen;
    CHECK_DENIED(standard.decide(r, external_call("101"), *off), Reason::supervision_disabled,
                 rules::tenant_enabled);
  }

  TEST_CASE("standard_policy: spy-all that names a target still checks it") {
    auto d = make_directory();
    SupervisionRequest r = request("900", "101");
    r.any_call = true;
    CHECK_DENIED(standard.decide(r, external_call("101"), *d), Reason::out_of_scope, rules::scope);
    r.target = "998";
    CHECK_DENIED(standard.decide(r, external_call("998"), *d), Reason::unknown_target, rules::directory);
    r.target = "100";
    CHECK_ALLOWED(standard.decide(r, external_call("100"), *d), ModeSet::all());
  }

  TEST_CASE("standard_policy: the decision follows the directory as it changes") {
    auto d = make_directory();
    CHECK_ALLOWED(standard.decide(request("900", "100"), external_call("100"), *d), ModeSet::all());
    auto agent = *d->extension("100");
    agent.privacy = true;
    d->update_extension(agent);
    CHECK_DENIED(standard.decide(request("900", "100"), external_call("100"), *d), Reason::privacy,
                 rules::privacy);
    agent.privacy = false;
    d->update_extension(agent);
    d->update_group({"sales", "acme", {}, {"900"}});
    CHECK_DENIED(standard.decide(request("900", "100"), external_call("100"), *d), Reason::out_of_scope,
                 rules::scope);
  }

  TEST_CASE("standard_policy: AllOfPolicy — every policy allows, modes intersect") {
    auto d = make_directory();
    auto vip = std::make_shared<DenyExtensionPolicy>("102", ModeSet{Mode::listen, Mode::whisper});
    const AllOfPolicy all({std::make_shared<StandardPolicy>(), vip});
    const Decision listen = all.decide(request("902", "100"), external_call("100"), *d);
    CHECK_ALLOWED(listen, (ModeSet{Mode::listen, Mode::whisper}));
    CHECK_ALLOWED(all.decide(request("902", "100", Mode::whisper), external_call("100"), *d),
                  (ModeSet{Mode::listen, Mode::whisper}));
    // The standard policy allows barge, the custom one does not: the intersection decides.
    const Decision barge = all.decide(request("902", "100", Mode::barge), external_call("100"), *d);
    CHECK_FALSE(barge.allowed);
    CHECK(barge.reason == Reason::mode_not_granted);
    CHECK(barge.modes == (ModeSet{Mode::listen, Mode::whisper}));
    CHECK_FALSE(barge.rule.empty());

    // Intersection with the standard policy's narrowed modes (barge cap) too.
    SupervisionRequest capped = request("902", "100");
    capped.other_bargers = 1;
    const auto barge_only = std::make_shared<DenyExtensionPolicy>("none", ModeSet{Mode::listen, Mode::barge});
    const AllOfPolicy both({std::make_shared<StandardPolicy>(), barge_only});
    CHECK_ALLOWED(both.decide(capped, external_call("100"), *d), ModeSet{Mode::listen});
  }

  TEST_CASE("standard_policy: AllOfPolicy — the first denial wins") {
    auto d = make_directory();
    auto vip = std::make_shared<DenyExtensionPolicy>("102", ModeSet::all());
    const AllOfPolicy standard_first({std::make_shared<StandardPolicy>(), vip});
    const AllOfPolicy custom_first({vip, std::make_shared<StandardPolicy>()});

    // Only the custom policy denies.
    const Decision custom = standard_first.decide(request("902", "102"), external_call("102"), *d);
    CHECK_DENIED(custom, Reason::custom, "vip_customer");
    CHECK(custom.modes.empty());

    // Both deny (102 is outside 900's scope): the first in the list decides.
    CHECK_DENIED(standard_first.decide(request("900", "102"), external_call("102"), *d), Reason::out_of_scope,
                 rules::scope);
    CHECK_DENIED(custom_first.decide(request("900", "102"), external_call("102"), *d), Reason::custom,
                 "vip_customer");

    // A denial stops the evaluation: later policies are not asked.
    const int before = vip->calls;
    (void)standard_first.decide(request("999", "100"), external_call("100"), *d);
    CHECK(vip->calls == before);
  }

  TEST_CASE("standard_policy: AllOfPolicy — a single policy behaves like that policy") {
    auto d = make_directory();
    const AllOfPolicy only({std::make_shared<StandardPolicy>()});
    CHECK_ALLOWED(only.decide(request("905", "100"), external_call("100"), *d), ModeSet{Mode::listen});
    CHECK_DENIED(only.decide(request("905", "100", Mode::barge), external_call("100"), *d),
                 Reason::mode_not_granted, rules::mode_granted);
    CHECK_DENIED(only.decide(request("902", "110"), external_call("110"), *d), Reason::privacy,
                 rules::privacy);
  }

  TEST_CASE("standard_policy: AllOfPolicy — constructor errors") {
    CHECK_CALLSUP_ERROR(AllOfPolicy({}), errc::invalid_argument, "at least one");
    CHECK_CALLSUP_ERROR(AllOfPolicy({nullptr}), errc::invalid_argument, "#0");
    CHECK_CALLSUP_ERROR(AllOfPolicy({std::make_shared<StandardPolicy>(), nullptr}), errc::invalid_argument,
                        "#1");
  }

}  // TEST_SUITE
