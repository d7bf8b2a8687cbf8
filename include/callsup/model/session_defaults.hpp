// callsup: session defaults a tenant, an extension or a feature-code plan sets: each field
// that is set overrides the layer below (service < plan < tenant < extension).
#pragma once

#include <optional>
#include <string>

#include "callsup/error.hpp"
#include "callsup/session_choices.hpp"

namespace callsup {

/// Per-layer session defaults ("SPY_PARAMS" per user, a tenant's usual options). A field
/// left empty keeps what the layer below says; a request's own options replace them all.
/// The fields mean what SessionOptions' fields of the same name mean.
struct SessionDefaults {
  /// See SessionOptions::exit_on_target_hangup.
  std::optional<bool> exit_on_target_hangup;
  /// See SessionOptions::stop_when_none_left.
  std::optional<bool> stop_when_none_left;
  /// See SessionOptions::bridged_only.
  std::optional<bool> bridged_only;
  /// See SessionOptions::announce.
  std::optional<bool> announce;
  /// See SessionOptions::private_whisper.
  std::optional<bool> private_whisper;
  /// See SessionOptions::listen_direction.
  std::optional<ListenDirection> listen_direction;
  /// See SessionOptions::stereo.
  std::optional<bool> stereo;
  /// See SessionOptions::volume_step.
  std::optional<int> volume_step;
  /// See SessionOptions::agent_leaves_in_barge.
  std::optional<AgentLeavesInBarge> agent_leaves_in_barge;
  /// See SessionOptions::notify_agent.
  std::optional<bool> notify_agent;
  /// See SessionOptions::monitoring_tone.
  std::optional<bool> monitoring_tone;
  /// See SessionOptions::follow_on_transfer.
  std::optional<bool> follow_on_transfer;
  /// See SessionOptions::pre_arm.
  std::optional<bool> pre_arm;
  /// See SessionOptions::whisper_to.
  std::optional<WhisperTo> whisper_to;

  /// Member-wise equality.
  friend bool operator==(const SessionDefaults&, const SessionDefaults&) = default;

  /// True when no field is set.
  bool empty() const noexcept { return *this == SessionDefaults{}; }

  /// Throws Error(invalid_argument) naming a volume step outside -4..4.
  void validate() const {
    if (volume_step && (*volume_step < -4 || *volume_step > 4))
      throw Error(errc::invalid_argument,
                  "volume step " + quoted(std::to_string(*volume_step)) + " is outside -4..4");
  }

  /// Fields set here win over `below`'s.
  SessionDefaults over(const SessionDefaults& below) const {
    SessionDefaults out = below;
    auto take = [](auto& to, const auto& from) {
      if (from) to = from;
    };
    take(out.exit_on_target_hangup, exit_on_target_hangup);
    take(out.stop_when_none_left, stop_when_none_left);
    take(out.bridged_only, bridged_only);
    take(out.announce, announce);
    take(out.private_whisper, private_whisper);
    take(out.listen_direction, listen_direction);
    take(out.stereo, stereo);
    take(out.volume_step, volume_step);
    take(out.agent_leaves_in_barge, agent_leaves_in_barge);
    take(out.notify_agent, notify_agent);
    take(out.monitoring_tone, monitoring_tone);
    take(out.follow_on_transfer, follow_on_transfer);
    take(out.pre_arm, pre_arm);
    take(out.whisper_to, whisper_to);
    return out;
  }
};

}  // namespace callsup
