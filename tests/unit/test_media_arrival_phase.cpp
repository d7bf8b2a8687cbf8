// When in the period a leg's packets arrive, and at which sub-tick a call is served.
#include <doctest/doctest.h>

#include <vector>

#include "media/engine/arrival_phase.hpp"

using callsup::detail::all_arrived_phase;
using callsup::detail::ArrivalPhase;
using callsup::detail::sub_tick_after;

namespace {
constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t period = 20 * ms;
}  // namespace

TEST_CASE("media: the arrival phase follows late packets at once and early ones slowly") {
  ArrivalPhase phase;
  CHECK_FALSE(phase.edge(0).has_value());
  std::int64_t now = 0;
  phase.note(5 * ms, period, now);
  CHECK(phase.edge(0) == 5 * ms);
  // A packet 4 ms late moves the edge half-way at once, the next ones the rest of the way.
  phase.note(9 * ms, period, now);
  CHECK(*phase.edge(0) == 7 * ms);
  for (int i = 0; i < 20; ++i) phase.note(9 * ms, period, now);
  CHECK(*phase.edge(0) >= 9 * ms - 1);
  // Back to 5 ms: after one packet the edge has hardly moved; after a few hundred it has.
  phase.note(5 * ms, period, now);
  CHECK(*phase.edge(0) > 8 * ms);
  for (int i = 0; i < 400; ++i) phase.note(5 * ms, period, now);
  CHECK(*phase.edge(0) < 5 * ms + ms / 10);
}

TEST_CASE("media: the arrival phase goes round the period the short way") {
  ArrivalPhase phase;
  phase.note(19 * ms, period, 0);
  phase.note(1 * ms, period, 0);  // 2 ms later, across the wrap: not 18 ms earlier
  CHECK(*phase.edge(0) == 0);
  for (int i = 0; i < 20; ++i) phase.note(1 * ms, period, 0);
  CHECK(*phase.edge(0) >= 1 * ms - 1);
  CHECK(*phase.edge(0) < 2 * ms);
}

TEST_CASE("media: an arrival phase not refreshed since a given time is not reported") {
  ArrivalPhase phase;
  phase.note(3 * ms, period, 1000);
  CHECK(phase.edge(1000).has_value());
  CHECK_FALSE(phase.edge(1001).has_value());
}

TEST_CASE("media: a call is served after the last of its streams, the one before the largest gap") {
  std::vector<std::int64_t> none;
  CHECK_FALSE(all_arrived_phase(none, period).has_value());
  std::vector<std::int64_t> one{7 * ms};
  CHECK(all_arrived_phase(one, period) == 7 * ms);
  // 2, 4 and 15 ms: the largest gap is 4 -> 15, so after 4 ms all three are in (15's packet
  // came 9 ms before, in the previous period); serving at 15 would leave 2's waiting 13 ms.
  std::vector<std::int64_t> three{15 * ms, 2 * ms, 4 * ms};
  CHECK(all_arrived_phase(three, period) == 4 * ms);
  // 18 and 1 ms: the wrap-around gap is small (3 ms), so after 1 ms.
  std::vector<std::int64_t> wrap{18 * ms, 1 * ms};
  CHECK(all_arrived_phase(wrap, period) == 1 * ms);
}

TEST_CASE("media: a call stays where it is while its place is as good as the best, within a tolerance") {
  using callsup::detail::all_arrived_phase_sticky;
  // Two streams half a period apart: two equal gaps. Whichever was chosen stays chosen as the
  // phases drift a few microseconds either way.
  for (const std::int64_t drift : {-30'000, -1, 0, 1, 30'000}) {
    std::vector<std::int64_t> half{0, 10 * ms + drift};
    CHECK(all_arrived_phase_sticky(half, period, 10 * ms, ms) == 10 * ms + drift);
    std::vector<std::int64_t> again{0, 10 * ms + drift};
    CHECK(all_arrived_phase_sticky(again, period, 0, ms) == 0);
  }
  // A clearly better place (the gap after 4 ms is 11 ms, after 15 ms only 7) is taken.
  std::vector<std::int64_t> three{15 * ms, 2 * ms, 4 * ms};
  CHECK(all_arrived_phase_sticky(three, period, 15 * ms, ms) == 4 * ms);
  // Nothing chosen before, or one stream: the best.
  std::vector<std::int64_t> fresh{0, 10 * ms};
  CHECK(all_arrived_phase_sticky(fresh, period, std::nullopt, ms) == all_arrived_phase(fresh, period));
  std::vector<std::int64_t> one{7 * ms};
  CHECK(all_arrived_phase_sticky(one, period, 3 * ms, ms) == 7 * ms);
}

TEST_CASE("media: the sub-tick after a phase and a margin, round the period") {
  const std::int64_t sub = 2 * ms;
  CHECK(sub_tick_after(0, ms, sub, 10) == 1);            // ready at 1 ms: the 2 ms sub-tick
  CHECK(sub_tick_after(3 * ms, ms, sub, 10) == 2);       // ready at 4 ms exactly
  CHECK(sub_tick_after(3 * ms + 1, ms, sub, 10) == 3);   // just after 4 ms: 6 ms
  CHECK(sub_tick_after(19 * ms, ms, sub, 10) == 0);      // ready at 20 ms: the next period's first
  CHECK(sub_tick_after(19 * ms + 5, ms, sub, 10) == 1);  // just after 20 ms: the next 22 ms
}
