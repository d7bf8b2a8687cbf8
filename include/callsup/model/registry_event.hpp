// callsup: what the CallRegistry tells its observers after each change.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "callsup/model/call.hpp"

namespace callsup {

/// What changed in the call registry.
enum class RegistryEventKind : std::uint8_t {
  call_added,
  leg_added,
  leg_state_changed,
  bridge_changed,
  leg_transferred,  ///< `leg_id` left, `new_leg_id` took its place in the same call
  leg_removed,
  call_ended,
};

/// The kind's name ("call_added", ...).
constexpr std::string_view to_string(RegistryEventKind kind) noexcept {
  switch (kind) {
  case RegistryEventKind::call_added: return "call_added";
  case RegistryEventKind::leg_added: return "leg_added";
  case RegistryEventKind::leg_state_changed: return "leg_state_changed";
  case RegistryEventKind::bridge_changed: return "bridge_changed";
  case RegistryEventKind::leg_transferred: return "leg_transferred";
  case RegistryEventKind::leg_removed: return "leg_removed";
  case RegistryEventKind::call_ended: return "call_ended";
  }
  return "unknown";
}

/// One change. `call` is the call after the change (for call_ended: as it was last).
struct RegistryEvent {
  /// What changed.
  RegistryEventKind kind{};
  /// The call after the change (call_ended: as it was last).
  std::shared_ptr<const Call> call;
  LegId leg_id;                            ///< the leg concerned, when any
  LegId new_leg_id;                        ///< leg_transferred: the leg that took over
  Leg removed_leg;                         ///< leg_removed / leg_transferred: the leg that left, as it was
  LegState old_state = LegState::ringing;  ///< leg_state_changed: the state before
};

}  // namespace callsup
