// callsup: the enumerated choices of a supervision session (who hears a whisper, which
// parties a listener hears, what happens when the agent leaves a barge). A base header:
// the model, routing, dial plans and sessions all name them.
#pragma once

#include <cstdint>
#include <string_view>

namespace callsup {

/// Which parties a listening supervisor hears.
enum class ListenDirection : std::uint8_t { both, agent_only, customer_only };

/// The direction's name ("both", "agent_only", "customer_only").
constexpr std::string_view to_string(ListenDirection direction) noexcept {
  switch (direction) {
  case ListenDirection::both: return "both";
  case ListenDirection::agent_only: return "agent_only";
  case ListenDirection::customer_only: return "customer_only";
  }
  return "unknown";
}

/// Which party a whisper is aimed at: the supervised agent (target) or the other party.
enum class WhisperTo : std::uint8_t { target, other_party };

/// The choice's name ("target", "other_party").
constexpr std::string_view to_string(WhisperTo whisper_to) noexcept {
  switch (whisper_to) {
  case WhisperTo::target: return "target";
  case WhisperTo::other_party: return "other_party";
  }
  return "unknown";
}

/// What happens when the agent hangs up while a supervisor is barging.
enum class AgentLeavesInBarge : std::uint8_t {
  end_call,               ///< the PBX is asked to end the call
  supervisor_takes_over,  ///< the PBX is asked to hand the call to the supervisor
};

/// The choice's name.
constexpr std::string_view to_string(AgentLeavesInBarge value) noexcept {
  return value == AgentLeavesInBarge::end_call ? "end_call" : "supervisor_takes_over";
}

}  // namespace callsup
