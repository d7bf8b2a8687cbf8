// callsup: a live call as the PBX reports it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "callsup/model/leg.hpp"

namespace callsup {

/// A call: its tenant, its legs (parties), whether the media is bridged, and the
/// queue or hunt group it came through (empty when none).
struct Call {
  CallId id;
  std::string tenant;
  std::vector<Leg> legs;
  bool bridged = false;
  std::string group;
  std::uint64_t sequence = 0;  ///< order of creation in the registry (spy-all cycles by it)

  const Leg* find_leg(std::string_view leg_id) const noexcept {
    auto it = std::find_if(legs.begin(), legs.end(), [&](const Leg& leg) { return leg.id == leg_id; });
    return it == legs.end() ? nullptr : &*it;
  }
  /// The first leg of this extension that has not gone, or nullptr.
  const Leg* leg_of_extension(std::string_view extension) const noexcept {
    auto it = std::find_if(legs.begin(), legs.end(), [&](const Leg& leg) {
      return leg.network == Network::on_net && leg.extension == extension && leg.state != LegState::gone;
    });
    return it == legs.end() ? nullptr : &*it;
  }
  /// Legs that have not gone (ringing, up or held).
  std::size_t present_legs() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(legs.begin(), legs.end(), [](const Leg& leg) { return leg.state != LegState::gone; }));
  }
  friend bool operator==(const Call&, const Call&) = default;
};

}  // namespace callsup
