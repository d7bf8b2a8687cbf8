// callsup: the pluggable mixer contract — route updates for every backend, ticks for in-process ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "callsup/media/mix_plan.hpp"
#include "callsup/routing/route_set.hpp"

namespace callsup {

/// Longest frame an in-process mixer accepts, per channel: 120 ms at 48 kHz (Opus's longest
/// frame). A longer `MixFrames::samples` is a caller bug; mixers then produce nothing.
inline constexpr std::size_t max_mix_samples = std::size_t{48} * 120;

/// One tick of one call for an in-process mixer. Slot i is MixPlan::slots[i]; every span
/// has one entry per slot (a mixer given shorter spans produces nothing).
struct MixFrames {
  std::size_t samples = 0;                      ///< per channel (e.g. 160 = 8 kHz, 20 ms)
  std::span<const std::int16_t* const> inputs;  ///< per slot: `samples` mono samples, or nullptr = silent
  /// Per slot: room for 2 * samples (stereo interleaved), never overlapping an input; nullptr
  /// = do not mix this slot (produced 0).
  std::span<std::int16_t* const> outputs;
  /// Per slot: 1 = the engine forwards this listener itself. Empty = skip nothing.
  std::span<const std::uint8_t> skip;
  std::span<std::uint8_t> produced;  ///< set by mix() per slot: 0 nothing, 1 mono, 2 stereo
};

/// What the media engine needs from a mixer. The engine owns the threads: it calls
/// on_routes() whenever a call's RouteSet changes and, when mixes_audio() is true, mix()
/// once per tick with the decoded frames. Backends that drive an external media server
/// implement on_routes() only (see RouteRecorder for the shape of such a backend).
class MixerBackend {
 public:
  virtual ~MixerBackend() = default;

  /// A call's routes changed (also when the call ends: routes.ended). Called by engine threads,
  /// one call always from the same thread, different calls possibly concurrently: must be
  /// thread-safe. `routes` is only valid during the call: copy what is kept. Should not block
  /// long, since it runs on a media thread.
  virtual void on_routes(const RouteSet& routes) = 0;

  /// True for in-process mixers: the engine receives and decodes what each MixPlan needs and
  /// calls mix() every tick. False for a backend that only drives an external media server:
  /// the engine then neither decodes, mixes nor sends audio for that backend's calls (the
  /// external server carries the media) and never calls mix(). Constant for an object.
  virtual bool mixes_audio() const noexcept = 0;

  /// Mixes one tick: for every listener of the plan not skipped, writes its output and sets
  /// produced[slot] (1 mono, 2 stereo); every other slot gets produced = 0. A listener whose
  /// sources are all silent this tick still gets silence (produced = 1/2). Must not allocate,
  /// must not throw; called concurrently for different calls, never for one call.
  virtual void mix(const MixPlan& plan, const MixFrames& frames) noexcept = 0;
};

}  // namespace callsup
