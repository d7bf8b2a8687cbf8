// callsup (detail): which denial reasons concern one call, one mode, or the supervisor itself;
// the session logic (supervision_service.hpp) decides with them whether to try another call,
// keep waiting, refuse only a switch, or give up.
#pragma once

#include "callsup/policy/reason.hpp"
#include "callsup/session/session_info.hpp"

namespace callsup::detail {

// Reasons that concern one call only: another call of the target may be allowed, so
// a start tries the next one and an armed session keeps waiting.
inline bool call_specific(Reason reason) {
  switch (reason) {
  case Reason::privacy:
  case Reason::not_bridged:
  case Reason::whisper_topology:
  case Reason::supervisor_cap:
  case Reason::barge_cap:
  case Reason::self_supervision:
  case Reason::cross_tenant:
  case Reason::no_call: return true;
  default: return false;
  }
}

// A spy-all session picks its own targets: whatever concerns the target or its call
// only skips that call. What concerns the supervisor itself is final.
inline bool skips_call(const SessionInfo& info, Reason reason) {
  if (!info.any_call) return call_specific(reason);
  switch (reason) {
  case Reason::unknown_supervisor:
  case Reason::supervision_disabled:
  case Reason::not_a_supervisor:
  case Reason::mode_not_granted:
  case Reason::channel_not_allowed:
  case Reason::custom: return false;
  default: return true;
  }
}

// The idle check (no call at hand) puts the target alone in a call of its own
// tenant: privacy, tenant and self there concern the target itself, so they are
// final; only what a future call may change keeps a session waiting.
inline bool call_may_change(Reason reason) {
  return call_specific(reason) && reason != Reason::privacy && reason != Reason::cross_tenant &&
         reason != Reason::self_supervision;
}

// Reasons that refuse a mode switch without ending the session (a switch through a
// channel the supervisor may not use leaves the session as its own channel set it up).
inline bool mode_specific(Reason reason) {
  return reason == Reason::mode_not_granted || reason == Reason::whisper_topology ||
         reason == Reason::barge_cap || reason == Reason::channel_not_allowed;
}

}  // namespace callsup::detail
