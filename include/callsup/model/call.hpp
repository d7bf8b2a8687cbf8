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
  /// The PBX's id of the call, unique in the registry.
  CallId id;
  /// The tenant the call belongs to.
  std::string tenant;
  /// Its parties, in the order they joined (gone legs are kept until removed).
  std::vector<Leg> legs;
  /// True while the media is bridged between the parties.
  bool bridged = false;
  /// The queue or hunt group the call came through; empty when none.
  std::string group;
  std::uint64_t sequence = 0;  ///< order of creation in the registry (spy-all cycles by it)

  /// The leg with this id, or nullptr.
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
  /// Member-wise equality.
  friend bool operator==(const Call&, const Call&) = default;
};

}  // namespace callsup
