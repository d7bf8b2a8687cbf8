// callsup: the default in-process mixer — 32-bit accumulate, per-route gain, clamp.
#pragma once

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/routing/route_set.hpp"

namespace callsup {

/// Mixes in the media thread: each listener's output is the sum of its sources, each scaled
/// by its Q14 gain (rounded to nearest; gain 1 is the identity), accumulated in int32 and
/// clamped to int16 once at the end. A mono source lands on both channels of a stereo
/// listener, a left/right source on its channel only. A listener with one unity mono source
/// gets that source's samples untouched. No allocation and no lock per tick (accumulators
/// live on the stack), so one SoftwareMixer serves every call of every thread. Frames longer
/// than `max_mix_samples` produce nothing.
class SoftwareMixer final : public MixerBackend {
 public:
  /// Nothing to do: the MixPlan passed to mix() carries everything.
  void on_routes(const RouteSet&) override {}
  /// Always true: the engine decodes and calls mix() each tick.
  bool mixes_audio() const noexcept override { return true; }
  void mix(const MixPlan& plan, const MixFrames& frames) noexcept override;
};

}  // namespace callsup
