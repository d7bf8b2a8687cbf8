// callsup: what compute_routes needs to know about each supervisor and tap.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

#include "callsup/mode.hpp"
#include "callsup/model/leg.hpp"
#include "callsup/session_choices.hpp"

namespace callsup {

/// One supervision session as routing sees it.
struct SupervisorRoute {
  /// The supervisor's leg.
  LegId supervisor_leg;
  bool supervisor_up = true;  ///< false while the supervisor's own leg is held or gone
  /// Listen, whisper or barge.
  Mode mode = Mode::listen;
  LegId target_leg;   ///< the supervised agent (left channel in stereo)
  LegId whisper_leg;  ///< who hears a whisper; empty means target_leg
  /// In listen: whom the supervisor hears (both parties, or only one side).
  ListenDirection direction = ListenDirection::both;
  bool stereo = false;           ///< agent on the left, everyone else on the right
  bool private_whisper = false;  ///< while whispering the supervisor hears nothing
  float gain = 1.0f;             ///< applied to everything the supervisor hears
  bool monitoring_tone = false;  ///< the parties hear a periodic monitoring tone

  /// Who hears a whisper: whisper_leg, or target_leg when that is empty.
  const LegId& whisper_target() const noexcept { return whisper_leg.empty() ? target_leg : whisper_leg; }
};

/// A recorder or transcriber attached to a call: hears, is never heard.
struct Tap {
  /// The tap's own leg id, unique in the call.
  LegId id;
  bool hears_whisper = false;  ///< compliance recording that must include whispers
};

/// Linear gain of a volume step: 3 dB per step, steps -4..+4 (ChanSpy's range).
inline float volume_gain(int step) { return static_cast<float>(std::pow(10.0, 3.0 * step / 20.0)); }

}  // namespace callsup
