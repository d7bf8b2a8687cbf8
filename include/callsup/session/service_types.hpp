// callsup: configuration, requests and outcomes of the SupervisionService.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/dialplan/clock.hpp"
#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/policy/decision.hpp"
#include "callsup/session/session_info.hpp"

namespace callsup {

/// How the service is set up. Plans named by tenants are looked up among the presets
/// and `plans`; a plan given here replaces a preset of the same name.
struct ServiceConfig {
  /// The options of a session whose request gives none, under the plan's, tenant's and supervisor's defaults.
  SessionOptions default_options;
  /// Feature code plans besides (or replacing) the presets.
  std::vector<FeatureCodePlan> plans;
  std::string default_plan = "portaswitch";  ///< for supervisors the directory does not know
  std::vector<std::string> reserved_codes;   ///< the integrator's own phone codes
  std::size_t ended_sessions_kept = 1024;    ///< ended sessions still answered by session()
  std::size_t ended_calls_kept = 1024;       ///< ended calls whose final routes routes() still answers
  const Clock* clock = nullptr;              ///< DTMF timeouts; nullptr = steady clock
  std::function<std::chrono::system_clock::time_point()> wall_clock;  ///< event times; empty = system clock
};

/// An API request to supervise. `target` is the agent's extension; with `any_call`
/// the service picks the tenant's calls itself (spy-all); with only `call` (a call picked
/// from a list) the target is that call's agent: its first on-net party that is up and
/// is no supervisor.
struct StartRequest {
  /// The supervisor's leg on the PBX, which will hear the call.
  LegId supervisor_leg;
  /// The supervisor's extension.
  std::string supervisor;
  /// The agent to supervise; empty with `any_call` or `call`.
  std::string target;
  /// Spy-all: the service picks the tenant's calls itself.
  bool any_call = false;
  /// The mode to start in.
  Mode mode = Mode::listen;
  /// Default: ServiceConfig::default_options with the plan's, the tenant's and the
  /// supervisor's session defaults over it.
  std::optional<SessionOptions> options;
  CallId call;                                   ///< optional: this call only
  RequestChannel channel = RequestChannel::api;  ///< how the request came in (web consoles say web)
};

/// What a dial or start request led to.
struct StartOutcome {
  /// started: a session runs; armed: it waits for the target's next call; denied: the policy refused (see
  /// decision); not_ours: a dialled string that is no supervision code.
  enum class Status : std::uint8_t { started, armed, denied, not_ours };
  /// What happened.
  Status status = Status::not_ours;
  /// The session started or armed; 0 otherwise.
  SessionId session = 0;
  /// The policy's decision (for a denial: why).
  Decision decision;

  /// True when a session started or was armed.
  bool ok() const noexcept { return status == Status::started || status == Status::armed; }
  /// True when ok().
  explicit operator bool() const noexcept { return ok(); }
};

/// The status's name ("started", "armed", "denied", ...).
constexpr std::string_view to_string(StartOutcome::Status status) noexcept {
  switch (status) {
  case StartOutcome::Status::started: return "started";
  case StartOutcome::Status::armed: return "armed";
  case StartOutcome::Status::denied: return "denied";
  case StartOutcome::Status::not_ours: return "not_ours";
  }
  return "unknown";
}

}  // namespace callsup
