// callsup (internal): which engine thread each leg runs on (the engine's placement policy).
#pragma once

#include <cstddef>
#include <set>
#include <unordered_map>
#include <vector>

#include "callsup/model/leg.hpp"
#include "callsup/routing/route_set.hpp"

namespace callsup::detail {

/// The placement policy, on the control side (under the engine's lock), with no thread or socket
/// of its own, so it can be tested alone. A leg runs on the thread of its anchor call (first: its
/// media group). When another call's routes name it and the anchor's latest routes no longer do
/// (a supervisor whose session moved on), the leg moves to that call's thread; while both name it,
/// it stays and the other call waits for it (counted in unattached_routes meanwhile).
class LegPlacement {
 public:
  /// A leg that must move from one thread to another.
  struct Move {
    LegId leg;
    std::size_t from = 0;
    std::size_t to = 0;
  };

  explicit LegPlacement(std::size_t threads) noexcept : threads_(threads == 0 ? 1 : threads) {}

  /// The thread that runs a call (and is the home of the legs of that media group).
  std::size_t thread_of(const CallId& call) const noexcept;
  /// A new leg: anchored to its media group, on that group's thread (returned).
  std::size_t add_leg(const LegId& leg, const CallId& media_group);
  void remove_leg(const LegId& leg);
  /// The thread a leg runs on now (its media group's thread for an unknown leg is not asked for).
  std::size_t thread_of_leg(const LegId& leg) const;
  /// A call's new routes (or its end): the legs that must move, in order.
  std::vector<Move> apply(const RouteSet& routes);

 private:
  struct Placed {
    CallId anchor;
    std::size_t thread = 0;
  };
  bool names(const CallId& call, const LegId& leg) const;
  void claim(const LegId& leg, const CallId& call, std::vector<Move>& moves);

  std::size_t threads_;
  std::unordered_map<LegId, Placed> legs_;
  std::unordered_map<CallId, std::set<LegId>> named_;  ///< legs named by each live call's routes
  std::unordered_map<LegId, CallId> waiting_;          ///< leg -> a call that wants it on its thread
};

}  // namespace callsup::detail
