// callsup: what a policy is asked to decide.
#pragma once

#include <cstdint>
#include <string>

#include "callsup/channel.hpp"
#include "callsup/mode.hpp"

namespace callsup {

/// A request by `supervisor` to supervise `target` (an agent in the call handed to
/// the policy with it) in `mode`.
struct SupervisionRequest {
  std::string supervisor;  ///< the supervisor's extension
  std::string target;      ///< the supervised agent's extension
  /// The mode asked for.
  Mode mode = Mode::listen;
  bool any_call = false;                ///< reached through a spy-all code (informative)
  bool bridged_only = false;            ///< the session's own bridged-only option (on top of the tenant's)
  std::uint32_t other_supervisors = 0;  ///< sessions on the call that count against the cap
  std::uint32_t other_bargers = 0;      ///< of those, the ones barging
  /// How the request came in: a dialled code, a key pressed during the session, the
  /// integrator's API or a web console. Re-checks carry the channel the session last used.
  RequestChannel channel = RequestChannel::api;
};

}  // namespace callsup
