// Over 400 lines: every mutator and the events it publishes, one case each, around one EventLog
// fixture.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/model/call_registry.hpp"

#include "support/checks.hpp"

using namespace callsup;

namespace {

/// Records every event an observer receives.
struct EventLog {
  std::mutex mutex;
  std::vector<RegistryEvent> events;

  CallRegistry::Observer observer() {
    return [this](const RegistryEvent& event) {
      std::lock_guard lock(mutex);
      events.push_back(event);
    };
  }
  /// The kinds received, "call_added,leg_added,..." (readable in a failed CHECK).
  std::string kinds() {
    std::lock_guard lock(mutex);
    std::string out;
    for (const auto& e : events) out += (out.empty() ? "" : ",") + std::string(to_string(e.kind));
    return out;
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return events.size();
  }
  void clear() {
    std::lock_guard lock(mutex);
    events.clear();
  }
};

std::string names(std::initializer_list<RegistryEventKind> kinds) {
  std::string out;
  for (auto kind : kinds) out += (out.empty() ? "" : ",") + std::string(to_string(kind));
  return out;
}

/// "c1,c2": the ids of the calls, in order.
std::string ids_of(const std::vector<std::shared_ptr<const Call>>& calls) {
  std::string out;
  for (const auto& call : calls) out += (out.empty() ? "" : ",") + call->id;
  return out;
}

/// "C1,A1": the ids of the call's legs, in order.
std::string leg_ids(const Call& call) {
  std::string out;
  for (const auto& leg : call.legs) out += (out.empty() ? "" : ",") + leg.id;
  return out;
}

/// c1: customer (off-net, C1) calling agent 100 (on-net, A1), both ringing.
void add_simple_call(CallRegistry& registry, const CallId& id = "c1", const std::string& ext = "100",
                     const LegId& customer = "C1", const LegId& agent_leg = "A1") {
  registry.add_call(id, "acme");
  registry.add_leg(id, Leg::off_net(customer, "+15550001"));
  registry.add_leg(id, Leg::on_net(agent_leg, ext));
}

}  // namespace

TEST_SUITE("call_registry") {
  TEST_CASE("call_registry: add_call creates an empty call with tenant, group and a growing sequence") {
    CallRegistry registry;
    CHECK(registry.size() == 0);
    CHECK(registry.find_call("c1") == nullptr);
    registry.add_call("c1", "acme");
    registry.add_call("c2", "acme", "sales");
    CHECK(registry.size() == 2);
    auto c1 = registry.call("c1");
    auto c2 = registry.find_call("c2");
    REQUIRE(c1);
    REQUIRE(c2);
    CHECK(c1->id == "c1");
    CHECK(c1->tenant == "acme");
    CHECK(c1->group.empty());
    CHECK(c1->legs.empty());
    CHECK_FALSE(c1->bridged);
    CHECK(c2->group == "sales");
    CHECK(c1->sequence > 0);
    CHECK(c2->sequence > c1->sequence);
  }

  TEST_CASE("call_registry: legs are added in order and change state") {
    CallRegistry registry;
    add_simple_call(registry);
    auto call = registry.call("c1");
    REQUIRE(call->legs.size() == 2);
    CHECK(leg_ids(*call) == "C1,A1");
    CHECK(call->legs[0].network == Network::off_net);
    CHECK(call->legs[0].remote_number == "+15550001");
    CHECK(call->legs[1].network == Network::on_net);
    CHECK(call->legs[1].extension == "100");
    CHECK(call->legs[1].state == LegState::ringing);

    registry.answer("A1");
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::up);
    CHECK(registry.call("c1")->find_leg("C1")->state == LegState::ringing);
    registry.hold("A1");
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::held);
    registry.unhold("A1");
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::up);
    registry.set_state("C1", LegState::up);
    CHECK(registry.call("c1")->find_leg("C1")->state == LegState::up);
    registry.set_state("A1", LegState::gone);
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::gone);
    // A gone leg stays in the call until removed.
    CHECK(registry.call("c1")->legs.size() == 2);
    CHECK(registry.call("c1")->present_legs() == 1);
    CHECK(registry.call("c1")->leg_of_extension("100") == nullptr);

    // Leg state is per leg: another call's legs are untouched.
    add_simple_call(registry, "c2", "101", "C2", "A2");
    registry.answer("A2");
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::gone);
    CHECK(registry.call("c2")->find_leg("C2")->state == LegState::ringing);
  }

  TEST_CASE("call_registry: bridge and unbridge") {
    CallRegistry registry;
    add_simple_call(registry);
    registry.bridge("c1");
    CHECK(registry.call("c1")->bridged);
    registry.bridge("c1", false);
    CHECK_FALSE(registry.call("c1")->bridged);
    registry.bridge("c1", true);
    CHECK(registry.call("c1")->bridged);
  }

  TEST_CASE("call_registry: a leg answered on a ringing call and the media format is kept") {
    CallRegistry registry;
    registry.add_call("c1", "acme");
    Leg leg = Leg::on_net("A1", "100");
    leg.format.codec = "PCMA";
    leg.format.ptime_ms = 30;
    registry.add_leg("c1", leg);
    registry.answer("A1");
    const Leg* stored = registry.call("c1")->find_leg("A1");
    REQUIRE(stored);
    CHECK(stored->format.codec == "PCMA");
    CHECK(stored->format.ptime_ms == 30);
    CHECK(stored->state == LegState::up);
  }

  TEST_CASE("call_registry: snapshots taken before a change never change (copy-on-write)") {
    CallRegistry registry;
    registry.add_call("c1", "acme");
    auto empty = registry.call("c1");

    registry.add_leg("c1", Leg::off_net("C1", "+15550001"));
    auto one_leg = registry.call("c1");
    CHECK(empty->legs.empty());
    CHECK(one_leg->legs.size() == 1);
    CHECK(one_leg != empty);

    registry.add_leg("c1", Leg::on_net("A1", "100"));
    auto ringing = registry.call("c1");
    CHECK(one_leg->legs.size() == 1);

    registry.answer("A1");
    auto answered = registry.call("c1");
    CHECK(ringing->find_leg("A1")->state == LegState::ringing);
    CHECK(answered->find_leg("A1")->state == LegState::up);

    registry.hold("A1");
    CHECK(answered->find_leg("A1")->state == LegState::up);
    registry.unhold("A1");

    auto unbridged = registry.call("c1");
    registry.bridge("c1");
    CHECK_FALSE(unbridged->bridged);
    CHECK(registry.call("c1")->bridged);

    auto before_transfer = registry.call("c1");
    registry.transfer("c1", "A1", Leg::on_net("A2", "101", LegState::up));
    CHECK(leg_ids(*before_transfer) == "C1,A1");
    CHECK(leg_ids(*registry.call("c1")) == "C1,A2");

    auto before_remove = registry.call("c1");
    registry.remove_leg("A2");
    CHECK(leg_ids(*before_remove) == "C1,A2");
    CHECK(leg_ids(*registry.call("c1")) == "C1");

    auto before_end = registry.call("c1");
    registry.end_call("c1");
    CHECK(registry.find_call("c1") == nullptr);
    CHECK(before_end->id == "c1");
    CHECK(leg_ids(*before_end) == "C1");
    CHECK(before_end->bridged);

    // Snapshots from lists are snapshots too.
    add_simple_call(registry, "c2", "100", "C2", "A3");
    auto listed = registry.all_calls();
    registry.answer("A3");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]->find_leg("A3")->state == LegState::ringing);
  }

  TEST_CASE("call_registry: a no-op change keeps the same snapshot") {
    CallRegistry registry;
    add_simple_call(registry);
    registry.answer("A1");
    auto before = registry.call("c1");
    registry.answer("A1");
    registry.bridge("c1", false);
    CHECK(registry.call("c1") == before);
  }

  TEST_CASE("call_registry: find_call_of_leg follows legs through add, transfer, remove and end") {
    CallRegistry registry;
    add_simple_call(registry);
    add_simple_call(registry, "c2", "200", "C2", "B1");
    REQUIRE(registry.find_call_of_leg("A1"));
    CHECK(registry.find_call_of_leg("A1")->id == "c1");
    CHECK(registry.find_call_of_leg("C2")->id == "c2");
    CHECK(registry.find_call_of_leg("nope") == nullptr);
    // The returned snapshot is the current one.
    registry.answer("A1");
    CHECK(registry.find_call_of_leg("C1")->find_leg("A1")->state == LegState::up);

    registry.transfer("c1", "A1", Leg::on_net("A9", "109"));
    CHECK(registry.find_call_of_leg("A1") == nullptr);
    REQUIRE(registry.find_call_of_leg("A9"));
    CHECK(registry.find_call_of_leg("A9")->id == "c1");

    registry.remove_leg("A9");
    CHECK(registry.find_call_of_leg("A9") == nullptr);
    CHECK(registry.find_call_of_leg("C1")->id == "c1");

    registry.end_call("c1");
    CHECK(registry.find_call_of_leg("C1") == nullptr);
    CHECK(registry.find_call_of_leg("C2")->id == "c2");
  }

  TEST_CASE("call_registry: ids may be reused once their call or leg is gone") {
    CallRegistry registry;
    add_simple_call(registry);
    registry.remove_leg("A1");
    registry.add_leg("c1", Leg::on_net("A1", "100"));  // a removed leg's id is free again
    registry.transfer("c1", "A1", Leg::on_net("A2", "101"));
    registry.add_leg("c1", Leg::on_net("A1", "100"));  // a transferred-away leg's id is free again
    CHECK(leg_ids(*registry.call("c1")) == "C1,A2,A1");
    const auto old_sequence = registry.call("c1")->sequence;
    registry.end_call("c1");
    add_simple_call(registry);  // call id and leg ids free after end_call
    CHECK(registry.call("c1")->sequence > old_sequence);
    CHECK(registry.call("c1")->legs.size() == 2);
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::ringing);
  }

  TEST_CASE("call_registry: transfer puts the new leg in the old leg's place") {
    CallRegistry registry;
    add_simple_call(registry);
    registry.answer("A1");
    registry.answer("C1");
    registry.bridge("c1");
    registry.transfer("c1", "A1", Leg::on_net("A2", "101", LegState::ringing));
    auto call = registry.call("c1");
    CHECK(leg_ids(*call) == "C1,A2");
    CHECK(call->find_leg("A2")->extension == "101");
    CHECK(call->find_leg("A2")->state == LegState::ringing);
    CHECK(call->find_leg("C1")->state == LegState::up);
    CHECK(call->bridged);
    CHECK(call->find_leg("A1") == nullptr);
    // The customer can be transferred too (off-net to off-net).
    registry.transfer("c1", "C1", Leg::off_net("C9", "+15559999", LegState::up));
    CHECK(leg_ids(*registry.call("c1")) == "C9,A2");
  }

  TEST_CASE("call_registry: calls_of_extension lists oldest first, whatever the ids") {
    CallRegistry registry;
    // Ids chosen so that name order and age order disagree.
    add_simple_call(registry, "zeta", "100", "C1", "A1");
    add_simple_call(registry, "alpha", "200", "C2", "B1");
    registry.add_leg("alpha", Leg::on_net("A2", "100"));
    add_simple_call(registry, "mid", "100", "C3", "A3");
    CHECK(ids_of(registry.calls_of_extension("100")) == "zeta,alpha,mid");
    CHECK(ids_of(registry.calls_of_extension("200")) == "alpha");
    CHECK(registry.calls_of_extension("999").empty());
    // Off-net numbers are not extensions.
    CHECK(registry.calls_of_extension("+15550001").empty());
    // The snapshots are current.
    registry.answer("A3");
    CHECK(registry.calls_of_extension("100")[2]->find_leg("A3")->state == LegState::up);
  }

  TEST_CASE("call_registry: all_calls lists every live call oldest first") {
    CallRegistry registry;
    CHECK(registry.all_calls().empty());
    for (const char* id : {"m", "b", "z", "a", "q", "c1", "c10", "c2"}) registry.add_call(id, "acme");
    CHECK(ids_of(registry.all_calls()) == "m,b,z,a,q,c1,c10,c2");
    registry.end_call("z");
    registry.end_call("m");
    CHECK(ids_of(registry.all_calls()) == "b,a,q,c1,c10,c2");
    registry.add_call("m", "acme");  // a new call with an old id is the newest
    CHECK(ids_of(registry.all_calls()) == "b,a,q,c1,c10,c2,m");
    CHECK(registry.size() == 7);
  }

  TEST_CASE("call_registry: the extension index follows transfer, remove_leg and end_call") {
    CallRegistry registry;
    add_simple_call(registry);                           // c1: C1 + A1(100)
    add_simple_call(registry, "c2", "100", "C2", "A2");  // c2: C2 + A2(100)
    CHECK(ids_of(registry.calls_of_extension("100")) == "c1,c2");

    SUBCASE("transfer moves the call from the old extension to the new one") {
      registry.transfer("c1", "A1", Leg::on_net("B1", "101"));
      CHECK(ids_of(registry.calls_of_extension("100")) == "c2");
      CHECK(ids_of(registry.calls_of_extension("101")) == "c1");
      // ... and back again.
      registry.transfer("c1", "B1", Leg::on_net("A9", "100"));
      CHECK(ids_of(registry.calls_of_extension("100")) == "c1,c2");
      CHECK(registry.calls_of_extension("101").empty());
    }
    SUBCASE("transfer to an off-net number drops the extension") {
      registry.transfer("c2", "A2", Leg::off_net("X2", "+15558888"));
      CHECK(ids_of(registry.calls_of_extension("100")) == "c1");
    }
    SUBCASE("transfer of the customer leaves the agent's index alone") {
      registry.transfer("c1", "C1", Leg::off_net("C9", "+15557777"));
      CHECK(ids_of(registry.calls_of_extension("100")) == "c1,c2");
    }
    SUBCASE("remove_leg drops the call from the extension") {
      registry.remove_leg("A1");
      CHECK(ids_of(registry.calls_of_extension("100")) == "c2");
      registry.remove_leg("A2");
      CHECK(registry.calls_of_extension("100").empty());
      CHECK(registry.size() == 2);  // calls stay until ended
    }
    SUBCASE("two legs of one extension in one call: the call stays until both left") {
      registry.add_leg("c1", Leg::on_net("A1b", "100"));
      CHECK(ids_of(registry.calls_of_extension("100")) == "c1,c2");
      registry.remove_leg("A1");
      CHECK(ids_of(registry.calls_of_extension("100")) == "c1,c2");
      registry.transfer("c1", "A1b", Leg::on_net("Q1", "300"));
      CHECK(ids_of(registry.calls_of_extension("100")) == "c2");
      CHECK(ids_of(registry.calls_of_extension("300")) == "c1");
    }
    SUBCASE("end_call drops the call from every extension of its legs") {
      registry.add_leg("c1", Leg::on_net("B1", "101"));
      registry.end_call("c1");
      CHECK(ids_of(registry.calls_of_extension("100")) == "c2");
      CHECK(registry.calls_of_extension("101").empty());
      registry.end_call("c2");
      CHECK(registry.calls_of_extension("100").empty());
      CHECK(registry.size() == 0);
      CHECK(registry.all_calls().empty());
    }
  }

  TEST_CASE("call_registry: add_call errors") {
    CallRegistry registry;
    CHECK_CALLSUP_ERROR(registry.add_call("", "acme"), errc::invalid_argument, "call id");
    CHECK_CALLSUP_ERROR(registry.add_call("c1", ""), errc::invalid_argument, "'c1'");
    registry.add_call("c1", "acme");
    CHECK_CALLSUP_ERROR(registry.add_call("c1", "acme"), errc::duplicate_id, "'c1'");
    CHECK_CALLSUP_ERROR(registry.add_call("c1", "other", "g"), errc::duplicate_id, "'c1'");
    CHECK(registry.size() == 1);
    CHECK(registry.call("c1")->tenant == "acme");
    CHECK_CALLSUP_ERROR(registry.call("nope"), errc::unknown_call, "'nope'");
  }

  TEST_CASE("call_registry: add_leg errors") {
    CallRegistry registry;
    add_simple_call(registry);
    registry.add_call("c2", "acme");
    CHECK_CALLSUP_ERROR(registry.add_leg("nope", Leg::on_net("X1", "100")), errc::unknown_call, "'nope'");
    CHECK_CALLSUP_ERROR(registry.add_leg("c1", Leg::on_net("", "100")), errc::invalid_argument, "leg id");
    CHECK_CALLSUP_ERROR(registry.add_leg("c1", Leg::off_net("", "+1555")), errc::invalid_argument, "leg id");
    CHECK_CALLSUP_ERROR(registry.add_leg("c1", Leg::on_net("X1", "")), errc::invalid_argument, "'X1'");
    CHECK_CALLSUP_ERROR(registry.add_leg("c1", Leg::on_net("A1", "100")), errc::duplicate_id, "'A1'");
    CHECK_CALLSUP_ERROR(registry.add_leg("c1", Leg::off_net("C1", "+1555")), errc::duplicate_id, "'C1'");
    // A leg id is unique across calls.
    CHECK_CALLSUP_ERROR(registry.add_leg("c2", Leg::on_net("A1", "100")), errc::duplicate_id, "'A1'");
    // Nothing changed.
    CHECK(leg_ids(*registry.call("c1")) == "C1,A1");
    CHECK(registry.call("c2")->legs.empty());
    CHECK(registry.find_call_of_leg("X1") == nullptr);
    CHECK(ids_of(registry.calls_of_extension("100")) == "c1");
    // An off-net leg needs no extension.
    registry.add_leg("c2", Leg::off_net("C2", "+1555"));
    CHECK(registry.call("c2")->legs.size() == 1);
  }

  TEST_CASE("call_registry: every mutator rejects an unknown call or leg, naming it") {
    CallRegistry registry;
    add_simple_call(registry);
    add_simple_call(registry, "c2", "200", "C2", "B1");
    EventLog log;
    auto subscription = registry.subscribe(log.observer());

    CHECK_CALLSUP_ERROR(registry.answer("L404"), errc::unknown_leg, "'L404'");
    CHECK_CALLSUP_ERROR(registry.hold("L404"), errc::unknown_leg, "'L404'");
    CHECK_CALLSUP_ERROR(registry.unhold("L404"), errc::unknown_leg, "'L404'");
    CHECK_CALLSUP_ERROR(registry.set_state("L404", LegState::gone), errc::unknown_leg, "'L404'");
    CHECK_CALLSUP_ERROR(registry.remove_leg("L404"), errc::unknown_leg, "'L404'");
    CHECK_CALLSUP_ERROR(registry.answer(""), errc::unknown_leg, "''");
    CHECK_CALLSUP_ERROR(registry.bridge("c404"), errc::unknown_call, "'c404'");
    CHECK_CALLSUP_ERROR(registry.bridge("c404", false), errc::unknown_call, "'c404'");
    CHECK_CALLSUP_ERROR(registry.end_call("c404"), errc::unknown_call, "'c404'");
    CHECK_CALLSUP_ERROR(registry.transfer("c404", "A1", Leg::on_net("N1", "101")), errc::unknown_call,
                        "'c404'");
    CHECK_CALLSUP_ERROR(registry.transfer("c1", "L404", Leg::on_net("N1", "101")), errc::unknown_leg,
                        "'L404'");
    // The leg exists, but in another call.
    CHECK_CALLSUP_ERROR(registry.transfer("c1", "B1", Leg::on_net("N1", "101")), errc::unknown_leg, "'B1'");
    // The new leg must be new and valid.
    CHECK_CALLSUP_ERROR(registry.transfer("c1", "A1", Leg::on_net("B1", "101")), errc::duplicate_id, "'B1'");
    CHECK_CALLSUP_ERROR(registry.transfer("c1", "A1", Leg::on_net("C1", "101")), errc::duplicate_id, "'C1'");
    CHECK_CALLSUP_ERROR(registry.transfer("c1", "A1", Leg::on_net("", "101")), errc::invalid_argument,
                        "leg id");
    CHECK_CALLSUP_ERROR(registry.transfer("c1", "A1", Leg::on_net("N1", "")), errc::invalid_argument, "'N1'");

    // A failed change changes nothing and tells nobody.
    CHECK(log.size() == 0);
    CHECK(leg_ids(*registry.call("c1")) == "C1,A1");
    CHECK(leg_ids(*registry.call("c2")) == "C2,B1");
    CHECK(registry.find_call_of_leg("N1") == nullptr);
    CHECK(registry.calls_of_extension("101").empty());
    CHECK(ids_of(registry.calls_of_extension("100")) == "c1");

    // After end_call the call's legs are unknown.
    registry.end_call("c2");
    log.clear();
    CHECK_CALLSUP_ERROR(registry.answer("B1"), errc::unknown_leg, "'B1'");
    CHECK_CALLSUP_ERROR(registry.remove_leg("C2"), errc::unknown_leg, "'C2'");
    CHECK_CALLSUP_ERROR(registry.end_call("c2"), errc::unknown_call, "'c2'");
    CHECK_CALLSUP_ERROR(registry.add_leg("c2", Leg::on_net("B2", "200")), errc::unknown_call, "'c2'");
    CHECK(log.size() == 0);
  }

  TEST_CASE("call_registry: observers get each change with its details") {
    CallRegistry registry;
    EventLog log;
    auto subscription = registry.subscribe(log.observer());

    registry.add_call("c1", "acme", "sales");
    registry.add_leg("c1", Leg::off_net("C1", "+15550001"));
    registry.add_leg("c1", Leg::on_net("A1", "100"));
    registry.answer("A1");
    registry.hold("A1");
    registry.bridge("c1");
    registry.transfer("c1", "A1", Leg::on_net("A2", "101", LegState::up));
    registry.remove_leg("C1");
    registry.end_call("c1");

    const auto& e = log.events;
    REQUIRE(e.size() == 9);
    using K = RegistryEventKind;
    CHECK(log.kinds() ==
          names({K::call_added, K::leg_added, K::leg_added, K::leg_state_changed, K::leg_state_changed,
                 K::bridge_changed, K::leg_transferred, K::leg_removed, K::call_ended}));
    for (const auto& event : e) {
      REQUIRE(event.call);
      CHECK(event.call->id == "c1");
    }

    CHECK(e[0].call->legs.empty());
    CHECK(e[0].call->group == "sales");
    CHECK(e[0].leg_id.empty());

    CHECK(e[1].leg_id == "C1");
    CHECK(e[1].call->legs.size() == 1);
    CHECK(e[2].leg_id == "A1");
    CHECK(e[2].call->legs.size() == 2);

    CHECK(e[3].leg_id == "A1");
    CHECK(e[3].old_state == LegState::ringing);
    CHECK(e[3].call->find_leg("A1")->state == LegState::up);
    CHECK(e[4].leg_id == "A1");
    CHECK(e[4].old_state == LegState::up);
    CHECK(e[4].call->find_leg("A1")->state == LegState::held);

    CHECK_FALSE(e[4].call->bridged);
    CHECK(e[5].call->bridged);

    CHECK(e[6].leg_id == "A1");
    CHECK(e[6].new_leg_id == "A2");
    CHECK(e[6].removed_leg.id == "A1");
    CHECK(e[6].removed_leg.extension == "100");
    CHECK(e[6].removed_leg.state == LegState::held);  // as it was when it left
    CHECK(leg_ids(*e[6].call) == "C1,A2");

    CHECK(e[7].leg_id == "C1");
    CHECK(e[7].removed_leg.id == "C1");
    CHECK(e[7].removed_leg.network == Network::off_net);
    CHECK(e[7].removed_leg.remote_number == "+15550001");
    CHECK(leg_ids(*e[7].call) == "A2");

    // call_ended carries the call as it was last.
    CHECK(leg_ids(*e[8].call) == "A2");
    CHECK(e[8].call->bridged);
  }

  TEST_CASE("call_registry: event snapshots are the registry's snapshots at that moment") {
    CallRegistry registry;
    std::vector<std::shared_ptr<const Call>> seen_in_registry;
    std::vector<std::shared_ptr<const Call>> in_event;
    auto subscription = registry.subscribe([&](const RegistryEvent& event) {
      in_event.push_back(event.call);
      seen_in_registry.push_back(registry.find_call(event.call->id));  // reading inside a callback
    });
    add_simple_call(registry);
    registry.answer("A1");
    registry.end_call("c1");
    REQUIRE(in_event.size() == 5);
    for (std::size_t i = 0; i + 1 < in_event.size(); ++i) CHECK(seen_in_registry[i] == in_event[i]);
    CHECK(seen_in_registry[4] == nullptr);  // already gone when call_ended is delivered
  }

  TEST_CASE("call_registry: changes that change nothing emit nothing") {
    CallRegistry registry;
    add_simple_call(registry);
    EventLog log;
    auto subscription = registry.subscribe(log.observer());
    registry.set_state("A1", LegState::ringing);
    registry.bridge("c1", false);
    CHECK(log.size() == 0);
    registry.answer("A1");
    registry.answer("A1");
    registry.unhold("A1");  // already up
    registry.set_state("A1", LegState::up);
    registry.bridge("c1");
    registry.bridge("c1");
    registry.hold("A1");
    registry.hold("A1");
    using K = RegistryEventKind;
    CHECK(log.kinds() == names({K::leg_state_changed, K::bridge_changed, K::leg_state_changed}));
  }

  TEST_CASE("call_registry: several observers each get every event in order") {
    CallRegistry registry;
    EventLog first;
    EventLog second;
    auto subscription = registry.subscribe(first.observer());
    auto subscription2 = registry.subscribe(second.observer());
    add_simple_call(registry);
    registry.answer("A1");
    CHECK(first.kinds() == second.kinds());
    CHECK(first.size() == 4);
  }

  TEST_CASE("call_registry: resetting a subscription stops delivery; destroying one does too") {
    CallRegistry registry;
    EventLog kept;
    EventLog dropped;
    EventLog scoped;
    auto subscription = registry.subscribe(kept.observer());
    auto dropping = registry.subscribe(dropped.observer());
    {
      auto in_scope = registry.subscribe(scoped.observer());
      registry.add_call("c1", "acme");
    }
    dropping.reset();
    registry.add_call("c2", "acme");
    CHECK(kept.size() == 2);
    CHECK(dropped.size() == 1);
    CHECK(scoped.size() == 1);
    dropping.reset();  // twice: harmless
    registry.add_call("c3", "acme");
    CHECK(kept.size() == 3);
    CHECK(dropped.size() == 1);
  }

  TEST_CASE("call_registry: an observer may unsubscribe itself from inside its callback") {
    CallRegistry registry;
    int calls = 0;
    Subscription self;
    self = registry.subscribe([&](const RegistryEvent&) {
      ++calls;
      self.reset();
    });
    registry.add_call("c1", "acme");
    registry.add_call("c2", "acme");
    CHECK(calls == 1);
  }

  TEST_CASE("call_registry: an observer that reads the registry does not deadlock") {
    CallRegistry registry;
    std::vector<std::size_t> sizes;
    std::vector<std::size_t> of_extension;
    auto subscription = registry.subscribe([&](const RegistryEvent& event) {
      sizes.push_back(registry.size());
      of_extension.push_back(registry.calls_of_extension("100").size());
      (void)registry.all_calls();
      if (!event.leg_id.empty()) (void)registry.find_call_of_leg(event.leg_id);
    });
    add_simple_call(registry);
    registry.end_call("c1");
    CHECK(sizes == std::vector<std::size_t>{1, 1, 1, 0});
    // The change is visible to the observer: the agent leg's call is indexed when leg_added arrives.
    CHECK(of_extension == std::vector<std::size_t>{0, 0, 1, 0});
  }

  TEST_CASE("call_registry: an observer that changes the registry (re-entrant) does not deadlock") {
    CallRegistry registry;
    // Auto-answer: every on-net leg is answered as soon as it is added.
    auto subscription = registry.subscribe([&](const RegistryEvent& event) {
      if (event.kind == RegistryEventKind::leg_added) {
        const Leg* leg = event.call->find_leg(event.leg_id);
        if (leg && leg->network == Network::on_net && leg->state == LegState::ringing)
          registry.answer(leg->id);
      }
    });
    add_simple_call(registry);
    CHECK(registry.call("c1")->find_leg("A1")->state == LegState::up);
    CHECK(registry.call("c1")->find_leg("C1")->state == LegState::ringing);
  }

  TEST_CASE("call_registry: a re-entrant change reaches every observer after the change that caused it") {
    // "Observers are called ... one change at a time, in the order the changes were made".
    // Observer 1 answers every leg it sees added; observer 2 must still see leg_added
    // before the leg_state_changed that observer 1's answer() caused, and every snapshot
    // it receives must be at least as new as the previous one.
    CallRegistry registry;
    auto subscription = registry.subscribe([&](const RegistryEvent& event) {
      if (event.kind == RegistryEventKind::leg_added) registry.answer(event.leg_id);
    });
    EventLog log;
    auto subscription2 = registry.subscribe(log.observer());
    registry.add_call("c1", "acme");
    registry.add_leg("c1", Leg::on_net("A1", "100"));

    using K = RegistryEventKind;
    CHECK(log.kinds() == names({K::call_added, K::leg_added, K::leg_state_changed}));
    REQUIRE(log.size() == 3);
    // The last event delivered describes the registry's current state.
    CHECK(log.events.back().call == registry.call("c1"));
  }

  TEST_CASE("call_registry: a re-entrant end_call from an observer") {
    CallRegistry registry;
    // Hang up the call when its last leg leaves.
    auto subscription = registry.subscribe([&](const RegistryEvent& event) {
      if (event.kind == RegistryEventKind::leg_removed && event.call->legs.empty())
        registry.end_call(event.call->id);
    });
    add_simple_call(registry);
    registry.remove_leg("A1");
    CHECK(registry.size() == 1);
    registry.remove_leg("C1");
    CHECK(registry.size() == 0);
    CHECK(registry.calls_of_extension("100").empty());
  }

  TEST_CASE("call_registry: an observer on another thread may read while a change is delivered") {
    CallRegistry registry;
    std::atomic<int> seen{0};
    auto subscription = registry.subscribe([&](const RegistryEvent&) {
      // A reader on another thread, joined inside the callback: it must not block on the
      // data lock (released before observers run).
      std::thread reader([&] { seen += static_cast<int>(registry.size()); });
      reader.join();
    });
    registry.add_call("c1", "acme");
    registry.add_call("c2", "acme");
    CHECK(seen.load() == 3);
  }

  TEST_CASE("call_registry: concurrent writers and readers keep the registry consistent") {
    CallRegistry registry;
    constexpr int writers = 4;
    constexpr int calls_per_writer = 500;

    std::mutex log_mutex;
    std::map<CallId, std::vector<RegistryEventKind>> per_call;
    std::atomic<int> events{0};
    auto subscription = registry.subscribe([&](const RegistryEvent& event) {
      ++events;
      std::lock_guard lock(log_mutex);
      per_call[event.call->id].push_back(event.kind);
    });

    std::atomic<bool> done{false};
    std::atomic<int> reader_failures{0};
    std::atomic<long> reads{0};
    auto reader = [&](int which) {
      const std::string ext = "20" + std::to_string(which);
      while (!done.load()) {
        auto all = registry.all_calls();
        for (std::size_t i = 1; i < all.size(); ++i)
          if (all[i - 1]->sequence >= all[i]->sequence) ++reader_failures;
        for (const auto& call : all) {
          // Each snapshot is whole: legs are added in pairs and answered one at a time,
          // so a call never holds a leg twice or a leg of another call.
          if (call->legs.size() > 2) ++reader_failures;
          for (const auto& leg : call->legs)
            if (leg.id.rfind(call->id + "-", 0) != 0) ++reader_failures;
        }
        auto mine = registry.calls_of_extension(ext);
        for (std::size_t i = 1; i < mine.size(); ++i)
          if (mine[i - 1]->sequence >= mine[i]->sequence) ++reader_failures;
        for (const auto& call : mine)
          if (call->id.rfind("w" + std::to_string(which) + "-", 0) != 0) ++reader_failures;
        ++reads;
      }
    };

    auto writer = [&](int w) {
      const std::string ext = "20" + std::to_string(w);
      for (int i = 0; i < calls_per_writer; ++i) {
        const CallId id = "w" + std::to_string(w) + "-" + std::to_string(i);
        registry.add_call(id, "acme");
        registry.add_leg(id, Leg::off_net(id + "-c", "+1555" + std::to_string(i)));
        registry.add_leg(id, Leg::on_net(id + "-a", ext));
        registry.answer(id + "-c");
        registry.answer(id + "-a");
        registry.bridge(id);
        if (i % 5 != 0) registry.end_call(id);
      }
    };

    std::vector<std::thread> threads;
    threads.emplace_back(reader, 0);
    threads.emplace_back(reader, 1);
    for (int w = 0; w < writers; ++w) threads.emplace_back(writer, w);
    for (int w = 0; w < writers; ++w) threads[2 + static_cast<std::size_t>(w)].join();
    done = true;
    threads[0].join();
    threads[1].join();

    CHECK(reader_failures.load() == 0);
    CHECK(reads.load() > 0);
    constexpr int kept_per_writer = calls_per_writer / 5;
    CHECK(registry.size() == static_cast<std::size_t>(writers * kept_per_writer));
    CHECK(events.load() == writers * calls_per_writer * 6 + writers * (calls_per_writer - kept_per_writer));

    const auto all = registry.all_calls();
    REQUIRE(all.size() == static_cast<std::size_t>(writers * kept_per_writer));
    for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1]->sequence < all[i]->sequence);
    for (const auto& call : all) {
      CHECK(call->bridged);
      REQUIRE(call->legs.size() == 2);
      CHECK(call->legs[0].state == LegState::up);
      CHECK(call->legs[1].state == LegState::up);
    }
    for (int w = 0; w < writers; ++w) {
      const auto mine = registry.calls_of_extension("20" + std::to_string(w));
      CHECK(mine.size() == static_cast<std::size_t>(kept_per_writer));
      for (std::size_t i = 0; i < mine.size(); ++i)
        CHECK(mine[i]->id == "w" + std::to_string(w) + "-" + std::to_string(i * 5));  // oldest first
    }

    using K = RegistryEventKind;
    const std::vector<K> kept_kinds{K::call_added,        K::leg_added,         K::leg_added,
                                    K::leg_state_changed, K::leg_state_changed, K::bridge_changed};
    std::vector<K> ended_kinds = kept_kinds;
    ended_kinds.push_back(K::call_ended);
    std::lock_guard lock(log_mutex);
    CHECK(per_call.size() == static_cast<std::size_t>(writers * calls_per_writer));
    int wrong = 0;
    for (int w = 0; w < writers; ++w)
      for (int i = 0; i < calls_per_writer; ++i) {
        const auto& got = per_call["w" + std::to_string(w) + "-" + std::to_string(i)];
        if (got != (i % 5 == 0 ? kept_kinds : ended_kinds)) ++wrong;
      }
    CHECK(wrong == 0);
  }

}  // TEST_SUITE
