#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/media/mix_plan.hpp"
#include "callsup/routing/compute_routes.hpp"
#include "support/media_call.hpp"

#include "support/checks.hpp"

using namespace callsup;
using namespace callsup::testing::media_call;

namespace {

std::shared_ptr<const RouteSet> routes_of(const std::vector<SupervisorRoute>& sups,
                                          const std::vector<Tap>& taps = {}) {
  return std::make_shared<const RouteSet>(compute_routes(two_party(), sups, taps));
}

MixPlan plan_of(std::shared_ptr<const RouteSet> routes, const std::vector<LegId>& slots) {
  return compile_mix_plan(std::move(routes), slots);
}

/// The leg ids a listener hears, in source order ("agent,cust"); "-" when not a listener.
std::string heard(const MixPlan& plan, const LegId& listener) {
  const auto slot = plan.slot_of(listener);
  REQUIRE(slot);
  const MixListener* l = plan.listener(*slot);
  if (!l) return "-";
  std::string out;
  for (const MixSource& s : l->sources) out += (out.empty() ? "" : ",") + plan.slots.at(s.slot);
  return out;
}

const MixListener& listener_of(const MixPlan& plan, const LegId& leg) {
  const auto slot = plan.slot_of(leg);
  REQUIRE(slot);
  const MixListener* l = plan.listener(*slot);
  REQUIRE(l != nullptr);
  return *l;
}

RouteSet hand_made(std::vector<Route> routes) {
  RouteSet set;
  set.call = "c9";
  set.version = 3;
  set.routes = std::move(routes);
  return set;
}

}  // namespace

TEST_SUITE("media: mix plan") {
  TEST_CASE("media: mix plan — listen: the parties forward to each other, the supervisor mixes both") {
    auto routes = routes_of({sup("sup", Mode::listen)});
    const MixPlan plan = plan_of(routes, {agent, customer, "sup"});
    CHECK(plan.routes == routes);
    CHECK(plan.slots == std::vector<LegId>{agent, customer, "sup"});
    REQUIRE(plan.listeners.size() == 3);
    CHECK(heard(plan, agent) == "cust");
    CHECK(heard(plan, customer) == "agent");
    CHECK(heard(plan, "sup") == "agent,cust");
    CHECK(listener_of(plan, agent).unity_single);
    CHECK(listener_of(plan, customer).unity_single);
    CHECK_FALSE(listener_of(plan, "sup").unity_single);
    for (const MixListener& l : plan.listeners) CHECK_FALSE(l.stereo);
    // Nobody hears a listening supervisor: its audio need not be decoded.
    CHECK(plan.needed_as_source == std::vector<std::uint8_t>{1, 1, 0});
    CHECK(plan.hears_tone == std::vector<std::uint8_t>{0, 0, 0});
    CHECK(plan.unattached_routes == 0);
  }

  TEST_CASE("media: mix plan — whisper: the agent mixes the customer and the supervisor") {
    const MixPlan plan = plan_of(routes_of({sup("sup", Mode::whisper)}), {agent, customer, "sup"});
    CHECK(heard(plan, agent) == "cust,sup");
    CHECK(heard(plan, customer) == "agent");
    CHECK(heard(plan, "sup") == "agent,cust");
    CHECK_FALSE(listener_of(plan, agent).unity_single);
    CHECK(listener_of(plan, customer).unity_single);
    CHECK(plan.needed_as_source == std::vector<std::uint8_t>{1, 1, 1});
  }

  TEST_CASE("media: mix plan — barge: everyone mixes the two others") {
    const MixPlan plan = plan_of(routes_of({sup("sup", Mode::barge)}), {agent, customer, "sup"});
    CHECK(heard(plan, agent) == "cust,sup");
    CHECK(heard(plan, customer) == "agent,sup");
    CHECK(heard(plan, "sup") == "agent,cust");
    for (const MixListener& l : plan.listeners) {
      CHECK_FALSE(l.unity_single);
      CHECK(l.sources.size() == 2);
      for (const MixSource& s : l.sources) {
        CHECK(s.gain == 1.0f);
        CHECK(s.gain_q == unity_gain_q);
        CHECK(s.channel == Channel::mono);
      }
    }
    CHECK(plan.needed_as_source == std::vector<std::uint8_t>{1, 1, 1});
  }

  TEST_CASE("media: mix plan — listeners follow slot order, sources are sorted by slot") {
    // Slots in an order unrelated to the ids' order, which is the routes' order.
    const MixPlan plan =
        plan_of(routes_of({sup("sup", Mode::barge)}, {{"rec", false}}), {"sup", "rec", customer, agent});
    REQUIRE(plan.listeners.size() == 4);
    for (std::size_t i = 0; i < plan.listeners.size(); ++i) {
      CHECK(plan.listeners[i].slot == i);
      for (std::size_t k = 1; k < plan.listeners[i].sources.size(); ++k)
        CHECK(plan.listeners[i].sources[k - 1].slot < plan.listeners[i].sources[k].slot);
    }
    CHECK(heard(plan, agent) == "sup,cust");
    CHECK(heard(plan, "rec") == "sup,cust,agent");
    // A tap hears but is never heard.
    CHECK(plan.needed_as_source == std::vector<std::uint8_t>{1, 0, 1, 1});
    CHECK(plan.slot_of("rec") == std::uint16_t{1});
    CHECK_FALSE(plan.slot_of("nobody").has_value());
    CHECK(plan.listener(7) == nullptr);
  }

  TEST_CASE("media: mix plan — a stereo supervisor: agent left, customer right, not forwardable") {
    SupervisorRoute s = sup("sup", Mode::listen);
    s.stereo = true;
    const MixPlan plan = plan_of(routes_of({s}), {agent, customer, "sup"});
    const MixListener& l = listener_of(plan, "sup");
    CHECK(l.stereo);
    REQUIRE(l.sources.size() == 2);
    CHECK(l.sources[0].channel == Channel::left);   // agent, slot 0
    CHECK(l.sources[1].channel == Channel::right);  // customer, slot 1
    CHECK_FALSE(listener_of(plan, agent).stereo);
    CHECK_FALSE(listener_of(plan, customer).stereo);

    // One source on one side is still stereo, so it is not forwarded untouched.
    s.direction = ListenDirection::agent_only;
    const MixPlan one = plan_of(routes_of({s}), {agent, customer, "sup"});
    CHECK(heard(one, "sup") == "agent");
    CHECK(listener_of(one, "sup").stereo);
    CHECK_FALSE(listener_of(one, "sup").unity_single);
  }

  TEST_CASE("media: mix plan — a gain makes a single source a mix, and is carried in Q14") {
    SupervisorRoute s = sup("sup", Mode::listen);
    s.direction = ListenDirection::customer_only;
    s.gain = volume_gain(-2);
    const MixPlan plan = plan_of(routes_of({s}), {agent, customer, "sup"});
    const MixListener& l = listener_of(plan, "sup");
    REQUIRE(l.sources.size() == 1);
    CHECK_FALSE(l.unity_single);
    CHECK(l.sources[0].gain == s.gain);
    CHECK(l.sources[0].gain_q == static_cast<std::int32_t>(std::lround(s.gain * 16384.0)));
    CHECK(heard(plan, "sup") == "cust");
    // The parties still forward to each other at gain 1.
    CHECK(listener_of(plan, agent).unity_single);
  }

  TEST_CASE("media: mix plan — monitoring tone slots") {
    SupervisorRoute s = sup("sup", Mode::listen);
    s.monitoring_tone = true;
    const MixPlan plan = plan_of(routes_of({s}), {"sup", agent, customer});
    CHECK(plan.hears_tone == std::vector<std::uint8_t>{0, 1, 1});
    // A tone listener without a slot is ignored (it is not a route, so not "unattached").
    const MixPlan partial = plan_of(routes_of({s}), {"sup", customer});
    CHECK(partial.hears_tone == std::vector<std::uint8_t>{0, 1});
  }

  TEST_CASE("media: mix plan — routes naming a leg without a slot are counted and left out") {
    // The supervisor's endpoint is not attached yet: its two routes (agent>sup, cust>sup).
    const MixPlan plan = plan_of(routes_of({sup("sup", Mode::listen)}), {agent, customer});
    CHECK(plan.unattached_routes == 2);
    CHECK(plan.listeners.size() == 2);
    CHECK(heard(plan, agent) == "cust");
    CHECK(heard(plan, customer) == "agent");
    // Barge: sup hears 2, and is heard by 2.
    const MixPlan barge = plan_of(routes_of({sup("sup", Mode::barge)}), {customer});
    CHECK(barge.unattached_routes == 6);
    CHECK(barge.listeners.empty());
    CHECK(barge.needed_as_source == std::vector<std::uint8_t>{0});
  }

  TEST_CASE("media: mix plan — a slot that hears nothing is not a listener") {
    // A private whisper: the supervisor hears nothing; an extra slot nobody routes.
    SupervisorRoute s = sup("sup", Mode::whisper);
    s.private_whisper = true;
    const MixPlan plan = plan_of(routes_of({s}), {agent, customer, "sup", "spare"});
    CHECK(heard(plan, "sup") == "-");
    CHECK(heard(plan, "spare") == "-");
    CHECK(plan.listeners.size() == 2);
    CHECK(plan.needed_as_source == std::vector<std::uint8_t>{1, 1, 1, 0});
  }

  TEST_CASE("media: mix plan — an ended call and an empty route set have no listeners") {
    RouteSet ended = compute_routes(two_party(), std::vector<SupervisorRoute>{sup("sup", Mode::barge)});
    ended.ended = true;
    const MixPlan plan = plan_of(std::make_shared<const RouteSet>(ended), {agent, customer, "sup"});
    CHECK(plan.listeners.empty());
    CHECK(plan.needed_as_source == std::vector<std::uint8_t>{0, 0, 0});
    CHECK(plan.slots.size() == 3);

    const MixPlan empty = plan_of(std::make_shared<const RouteSet>(), {});
    CHECK(empty.listeners.empty());
    CHECK(empty.slots.empty());
  }

  TEST_CASE("media: mix plan — hand-made routes: channel, gain and unity flags per listener") {
    const MixPlan plan = plan_of(std::make_shared<const RouteSet>(hand_made({
                                     {"a", "l", 1.0f, Channel::mono},
                                     {"b", "l", 1.0f, Channel::left},
                                     {"a", "m", 0.5f, Channel::mono},
                                     {"b", "n", 1.0f, Channel::right},
                                 })),
                                 {"a", "b", "l", "m", "n"});
    CHECK(listener_of(plan, "l").stereo);
    CHECK_FALSE(listener_of(plan, "m").stereo);
    CHECK_FALSE(listener_of(plan, "m").unity_single);
    CHECK(listener_of(plan, "m").sources.at(0).gain_q == 8192);
    CHECK(listener_of(plan, "n").stereo);
    CHECK_FALSE(listener_of(plan, "n").unity_single);
  }

  TEST_CASE("media: mix plan — bad arguments are errors naming the value") {
    const std::vector<LegId> slots{agent, customer};
    CHECK_CALLSUP_ERROR(compile_mix_plan(nullptr, slots), errc::invalid_argument, "null");
    CHECK_CALLSUP_ERROR(plan_of(routes_of({}), {agent, customer, agent}), errc::invalid_argument, "'agent'");
    CHECK_CALLSUP_ERROR(plan_of(routes_of({}), {agent, ""}), errc::invalid_argument, "slot 1");
    const std::vector<LegId> too_many(65537, "x");
    CHECK_CALLSUP_ERROR(plan_of(routes_of({}), too_many), errc::invalid_argument, "65537");
  }

  TEST_CASE("media: mix plan — gain_to_q14 rounds, keeps unity exact and clamps defensively") {
    CHECK(gain_to_q14(1.0f) == 16384);
    CHECK(gain_to_q14(0.5f) == 8192);
    CHECK(gain_to_q14(2.0f) == 32768);
    CHECK(gain_to_q14(0.0f) == 0);
    CHECK(gain_to_q14(1.0f / 3.0f) == 5461);   // 5461.33
    CHECK(gain_to_q14(2.0f / 3.0f) == 10923);  // 10922.67
    CHECK(gain_to_q14(-1.0f) == 0);
    CHECK(gain_to_q14(std::numeric_limits<float>::quiet_NaN()) == 0);
    CHECK(gain_to_q14(std::numeric_limits<float>::infinity()) == max_gain_q);
    CHECK(gain_to_q14(100.0f) == max_gain_q);
    CHECK(gain_to_q14(4.0f) == max_gain_q);
    // Every ChanSpy volume step fits without clamping, within half a Q14 step.
    for (int step = -4; step <= 4; ++step) {
      CAPTURE(step);
      const double exact = volume_gain(step) * 16384.0;
      CHECK(gain_to_q14(volume_gain(step)) < max_gain_q);
      CHECK(std::abs(gain_to_q14(volume_gain(step)) - exact) <= 0.5);
    }
    // int32 headroom: the largest product of the mixer fits.
    CHECK(std::int64_t{-32768} * max_gain_q >= std::numeric_limits<std::int32_t>::min());
  }
}
