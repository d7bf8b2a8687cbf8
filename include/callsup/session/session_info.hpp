// callsup: a snapshot of one supervision session.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "callsup/audit/event.hpp"
#include "callsup/session/session_options.hpp"

namespace callsup {

/// armed: waiting for the target's next call; active: supervising; ended: for good.
enum class SessionState : std::uint8_t { armed, active, ended };

/// The state's name ("armed", "active", "ended").
constexpr std::string_view to_string(SessionState state) noexcept {
  switch (state) {
  case SessionState::armed: return "armed";
  case SessionState::active: return "active";
  case SessionState::ended: return "ended";
  }
  return "unknown";
}

/// A copy of a session's state, safe to keep.
struct SessionInfo {
  /// The session's id, unique in the service.
  SessionId id = 0;
  /// Armed, active or ended.
  SessionState state = SessionState::armed;
  /// The tenant (the supervisor's and the call's).
  std::string tenant;
  std::string supervisor;  ///< extension
  /// The supervisor's leg on the PBX.
  LegId supervisor_leg;
  bool any_call = false;  ///< spy-all session: cycles over the tenant's calls
  std::string target;     ///< agent extension (for spy-all: of the current call)
  CallId call;            ///< empty while armed
  /// The supervised agent's leg (empty while armed).
  LegId target_leg;
  LegId whisper_leg;  ///< who hears the whisper (the target or the other party)
  /// The current mode.
  Mode mode = Mode::listen;
  ModeSet allowed_modes;  ///< from the last decision
  /// The options the session runs with.
  SessionOptions options;
  RequestChannel channel = RequestChannel::api;  ///< of the request that last steered it
  /// Why it ended; none while it runs.
  EndReason end_reason = EndReason::none;
  Reason end_decision = Reason::allowed;  ///< with permission_lost: the policy's reason
};

}  // namespace callsup
