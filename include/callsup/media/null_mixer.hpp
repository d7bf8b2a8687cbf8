// callsup: a mixer that mixes nothing — for tests and for benchmarks of the engine without mixing.
#pragma once

#include <algorithm>
#include <cstdint>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/routing/route_set.hpp"

namespace callsup {

/// Ignores routes and produces nothing (produced = 0 for every slot): mixed media is dropped.
/// It still reports mixes_audio() = true so that the engine runs its whole in-process path
/// (receive, decode, forward what it forwards itself), which is what an engine benchmark
/// or test wants to measure without the cost of mixing. Stateless and thread-safe.
class NullMixer final : public MixerBackend {
 public:
  /// Ignored.
  void on_routes(const RouteSet&) override {}
  /// True: the engine keeps its in-process path; only the mixing is a no-op.
  bool mixes_audio() const noexcept override { return true; }
  /// Marks every slot as "nothing produced".
  void mix(const MixPlan&, const MixFrames& frames) noexcept override {
    std::fill(frames.produced.begin(), frames.produced.end(), std::uint8_t{0});
  }
};

}  // namespace callsup
