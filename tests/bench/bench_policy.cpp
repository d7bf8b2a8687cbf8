// Benchmarks of StandardPolicy::decide() at the size of the target: a directory of
// 100,000 extensions (500 groups of 200 members) and a registry of 10,000 live calls.
// Target: median decide() <= 1 us. See docs/performance.md for the numbers and commands.
//
// Standalone:
//   g++ -std=c++20 -O2 -DNDEBUG -I include tests/bench/bench_policy.cpp
//       -lbenchmark -lbenchmark_main -lpthread -o /tmp/bp

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "callsup/model/call_registry.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/standard_policy.hpp"

namespace {

using namespace callsup;

// --- fixture sizes (docs/performance.md quotes them) ------------------------------------
constexpr std::size_t kAcmeExtensions = 95'000;   // "acme": 10000..99999 (5 digits) + 100000..104999
constexpr std::size_t kGlobexExtensions = 5'000;  // "globex": 200000..204999
constexpr std::size_t kStaff = 1'000;             // last 1,000 acme extensions: supervisors, managers, admins
constexpr std::size_t kAgents = kAcmeExtensions - kStaff;  // 94,000 agents
constexpr std::size_t kSites = 20;
constexpr std::size_t kGroups = 500;
constexpr std::size_t kGroupSize = 200;
constexpr std::size_t kGroupStride = kAgents / kGroups;  // 188: neighbouring groups share 12 agents
constexpr std::size_t kSupervisorsPerGroup = 2;
constexpr std::size_t kGroupSupervisors = 250;  // each supervises 500*2/250 = 4 groups
constexpr std::size_t kSiteManagers = kSites;   // one per site
constexpr std::size_t kAdmins = 3;
constexpr std::size_t kCalls = 10'000;
constexpr std::size_t kAgentStride = 9;    // call i's agent is agent (i*9) % kAgents: distinct agents
constexpr std::size_t kPrivacyEvery = 10;  // agents with index % 10 == 3 have privacy (~1,000 of the calls)
constexpr std::size_t kPairs = 4'096;      // requests per benchmark (a power of two)

std::string acme_extension(std::size_t index) { return std::to_string(10'000 + index); }
std::string globex_extension(std::size_t index) { return std::to_string(200'000 + index); }
std::string site_name(std::size_t site) { return "acme-site-" + std::to_string(site); }
std::string group_name(std::size_t group) { return "acme-queue-" + std::to_string(group); }

bool agent_private(std::size_t agent) { return agent % kPrivacyEvery == 3; }
std::size_t group_supervisor(std::size_t slot) { return kAgents + slot; }  // staff index
std::size_t admin(std::size_t n) { return kAgents + kGroupSupervisors + kSiteManagers + n; }

/// The supervisors of group g: slots (2g) % 250 and (2g + 1) % 250 -> 4 groups per supervisor.
std::size_t supervisor_of_group(std::size_t group, std::size_t which) {
  return group_supervisor((group * kSupervisorsPerGroup + which) % kGroupSupervisors);
}
/// The first group an agent belongs to (an agent in the 12-agent overlap is in two).
std::size_t group_of_agent(std::size_t agent) { return std::min(agent / kGroupStride, kGroups - 1); }

struct Pair {
  SupervisionRequest request;
  std::shared_ptr<const Call> call;
};

struct Fixture {
  Directory directory;
  CallRegistry registry;
  StandardPolicy policy;
  std::vector<std::size_t> call_agent;  // call index -> agent index
  std::vector<CallId> call_ids;

  Fixture() {
    TenantSettings acme;
    acme.name = "acme";
    acme.bridged_only = true;  // the longest path: every rule is evaluated
    acme.whisper_topology_rule = true;
    directory.set_tenant(acme);
    TenantSettings globex;
    globex.name = "globex";
    directory.set_tenant(globex);

    for (std::size_t s = 0; s < kSites; ++s) directory.add_site({site_name(s), "acme"});
    directory.add_site({"globex-hq", "globex"});

    for (std::size_t i = 0; i < kAcmeExtensions; ++i) {
      ExtensionProfile p;
      p.extension = acme_extension(i);
      p.tenant = "acme";
      p.site = site_name(i % kSites);
      p.display_name = "Acme " + p.extension;
      if (i < kAgents) {
        p.roles = {Role::agent};
        p.privacy = agent_private(i);
      } else if (i < kAgents + kGroupSupervisors) {
        p.roles = {Role::agent, Role::supervisor};
        p.can_supervise = true;
        p.granted_modes = ModeSet::up_to(Mode::whisper);
      } else if (i < kAgents + kGroupSupervisors + kSiteManagers) {
        p.roles = {Role::site_manager};
        p.can_supervise = true;
        p.granted_modes = ModeSet::up_to(Mode::barge);
        p.managed_sites = {site_name(i - kAgents - kGroupSupervisors)};
      } else if (i < kAgents + kGroupSupervisors + kSiteManagers + kAdmins) {
        p.roles = {Role::tenant_admin};
        p.can_supervise = true;
        p.granted_modes = ModeSet::all();
      } else {
        p.roles = {Role::agent};  // back-office staff, not in any queue
      }
      directory.add_extension(std::move(p));
    }
    for (std::size_t i = 0; i < kGlobexExtensions; ++i) {
      ExtensionProfile p;
      p.extension = globex_extension(i);
      p.tenant = "globex";
      p.site = "globex-hq";
      p.roles = {i == 0 ? Role::tenant_admin : Role::agent};
      p.can_supervise = i == 0;
      p.granted_modes = i == 0 ? ModeSet::all() : ModeSet::none();
      directory.add_extension(std::move(p));
    }

    for (std::size_t g = 0; g < kGroups; ++g) {
      Group group;
      group.name = group_name(g);
      group.tenant = "acme";
      group.members.reserve(kGroupSize);
      for (std::size_t m = 0; m < kGroupSize; ++m)
        group.members.push_back(acme_extension((g * kGroupStride + m) % kAgents));
      for (std::size_t k = 0; k < kSupervisorsPerGroup; ++k)
        group.supervisors.push_back(acme_extension(supervisor_of_group(g, k)));
      directory.add_group(std::move(group));
    }

    // 10,000 bridged calls: an off-net customer and an on-net agent, both up, through the
    // agent's queue.
    call_agent.reserve(kCalls);
    call_ids.reserve(kCalls);
    for (std::size_t i = 0; i < kCalls; ++i) {
      const std::size_t agent = (i * kAgentStride) % kAgents;
      const CallId id = "call-" + std::to_string(1'000'000 + i);
      registry.add_call(id, "acme", group_name(group_of_agent(agent)));
      registry.add_leg(id, Leg::off_net(id + "-c", "+1555" + std::to_string(1'000'000 + i), LegState::up));
      registry.add_leg(id, Leg::on_net(id + "-a", acme_extension(agent), LegState::up));
      registry.bridge(id);
      call_agent.push_back(agent);
      call_ids.push_back(id);
    }
  }

  /// kPairs requests spread over the calls (stride coprime with the call count), keeping
  /// those for which `make` returns true. Checks once that each is decided `expected`.
  template <typename Make>
  std::vector<Pair> pairs(Reason expected, Make make) const {
    std::vector<Pair> out;
    out.reserve(kPairs);
    for (std::size_t n = 0, i = 0; out.size() < kPairs && n < 50 * kCalls; ++n, i = (i + 7'919) % kCalls) {
      SupervisionRequest request;
      if (!make(i, call_agent[i], request)) continue;
      out.push_back({std::move(request), registry.call(call_ids[i])});
      const Decision d = policy.decide(out.back().request, *out.back().call, directory);
      if (d.reason != expected) {
        std::fprintf(stderr, "bench_policy: %s -> %s decided %s by rule %s, expected %s\n",
                     out.back().request.supervisor.c_str(), out.back().request.target.c_str(),
                     std::string(to_string(d.reason)).c_str(), d.rule.c_str(),
                     std::string(to_string(expected)).c_str());
        std::abort();
      }
    }
    if (out.size() != kPairs) {
      std::fprintf(stderr, "bench_policy: only %zu request pairs\n", out.size());
      std::abort();
    }
    return out;
  }
};

const Fixture& fixture() {
  static const Fixture instance;
  return instance;
}

/// Runs decide() over the first `count` pairs (a power of two).
void run_decide(benchmark::State& state, const std::vector<Pair>& pairs, std::size_t count = kPairs) {
  const Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    const Pair& p = pairs[i++ & (count - 1)];
    Decision d = f.policy.decide(p.request, *p.call, f.directory);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["extensions"] = static_cast<double>(f.directory.extension_count());
  state.counters["calls"] = static_cast<double>(f.registry.size());
}

// The common path: a supervisor of the agent's queue listens; every rule passes.
const std::vector<Pair>& group_supervisor_pairs() {
  static const std::vector<Pair> pairs =
      fixture().pairs(Reason::allowed, [](std::size_t, std::size_t agent, SupervisionRequest& r) {
        if (agent_private(agent)) return false;
        r.supervisor =
            acme_extension(supervisor_of_group(group_of_agent(agent), agent % kSupervisorsPerGroup));
        r.target = acme_extension(agent);
        r.mode = Mode::listen;
        return true;
      });
  return pairs;
}
void BM_Decide_GroupSupervisor_Allowed(benchmark::State& state) {
  run_decide(state, group_supervisor_pairs());
}
BENCHMARK(BM_Decide_GroupSupervisor_Allowed);

// Diagnostic: the same path over only 8 requests, so the directory data they touch stays in
// L1/L2. The difference to BM_Decide_GroupSupervisor_Allowed is the cost of cache misses.
void BM_Decide_GroupSupervisor_Allowed_HotCache(benchmark::State& state) {
  run_decide(state, group_supervisor_pairs(), 8);
}
BENCHMARK(BM_Decide_GroupSupervisor_Allowed_HotCache);

// A tenant admin barges: the scope check stops at the role.
void BM_Decide_Admin(benchmark::State& state) {
  static const std::vector<Pair> pairs =
      fixture().pairs(Reason::allowed, [](std::size_t i, std::size_t agent, SupervisionRequest& r) {
        if (agent_private(agent)) return false;
        r.supervisor = acme_extension(admin(i % kAdmins));
        r.target = acme_extension(agent);
        r.mode = Mode::barge;
        return true;
      });
  run_decide(state, pairs);
}
BENCHMARK(BM_Decide_Admin);

// The agent has privacy on: denied by the privacy rule (after tenant, role, self checks).
void BM_Decide_DeniedPrivacy(benchmark::State& state) {
  static const std::vector<Pair> pairs =
      fixture().pairs(Reason::privacy, [](std::size_t, std::size_t agent, SupervisionRequest& r) {
        if (!agent_private(agent)) return false;
        r.supervisor = acme_extension(supervisor_of_group(group_of_agent(agent), 0));
        r.target = acme_extension(agent);
        r.mode = Mode::listen;
        return true;
      });
  run_decide(state, pairs);
}
BENCHMARK(BM_Decide_DeniedPrivacy);

// A group supervisor asks for an agent of a queue it does not supervise: every scope test
// runs (role, site, allow-list, shared group, call's group) and fails.
void BM_Decide_DeniedOutOfScope(benchmark::State& state) {
  static const std::vector<Pair> pairs =
      fixture().pairs(Reason::out_of_scope, [](std::size_t, std::size_t agent, SupervisionRequest& r) {
        if (agent_private(agent)) return false;
        // 251 groups away: supervisor slots repeat every 125 groups, so 250 would share them.
        const std::size_t far_group = (group_of_agent(agent) + kGroups / 2 + 1) % kGroups;
        r.supervisor = acme_extension(supervisor_of_group(far_group, 0));
        r.target = acme_extension(agent);
        r.mode = Mode::listen;
        return true;
      });
  run_decide(state, pairs);
}
BENCHMARK(BM_Decide_DeniedOutOfScope);

// --- registry queries, for context ------------------------------------------------------

void BM_Registry_FindCall(benchmark::State& state) {
  const Fixture& f = fixture();
  std::vector<CallId> ids;
  ids.reserve(kPairs);
  for (std::size_t n = 0, i = 0; n < kPairs; ++n, i = (i + 7'919) % kCalls) ids.push_back(f.call_ids[i]);
  std::size_t i = 0;
  for (auto _ : state) {
    auto call = f.registry.find_call(ids[i++ & (kPairs - 1)]);
    benchmark::DoNotOptimize(call);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Registry_FindCall);

void BM_Registry_CallsOfExtension(benchmark::State& state) {
  const Fixture& f = fixture();
  std::vector<std::string> extensions;
  extensions.reserve(kPairs);
  for (std::size_t n = 0, i = 0; n < kPairs; ++n, i = (i + 7'919) % kCalls)
    extensions.push_back(acme_extension(f.call_agent[i]));
  std::size_t i = 0;
  for (auto _ : state) {
    auto calls = f.registry.calls_of_extension(extensions[i++ & (kPairs - 1)]);
    benchmark::DoNotOptimize(calls);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Registry_CallsOfExtension);

}  // namespace
