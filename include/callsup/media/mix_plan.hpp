// callsup: a call's RouteSet compiled to slot numbers, so that a mixing tick needs no lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "callsup/model/leg.hpp"
#include "callsup/routing/route.hpp"
#include "callsup/routing/route_set.hpp"

namespace callsup {

/// Q14 fixed point: the gain 1.0 is exactly this value, so unity stays bit-exact.
inline constexpr std::int32_t unity_gain_q = 1 << 14;

/// Largest Q14 gain (just under 4.0, +12 dB). The cap keeps `sample * gain_q` inside
/// int32 for every int16 sample; ChanSpy's loudest volume step (+12 dB, 3.98) fits.
inline constexpr std::int32_t max_gain_q = 0xFFFF;

/// A linear gain in Q14, rounded to nearest. Defensive (the control plane validates
/// gains): negative and NaN become 0 (silence), large values and +inf `max_gain_q`.
std::int32_t gain_to_q14(float gain) noexcept;

/// One source of a listener, by slot.
struct MixSource {
  /// The source's slot in the call's mix.
  std::uint16_t slot = 0;
  float gain = 1.0f;                   ///< the route's linear gain, as published
  std::int32_t gain_q = unity_gain_q;  ///< the same gain in Q14 (gain_to_q14), what mixers use
  Channel channel = Channel::mono;     ///< where it lands in a stereo listener
  /// Member-wise equality.
  friend bool operator==(const MixSource&, const MixSource&) = default;
};

/// One listener slot and what it hears.
struct MixListener {
  /// The listener's slot in the call's mix.
  std::uint16_t slot = 0;
  bool stereo = false;             ///< some source lands on left/right: output is interleaved L/R
  bool unity_single = false;       ///< exactly one source, gain 1, mono: can be forwarded untouched
  std::vector<MixSource> sources;  ///< sorted by slot, so a tick reads the inputs in order
  /// Member-wise equality.
  friend bool operator==(const MixListener&, const MixListener&) = default;
};

/// A RouteSet compiled to slots so that a tick needs no lookup and no allocation.
/// Immutable once compiled; one plan may be read by one media thread at a time per call.
struct MixPlan {
  std::shared_ptr<const RouteSet> routes;      ///< what it was compiled from
  std::vector<LegId> slots;                    ///< leg id of each slot (as given)
  std::vector<MixListener> listeners;          ///< slots that hear at least one source, by slot order
  std::vector<std::uint8_t> needed_as_source;  ///< per slot: 1 if some listener hears it (decode needed)
  std::vector<std::uint8_t> hears_tone;        ///< per slot: in routes->tone_listeners
  std::size_t unattached_routes = 0;           ///< routes naming a leg that has no slot (ignored)

  /// The slot of `leg`, or nullopt when the leg has no slot (linear: slots are few).
  std::optional<std::uint16_t> slot_of(std::string_view leg) const noexcept {
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (slots[i] == leg) return static_cast<std::uint16_t>(i);
    return std::nullopt;
  }
  /// The listener entry of `slot`, or nullptr when that slot hears nothing.
  const MixListener* listener(std::uint16_t slot) const noexcept {
    for (const MixListener& l : listeners)
      if (l.slot == slot) return &l;
    return nullptr;
  }
};

/// Compiles `routes` for the legs numbered by `slots` (slot i is `slots[i]`). Routes whose
/// source or listener has no slot (an endpoint not attached yet) are counted in
/// `unattached_routes` and left out; tone listeners without a slot are ignored. An ended
/// RouteSet compiles to a plan without listeners. Called once per route change, so it may
/// allocate. Throws Error(invalid_argument) when `routes` is null, a slot id is empty or
/// repeated, or there are more than 65536 slots.
MixPlan compile_mix_plan(std::shared_ptr<const RouteSet> routes, std::span<const LegId> slots);

}  // namespace callsup
