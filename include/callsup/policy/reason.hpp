// callsup: why a supervision request was allowed or denied.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace callsup {

/// Machine-readable outcome of a policy decision; the string forms are stable API
/// (they appear in audit records).
enum class Reason : std::uint8_t {
  allowed,
  supervision_disabled,  ///< the tenant has supervision off
  unknown_supervisor,    ///< the supervisor's extension is not in the directory
  unknown_target,        ///< the target extension is not in the directory
  cross_tenant,          ///< supervisor and call belong to different tenants
  not_a_supervisor,      ///< the supervisor's profile may not supervise at all
  self_supervision,      ///< the supervisor targets itself or a call it is in
  privacy,               ///< an on-net party of the call has privacy on
  out_of_scope,          ///< the target is outside the supervisor's scope
  mode_not_granted,      ///< the requested mode is not among the supervisor's grants
  not_bridged,           ///< bridged-only is on and the call is not bridged
  whisper_topology,      ///< whisper needs an on-net agent talking to an off-net customer
  supervisor_cap,        ///< the call has as many supervisors as the tenant allows
  barge_cap,             ///< the call has as many bargers as the tenant allows
  no_call,               ///< the target is not in a call the request can use
  custom,                ///< a custom policy's own reason (see Decision::rule)
  channel_not_allowed,   ///< the supervisor may not supervise through the request's channel
};

/// Every Reason, in declaration order.
inline constexpr std::array<Reason, 17> all_reasons{Reason::allowed,
                                                    Reason::supervision_disabled,
                                                    Reason::unknown_supervisor,
                                                    Reason::unknown_target,
                                                    Reason::cross_tenant,
                                                    Reason::not_a_supervisor,
                                                    Reason::self_supervision,
                                                    Reason::privacy,
                                                    Reason::out_of_scope,
                                                    Reason::mode_not_granted,
                                                    Reason::not_bridged,
                                                    Reason::whisper_topology,
                                                    Reason::supervisor_cap,
                                                    Reason::barge_cap,
                                                    Reason::no_call,
                                                    Reason::custom,
                                                    Reason::channel_not_allowed};

/// The reason's name as decisions, events and the audit log write it.
constexpr std::string_view to_string(Reason reason) noexcept {
  switch (reason) {
  case Reason::allowed: return "allowed";
  case Reason::supervision_disabled: return "supervision_disabled";
  case Reason::unknown_supervisor: return "unknown_supervisor";
  case Reason::unknown_target: return "unknown_target";
  case Reason::cross_tenant: return "cross_tenant";
  case Reason::not_a_supervisor: return "not_a_supervisor";
  case Reason::self_supervision: return "self_supervision";
  case Reason::privacy: return "privacy";
  case Reason::out_of_scope: return "out_of_scope";
  case Reason::mode_not_granted: return "mode_not_granted";
  case Reason::not_bridged: return "not_bridged";
  case Reason::whisper_topology: return "whisper_topology";
  case Reason::supervisor_cap: return "supervisor_cap";
  case Reason::barge_cap: return "barge_cap";
  case Reason::no_call: return "no_call";
  case Reason::custom: return "custom";
  case Reason::channel_not_allowed: return "channel_not_allowed";
  }
  return "unknown";
}

/// The reason named `text` (as to_string writes it), or nullopt.
constexpr std::optional<Reason> reason_from_string(std::string_view text) noexcept {
  for (Reason reason : all_reasons)
    if (to_string(reason) == text) return reason;
  return std::nullopt;
}

}  // namespace callsup
