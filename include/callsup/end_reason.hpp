// callsup: why a supervision session ended.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace callsup {

/// Stable reason a session ended (string forms appear in audit records).
enum class EndReason : std::uint8_t {
  none,              ///< not ended
  stopped,           ///< stop() through the API or the exit key
  supervisor_left,   ///< the supervisor's leg hung up
  target_left,       ///< the supervised agent left the call (exit-on-hangup)
  call_ended,        ///< the supervised call ended or has fewer than two parties
  permission_lost,   ///< a re-check denied the session (see the event's decision reason)
  agent_left_barge,  ///< the agent left during barge; the call's end was requested
  taken_over,        ///< the agent left during barge; the supervisor took the call over
  transferred,       ///< the target was transferred away and the session does not follow
  no_calls_left,     ///< spy-all found no call left to supervise
  shutdown,          ///< the service was destroyed
};

/// Every EndReason, in declaration order.
inline constexpr std::array<EndReason, 11> all_end_reasons{
    EndReason::none,        EndReason::stopped,         EndReason::supervisor_left,  EndReason::target_left,
    EndReason::call_ended,  EndReason::permission_lost, EndReason::agent_left_barge, EndReason::taken_over,
    EndReason::transferred, EndReason::no_calls_left,   EndReason::shutdown};

/// The reason's name as events and the audit log write it.
constexpr std::string_view to_string(EndReason reason) noexcept {
  switch (reason) {
  case EndReason::none: return "none";
  case EndReason::stopped: return "stopped";
  case EndReason::supervisor_left: return "supervisor_left";
  case EndReason::target_left: return "target_left";
  case EndReason::call_ended: return "call_ended";
  case EndReason::permission_lost: return "permission_lost";
  case EndReason::agent_left_barge: return "agent_left_barge";
  case EndReason::taken_over: return "taken_over";
  case EndReason::transferred: return "transferred";
  case EndReason::no_calls_left: return "no_calls_left";
  case EndReason::shutdown: return "shutdown";
  }
  return "unknown";
}

/// The end reason named `text` (as to_string writes it), or nullopt.
constexpr std::optional<EndReason> end_reason_from_string(std::string_view text) noexcept {
  for (EndReason reason : all_end_reasons)
    if (to_string(reason) == text) return reason;
  return std::nullopt;
}

}  // namespace callsup
