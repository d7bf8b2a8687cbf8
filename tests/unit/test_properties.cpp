// Over 400 lines: the generators, the invariants and the runs that check them are one property
// suite.
// Property tests: random calls, legs, sessions, DTMF and directory changes, checked
// after every step against invariants computed independently of the policy code.
// A failure prints the seed; rerun one with CALLSUP_PROPERTY_SEED=<seed>.
#include <doctest/doctest.h>

#include <cstdlib>
#include <random>
#include <set>
#include <sstream>

#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

struct Violation {
  std::string what;
};

/// How much the scenarios exercised: a property test that never reaches a whisper
/// proves nothing about whispers, so the test asserts minimum coverage.
struct Coverage {
  std::uint64_t active[3] = {0, 0, 0};  // active sessions seen per mode, over all steps
  std::uint64_t routes_checked = 0;
  std::uint64_t ended_by_recheck = 0;
};

class Scenario {
 public:
  Scenario(std::uint64_t seed, Coverage& coverage) : seed_(seed), rng_(seed), coverage_(coverage) {
    build_directory();
  }
  ~Scenario() { coverage_.ended_by_recheck += w_.audit->of_kind(EventKind::ended).size(); }

  void run(int steps) {
    for (int step = 0; step < steps; ++step) {
      step_ = step;
      random_step();
      check_invariants();
    }
  }

  std::string where() const {
    std::ostringstream out;
    out << "seed " << seed_ << " step " << step_ << " after: " << last_op_;
    return out.str();
  }

 private:
  // --- world ------------------------------------------------------------------------

  void build_directory() {
    for (const char* name : {"t1", "t2"}) {
      TenantSettings t;
      t.name = name;
      t.supervision_enabled = chance(0.95);
      t.bridged_only = chance(0.1);
      t.whisper_topology_rule = chance(0.3);
      t.limits.max_supervisors_per_call = pick(1, 3);
      t.limits.max_bargers_per_call = pick(1, 2);
      w_.directory.set_tenant(t);
    }
    w_.directory.add_site({"s1", "t1"});
    w_.directory.add_site({"s2", "t1"});
    for (const char* ext : {"101", "102", "103", "104", "105", "106"}) {
      ExtensionProfile p = agent(ext, "t1", std::string(ext) <= "103" ? "s2" : "s1");
      p.privacy = chance(0.1);
      w_.directory.add_extension(p);
    }
    add_supervisor("201", "t1", {});                    // group supervisor
    add_supervisor("202", "t1", {Role::site_manager});  // manages s1
    add_supervisor("203", "t1", {Role::tenant_admin});
    add_supervisor("204", "t1", {});              // allow-list only
    ExtensionProfile plain = agent("205", "t1");  // may not supervise
    w_.directory.add_extension(plain);
    ExtensionProfile other = agent("301", "t2");
    w_.directory.add_extension(other);
    add_supervisor("302", "t2", {Role::tenant_admin});
    w_.directory.add_group({"G1", "t1", {"101", "102", "103"}, {"201"}});
    w_.directory.add_group({"Q", "t1", {"104"}, {"204"}});
  }

  void add_supervisor(const std::string& ext, const std::string& tenant, std::vector<Role> roles) {
    ExtensionProfile p = supervisor(ext, random_modes(), tenant);
    if (!roles.empty()) p.roles = roles;
    if (ext == "202") p.managed_sites = {"s1"};
    if (ext == "204") p.allow_list = {"106"};
    p.privacy = chance(0.05);
    w_.directory.add_extension(p);
  }

  ModeSet random_modes() {
    return ModeSet::from_bits(static_cast<std::uint8_t>(chance(0.1) ? 0 : pick(1, 7)));
  }

  // --- random steps -----------------------------------------------------------------

  void random_step() {
    // Start with a couple of calls and a session so that most steps act on something.
    const int roll = step_ < 2 ? 0 : step_ < 4 ? 40 : pick(0, 99);
    try {
      if (roll < 18) return new_call();
      if (roll < 26) return change_leg_state();
      if (roll < 31) return remove_leg();
      if (roll < 35) return end_call();
      if (roll < 38) return transfer();
      if (roll < 56) return start_session();
      if (roll < 70) return press_digit();
      if (roll < 76) return switch_mode();
      if (roll < 80) return next_or_stop();
      if (roll < 92) return change_directory();
      if (roll < 96) return add_tap();
      return add_third_party();
    } catch (const Error& e) {
      // Ops are drawn at random, so some hit ended sessions or vanished legs; those
      // must be Errors with a known code, never anything else.
      if (e.code() != errc::session_ended && e.code() != errc::unknown_leg &&
          e.code() != errc::unknown_call && e.code() != errc::duplicate_id &&
          e.code() != errc::unknown_session)
        throw Violation{"unexpected error " + std::string(to_string(e.code())) + ": " + e.what()};
    }
  }

  void new_call() {
    const bool tenant2 = chance(0.15);
    const std::string id = "c" + std::to_string(++counter_);
    const std::string group = chance(0.3) ? "Q" : "";
    w_.registry.add_call(id, tenant2 ? "t2" : "t1", group);
    last_op_ = "new_call " + id;
    const int kind = pick(0, 3);
    const std::string agent_ext = tenant2 ? "301" : random_t1_agent();
    if (kind == 0) {  // internal call between two extensions
      w_.registry.add_leg(id, Leg::on_net(leg_id(), agent_ext, random_state()));
      w_.registry.add_leg(id, Leg::on_net(leg_id(), tenant2 ? "302" : random_t1_agent(), random_state()));
    } else {
      w_.registry.add_leg(id, Leg::off_net(leg_id(), "+1555" + std::to_string(counter_), random_state()));
      w_.registry.add_leg(id, Leg::on_net(leg_id(), agent_ext, random_state()));
    }
    if (chance(0.8)) w_.registry.bridge(id);
  }

  void add_third_party() {
    auto call = random_call();
    if (!call) return;
    last_op_ = "add_third_party " + call->id;
    w_.registry.add_leg(
        call->id, Leg::on_net(leg_id(), call->tenant == "t2" ? "301" : random_t1_agent(), LegState::up));
  }

  void change_leg_state() {
    auto leg = random_leg();
    if (leg.empty()) return;
    static constexpr LegState states[] = {LegState::up, LegState::up, LegState::held, LegState::ringing,
                                          LegState::gone};
    const LegState state = states[pick(0, 4)];
    last_op_ = "set_state " + leg + " " + std::string(to_string(state));
    w_.registry.set_state(leg, state);
  }

  void remove_leg() {
    auto leg = random_leg();
    if (leg.empty()) return;
    last_op_ = "remove_leg " + leg;
    w_.registry.remove_leg(leg);
  }

  void end_call() {
    auto call = random_call();
    if (!call) return;
    last_op_ = "end_call " + call->id;
    w_.registry.end_call(call->id);
  }

  void transfer() {
    auto call = random_call();
    if (!call || call->legs.empty()) return;
    const Leg& from = call->legs[static_cast<std::size_t>(pick(0, static_cast<int>(call->legs.size()) - 1))];
    last_op_ = "transfer " + call->id + " " + from.id;
    w_.registry.transfer(
        call->id, from.id,
        Leg::on_net(leg_id(), call->tenant == "t2" ? "301" : random_t1_agent(), LegState::up));
  }

  void start_session() {
    static const char* supervisors[] = {"201", "203", "202", "203", "204", "205", "302", "101", "999", "201"};
    const std::string sup = supervisors[chance(0.6) ? pick(0, 1) : pick(0, 9)];
    const std::string sup_leg = "sup" + std::to_string(++counter_);
    SessionOptions options;
    options.exit_on_target_hangup = chance(0.6);
    options.stop_when_none_left = chance(0.5);
    options.bridged_only = chance(0.2);
    options.private_whisper = chance(0.2);
    options.listen_direction = static_cast<ListenDirection>(pick(0, 2));
    options.stereo = chance(0.2);
    options.follow_on_transfer = chance(0.4);
    options.pre_arm = chance(0.3);
    options.monitoring_tone = chance(0.2);
    options.whisper_to = chance(0.3) ? WhisperTo::other_party : WhisperTo::target;
    options.agent_leaves_in_barge =
        chance(0.5) ? AgentLeavesInBarge::end_call : AgentLeavesInBarge::supervisor_takes_over;
    options.volume_step = pick(-4, 4);
    const Mode mode = static_cast<Mode>(pick(0, 2));
    if (chance(0.25)) {
      last_op_ = "spy-all by " + sup;
      w_.service->start({sup_leg, sup, "", true, mode, options, {}});
      return;
    }
    const std::string target = chance(0.1) ? "301" : random_t1_agent();
    static const char* prefixes[] = {"*90", "*91", "*92"};
    const std::string dialled = prefixes[static_cast<int>(mode)] + target;
    last_op_ = "dial " + dialled + " by " + sup;
    w_.service->dial(sup_leg, sup, dialled, options);
  }

  void press_digit() {
    auto id = random_session();
    if (!id) return;
    static const char digits[] = "0123456789*#";
    const char digit = digits[pick(0, 11)];
    last_op_ = "dtmf " + std::to_string(id) + " " + digit;
    w_.service->dtmf(id, digit);
  }

  void switch_mode() {
    auto id = random_session();
    if (!id) return;
    const Mode mode = static_cast<Mode>(pick(0, 2));
    last_op_ = "switch " + std::to_string(id) + " " + std::string(to_string(mode));
    w_.service->switch_mode(id, mode, chance(0.3) ? WhisperTo::other_party : WhisperTo::target);
  }

  void next_or_stop() {
    auto id = random_session();
    if (!id) return;
    last_op_ = "next/stop " + std::to_string(id);
    if (chance(0.5)) {
      w_.service->next(id);
    } else {
      w_.service->stop(id);
    }
  }

  void change_directory() {
    const int what = pick(0, 5);
    const std::string ext = random_any_ext();
    auto profile = w_.directory.find_extension(ext);
    ExtensionProfile changed = *profile;
    switch (what) {
    case 0: changed.privacy = !changed.privacy; break;
    case 1: changed.granted_modes = random_modes(); break;
    case 2: changed.can_supervise = !changed.can_supervise; break;
    case 3: {
      auto tenant = *w_.directory.tenant(changed.tenant);
      tenant.supervision_enabled = !tenant.supervision_enabled || chance(0.5);
      last_op_ = "tenant " + tenant.name + " enabled=" + std::to_string(tenant.supervision_enabled);
      w_.directory.set_tenant(tenant);
      return;
    }
    case 4: {
      Group g = *w_.directory.find_group("G1");
      if (chance(0.5) && !g.members.empty()) {
        g.members.pop_back();
      } else {
        g.members = {"101", "102", "103"};
      }
      last_op_ = "group G1 members=" + std::to_string(g.members.size());
      w_.directory.update_group(g);
      return;
    }
    default: {
      changed.site = changed.tenant == "t1" ? (chance(0.5) ? "s1" : "s2") : "";
      break;
    }
    }
    last_op_ = "directory change " + std::to_string(what) + " on " + ext;
    w_.directory.update_extension(changed);
  }

  void add_tap() {
    auto call = random_call();
    if (!call) return;
    last_op_ = "add_tap " + call->id;
    w_.service->add_tap(call->id, Tap{"tap" + std::to_string(++counter_), false});
    taps_.insert("tap" + std::to_string(counter_));
  }

  // --- invariants (independent of StandardPolicy's code) ----------------------------

  void check_invariants() {
    const auto sessions = w_.service->sessions();
    std::map<std::string, const SessionInfo*> by_leg;
    for (const auto& s : sessions) by_leg[s.supervisor_leg] = &s;

    for (const auto& call : w_.registry.all_calls()) {
      auto routes = w_.service->routes(call->id);
      if (!routes) continue;
      std::set<std::string> members;
      for (const Leg& leg : call->legs) members.insert(leg.id);
      for (const auto& s : sessions)
        if (s.state == SessionState::active && s.call == call->id) members.insert(s.supervisor_leg);
      coverage_.routes_checked += routes->routes.size();
      for (const Route& r : routes->routes) {
        if (r.from == r.to) fail("leg " + r.from + " hears itself in " + call->id);
        const bool from_tap = taps_.count(r.from) != 0;
        if (from_tap) fail("tap " + r.from + " is heard in " + call->id);
        if (!members.count(r.from) || (!members.count(r.to) && !taps_.count(r.to)))
          fail("route " + r.from + "->" + r.to + " crosses into call " + call->id);
        auto sup = by_leg.find(r.from);
        if (sup == by_leg.end()) {
          const Leg* leg = call->find_leg(r.from);
          if (!leg || leg->state != LegState::up) fail("route from a party not up: " + r.from);
          continue;
        }
        const SessionInfo& s = *sup->second;
        if (s.mode == Mode::listen) fail("someone hears listening supervisor " + s.supervisor_leg);
        if (s.mode == Mode::whisper) {
          if (taps_.count(r.to)) fail("tap " + r.to + " hears a whisper");
          if (r.to != s.whisper_leg)
            fail(r.to + " hears whisperer " + s.supervisor_leg + " (not its target)");
        }
      }
    }

    for (const auto& s : sessions) {
      if (s.state != SessionState::active) continue;
      ++coverage_.active[static_cast<int>(s.mode)];
      auto call = w_.registry.find_call(s.call);
      if (!call) fail("active session " + std::to_string(s.id) + " on a call that has ended");
      const auto sup = w_.directory.find_extension(s.supervisor);
      if (!sup) fail("active session of unknown supervisor " + s.supervisor);
      if (!sup->can_supervise) fail("active session of " + s.supervisor + " who may not supervise");
      if (!w_.directory.tenant(sup->tenant)->supervision_enabled) fail("active session in a disabled tenant");
      if (call->tenant != sup->tenant) fail("session across tenants on " + call->id);
      if (!sup->granted_modes.contains(s.mode))
        fail("session " + std::to_string(s.id) + " in ungranted mode " + std::string(to_string(s.mode)));
      for (const Leg& leg : call->legs) {
        if (leg.network != Network::on_net || leg.state == LegState::gone) continue;
        auto profile = w_.directory.find_extension(leg.extension);
        if (profile && profile->privacy)
          fail("session on " + call->id + " with private party " + leg.extension);
        if (leg.extension == s.supervisor) fail("supervisor " + s.supervisor + " supervises its own call");
      }
      if (!oracle_in_scope(*sup, s.target, *call))
        fail("target " + s.target + " outside the scope of " + s.supervisor);
    }
  }

  bool oracle_in_scope(const ExtensionProfile& sup, const std::string& target, const Call& call) const {
    auto t = w_.directory.find_extension(target);
    if (!t) return false;
    for (Role role : sup.roles)
      if (role == Role::tenant_admin) return true;
    for (const auto& site : sup.managed_sites)
      if (site == t->site) return true;
    for (const auto& allowed : sup.allow_list)
      if (allowed == target) return true;
    for (const char* name : {"G1", "Q"}) {
      auto g = w_.directory.find_group(name);
      if (!g) continue;
      bool supervises = false;
      for (const auto& s : g->supervisors) supervises = supervises || s == sup.extension;
      if (!supervises) continue;
      if (call.group == name) return true;
      for (const auto& m : g->members)
        if (m == target) return true;
    }
    return false;
  }

  [[noreturn]] void fail(const std::string& what) const { throw Violation{what}; }

  // --- randomness -------------------------------------------------------------------

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  LegState random_state() {
    return chance(0.85) ? LegState::up : (chance(0.5) ? LegState::ringing : LegState::held);
  }
  std::string random_t1_agent() { return std::to_string(101 + pick(0, 5)); }
  std::string random_any_ext() {
    static const char* all[] = {"101", "102", "103", "104", "105", "106", "201",
                                "202", "203", "204", "205", "301", "302"};
    return all[pick(0, 12)];
  }
  std::string leg_id() { return "l" + std::to_string(++counter_); }
  std::shared_ptr<const Call> random_call() {
    auto calls = w_.registry.all_calls();
    if (calls.empty()) return nullptr;
    return calls[static_cast<std::size_t>(pick(0, static_cast<int>(calls.size()) - 1))];
  }
  std::string random_leg() {
    auto call = random_call();
    if (!call || call->legs.empty()) return {};
    return call->legs[static_cast<std::size_t>(pick(0, static_cast<int>(call->legs.size()) - 1))].id;
  }
  SessionId random_session() {
    auto sessions = w_.service->sessions();
    if (sessions.empty() || chance(0.1)) return counter_ % 7 + 1;  // sometimes an ended or unknown id
    return sessions[static_cast<std::size_t>(pick(0, static_cast<int>(sessions.size()) - 1))].id;
  }

  std::uint64_t seed_;
  std::mt19937_64 rng_;
  Coverage& coverage_;
  World w_;
  std::set<std::string> taps_;
  int counter_ = 0;
  int step_ = 0;
  std::string last_op_ = "setup";
};

// A positive whole number from the environment, or `fallback` when unset; anything else fails
// the test (a typo must not run zero scenarios and pass).
std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  char* end = nullptr;
  const std::uint64_t number = std::strtoull(value, &end, 10);
  if (*end != '\0' || number == 0) FAIL(name << "=" << value << " is not a positive whole number");
  return number;
}

}  // namespace

// 100,000 scenarios by default; the asan test preset runs 20,000 (CALLSUP_PROPERTY_SCENARIOS):
// under ASan they take minutes, and the dev run covers them all.
TEST_CASE("properties hold over seeded random scenarios (100,000 unless CALLSUP_PROPERTY_SCENARIOS)") {
  const std::uint64_t only_seed = env_number("CALLSUP_PROPERTY_SEED", 0);
  const std::uint64_t scenarios = only_seed ? 1 : env_number("CALLSUP_PROPERTY_SCENARIOS", 100000);
  const std::uint64_t first = only_seed ? only_seed : 1;
  std::uint64_t failures = 0;
  Coverage coverage;
  for (std::uint64_t seed = first; seed < first + scenarios && failures < 3; ++seed) {
    Scenario scenario(seed, coverage);
    try {
      scenario.run(24);
    } catch (const Violation& v) {
      ++failures;
      FAIL_CHECK(scenario.where() << ": " << v.what << "  (rerun: CALLSUP_PROPERTY_SEED=" << seed << ")");
    }
  }
  CHECK(failures == 0);
  MESSAGE("scenarios: " << scenarios << ", active session-steps listen/whisper/barge: " << coverage.active[0]
                        << "/" << coverage.active[1] << "/" << coverage.active[2] << ", routes checked: "
                        << coverage.routes_checked << ", sessions ended: " << coverage.ended_by_recheck);
  if (!only_seed) {
    // Every mode must be reached in a good share of the scenarios.
    for (std::uint64_t seen : coverage.active) CHECK(seen >= scenarios / 4);
    CHECK(coverage.routes_checked >= scenarios * 10);
  }
}
