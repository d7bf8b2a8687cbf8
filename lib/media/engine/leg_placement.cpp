// callsup (internal): the placement policy: legs follow the call that needs them.
#include "media/engine/leg_placement.hpp"

#include <functional>
#include <string>
#include <utility>

namespace callsup::detail {

std::size_t LegPlacement::thread_of(const CallId& call) const noexcept {
  return std::hash<std::string>{}(call) % threads_;
}

std::size_t LegPlacement::add_leg(const LegId& leg, const CallId& media_group) {
  const std::size_t thread = thread_of(media_group);
  legs_[leg] = Placed{media_group, thread};
  return thread;
}

void LegPlacement::remove_leg(const LegId& leg) {
  legs_.erase(leg);
  waiting_.erase(leg);
}

std::size_t LegPlacement::thread_of_leg(const LegId& leg) const {
  auto found = legs_.find(leg);
  return found == legs_.end() ? 0 : found->second.thread;
}

std::vector<LegPlacement::Move> LegPlacement::apply(const RouteSet& routes) {
  std::vector<Move> moves;
  if (routes.ended) {
    named_.erase(routes.call);
  } else {
    auto& named = named_[routes.call];
    named.clear();
    for (const Route& r : routes.routes) {
      named.insert(r.from);
      named.insert(r.to);
    }
    for (const LegId& leg : routes.tone_listeners) named.insert(leg);
    for (const LegId& leg : named) claim(leg, routes.call, moves);
  }
  // Legs that waited for a call which may have let them go.
  std::vector<std::pair<LegId, CallId>> waiting(waiting_.begin(), waiting_.end());
  for (const auto& [leg, call] : waiting) claim(leg, call, moves);
  return moves;
}

bool LegPlacement::names(const CallId& call, const LegId& leg) const {
  auto found = named_.find(call);
  return found != named_.end() && found->second.count(leg) != 0;
}

void LegPlacement::claim(const LegId& leg, const CallId& call, std::vector<Move>& moves) {
  auto found = legs_.find(leg);
  if (found == legs_.end() || !names(call, leg)) {
    waiting_.erase(leg);
    return;
  }
  Placed& placed = found->second;
  if (placed.anchor == call) {
    waiting_.erase(leg);
    return;
  }
  if (names(placed.anchor, leg)) {
    waiting_[leg] = call;
    return;
  }
  waiting_.erase(leg);
  placed.anchor = call;
  const std::size_t to = thread_of(call);
  if (to == placed.thread) return;
  moves.push_back(Move{leg, placed.thread, to});
  placed.thread = to;
}

}  // namespace callsup::detail
