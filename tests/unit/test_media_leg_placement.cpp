// The engine's placement policy alone: which thread each leg runs on, and when it moves.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "media/engine/leg_placement.hpp"

using callsup::CallId;
using callsup::LegId;
using callsup::Route;
using callsup::RouteSet;
using callsup::detail::LegPlacement;

namespace {

RouteSet placement_routes(const CallId& call, std::vector<Route> routes, bool ended = false) {
  RouteSet set;
  set.call = call;
  set.routes = std::move(routes);
  set.ended = ended;
  return set;
}

// A call id whose thread differs from `other`'s.
CallId call_on_another_thread(const LegPlacement& placement, const CallId& other) {
  for (int i = 0;; ++i) {
    CallId candidate = "call-" + std::to_string(i);
    if (placement.thread_of(candidate) != placement.thread_of(other)) return candidate;
  }
}

}  // namespace

TEST_CASE("placement: a new leg runs on its media group's thread and stays for its own call") {
  LegPlacement placement(4);
  const std::size_t thread = placement.add_leg("A", "call-x");
  CHECK(thread == placement.thread_of("call-x"));
  CHECK(placement.thread_of_leg("A") == thread);
  CHECK(placement.apply(placement_routes("call-x", {{"A", "B"}, {"B", "A"}})).empty());
  CHECK(placement.thread_of_leg("A") == thread);
}

TEST_CASE("placement: one thread never moves anything") {
  LegPlacement placement(1);
  placement.add_leg("S", "sup");
  placement.apply(placement_routes("sup", {}));
  CHECK(placement.apply(placement_routes("call-x", {{"A", "S"}})).empty());
  CHECK(placement.thread_of_leg("S") == 0);
}

TEST_CASE("placement: a leg another call names moves once its anchor lets it go") {
  LegPlacement placement(4);
  const CallId sup = "sup-call";
  const CallId agent_call = call_on_another_thread(placement, sup);
  placement.add_leg("S", sup);
  placement.add_leg("A", agent_call);
  CHECK(placement.apply(placement_routes(sup, {{"S", "P"}})).empty());  // its own call names it

  // The agent's call names S too: S waits on its anchor's thread.
  CHECK(placement.apply(placement_routes(agent_call, {{"A", "S"}})).empty());
  CHECK(placement.thread_of_leg("S") == placement.thread_of(sup));

  // Its own call no longer names it: the waiting call gets it, in that very update.
  const auto moves = placement.apply(placement_routes(sup, {}));
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].leg == "S");
  CHECK(moves[0].from == placement.thread_of(sup));
  CHECK(moves[0].to == placement.thread_of(agent_call));
  CHECK(placement.thread_of_leg("S") == placement.thread_of(agent_call));

  // Named again by the same call: already there, no move.
  CHECK(placement.apply(placement_routes(agent_call, {{"A", "S"}, {"S", "A"}})).empty());
}

TEST_CASE("placement: a leg whose anchor ended moves at once; a removed leg is forgotten") {
  LegPlacement placement(4);
  const CallId first = "first";
  const CallId second = call_on_another_thread(placement, first);
  placement.add_leg("L", first);
  placement.apply(placement_routes(first, {{"L", "M"}}));
  placement.apply(placement_routes(first, {}, true));  // ended
  const auto moves = placement.apply(placement_routes(second, {{"L", "N"}}));
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].to == placement.thread_of(second));

  placement.remove_leg("L");
  CHECK(placement.apply(placement_routes(first, {{"L", "M"}})).empty());  // unknown legs never move
}
