// callsup: the immutable routing table of one call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "callsup/routing/route.hpp"

namespace callsup {

/// Who hears whom in one call. Published as `shared_ptr<const RouteSet>`; a new set
/// replaces the old one whole, so the media plane never sees a half-made table.
/// Routes are sorted by (to, from).
struct RouteSet {
  /// The call these routes belong to.
  CallId call;
  std::uint64_t version = 0;  ///< increases each time this call's routes change
  /// Every route of the call, sorted by (to, from).
  std::vector<Route> routes;
  std::vector<LegId> tone_listeners;  ///< legs that must hear the monitoring tone
  bool ended = false;                 ///< the call is gone; drop its media state

  /// The route by which `listener` hears `source`, or nullptr.
  const Route* find(const LegId& listener, const LegId& source) const noexcept {
    auto it = std::find_if(routes.begin(), routes.end(),
                           [&](const Route& r) { return r.to == listener && r.from == source; });
    return it == routes.end() ? nullptr : &*it;
  }
  /// True when `listener` hears `source`.
  bool hears(const LegId& listener, const LegId& source) const noexcept {
    return find(listener, source) != nullptr;
  }
  /// The legs `listener` hears, in route order.
  std::vector<LegId> sources_of(const LegId& listener) const {
    std::vector<LegId> out;
    for (const Route& r : routes)
      if (r.to == listener) out.push_back(r.from);
    return out;
  }
  /// The legs that hear `source`, in route order.
  std::vector<LegId> listeners_of(const LegId& source) const {
    std::vector<LegId> out;
    for (const Route& r : routes)
      if (r.from == source) out.push_back(r.to);
    return out;
  }
  /// Same audio behaviour (ignores version).
  bool same_routing(const RouteSet& other) const {
    return routes == other.routes && tone_listeners == other.tone_listeners && ended == other.ended;
  }
};

}  // namespace callsup
