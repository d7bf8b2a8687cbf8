// Benchmarks of SoftwareMixer::mix, "mixer per frame": one 20 ms tick at 8 kHz (160 samples).
// Target: mixing <= 0.5 cycle per sample. Items = output samples written by the mixer (per
// listener: samples x channels). Counters, from CPU time and the nominal clock that the
// benchmark reports: cyc/out = cycles per output sample, cyc/in = cycles per source sample
// summed (a listener of k sources sums k samples per output sample). Listeners the engine
// forwards itself (one unity source) are skipped, as the engine does. Measure with the
// release preset:
//   cmake --preset release -B build/release && cmake --build build/release --target callsup_bench
//   build/release/bin/callsup_bench --benchmark_filter=mixer --benchmark_repetitions=5

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/media/software_mixer.hpp"
#include "callsup/model/call.hpp"
#include "callsup/routing/compute_routes.hpp"

namespace {

using namespace callsup;

constexpr std::size_t samples_per_tick = 160;  // 8 kHz, 20 ms

/// One call's tick: a compiled plan and the engine-side buffers.
struct Fixture {
  MixPlan plan;
  std::vector<std::vector<std::int16_t>> in;
  std::vector<std::vector<std::int16_t>> out;
  std::vector<const std::int16_t*> inputs;
  std::vector<std::int16_t*> outputs;
  std::vector<std::uint8_t> skip;
  std::vector<std::uint8_t> produced;
  std::size_t out_samples = 0;  // per tick, over the mixed listeners
  std::size_t in_samples = 0;   // per tick, source samples summed

  Fixture(const RouteSet& routes, std::vector<LegId> slots) {
    plan = compile_mix_plan(std::make_shared<const RouteSet>(routes), slots);
    std::mt19937 rng(42);
    // Speech-like level (about -12 dBFS peaks): the sums stay inside int16, as in real calls.
    std::uniform_int_distribution<int> sample(-8000, 8000);
    const std::size_t n = plan.slots.size();
    in.assign(n, std::vector<std::int16_t>(samples_per_tick));
    out.assign(n, std::vector<std::int16_t>(2 * samples_per_tick));
    for (auto& frame : in)
      for (auto& s : frame) s = static_cast<std::int16_t>(sample(rng));
    for (std::size_t i = 0; i < n; ++i) {
      inputs.push_back(in[i].data());
      outputs.push_back(out[i].data());
    }
    skip.assign(n, 0);
    produced.assign(n, 0);
    for (const MixListener& l : plan.listeners) {
      if (l.unity_single) {
        skip[l.slot] = 1;  // the engine forwards it without mixing
        continue;
      }
      out_samples += samples_per_tick * (l.stereo ? 2 : 1);
      for (const MixSource& s : l.sources)
        in_samples += samples_per_tick * (s.channel == Channel::mono && l.stereo ? 2 : 1);
    }
  }
  MixFrames frames() { return {samples_per_tick, inputs, outputs, skip, produced}; }
};

void run(benchmark::State& state, Fixture& fixture) {
  SoftwareMixer mixer;
  const MixFrames frames = fixture.frames();
  mixer.mix(fixture.plan, frames);
  for (const MixListener& l : fixture.plan.listeners)
    if (fixture.produced[l.slot] != (fixture.skip[l.slot] ? 0 : l.stereo ? 2 : 1)) {
      state.SkipWithError("the mixer did not produce what the plan asks");
      return;
    }
  const std::clock_t cpu_start = std::clock();  // CPU time: the machine may be shared
  for (auto _ : state) {
    mixer.mix(fixture.plan, frames);
    benchmark::ClobberMemory();
  }
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double cycles = cpu_seconds * benchmark::CPUInfo::Get().cycles_per_second;
  const double ticks = static_cast<double>(state.iterations());
  state.counters["cyc/out"] = cycles / (ticks * static_cast<double>(fixture.out_samples));
  state.counters["cyc/in"] = cycles / (ticks * static_cast<double>(fixture.in_samples));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(fixture.out_samples));
  state.counters["out/tick"] = static_cast<double>(fixture.out_samples);
}

/// A supervised 2-party call: agent, customer and one supervisor in `mode`.
Fixture supervised(Mode mode, bool stereo = false, int volume_step = 0) {
  Call call;
  call.id = "c1";
  call.bridged = true;
  call.legs.push_back(Leg::on_net("agent", "100", LegState::up));
  call.legs.push_back(Leg::off_net("cust", "+15550001", LegState::up));
  SupervisorRoute s;
  s.supervisor_leg = "sup";
  s.mode = mode;
  s.target_leg = "agent";
  s.stereo = stereo;
  s.gain = volume_gain(volume_step);
  return Fixture(compute_routes(call, std::vector<SupervisorRoute>{s}), {"agent", "cust", "sup"});
}

/// Every one of `parties` legs hears all the others at `gain` (a conference bridge).
Fixture conference(std::size_t parties, float gain) {
  RouteSet routes;
  routes.call = "conf";
  std::vector<LegId> slots;
  for (std::size_t i = 0; i < parties; ++i) slots.push_back("leg" + std::to_string(i));
  for (const LegId& to : slots)
    for (const LegId& from : slots)
      if (from != to) routes.routes.push_back({from, to, gain, Channel::mono});
  return Fixture(routes, slots);
}

void BM_mixer_listen(benchmark::State& state) {
  Fixture f = supervised(Mode::listen);
  run(state, f);
}
void BM_mixer_whisper(benchmark::State& state) {
  Fixture f = supervised(Mode::whisper);
  run(state, f);
}
void BM_mixer_barge(benchmark::State& state) {
  Fixture f = supervised(Mode::barge);
  run(state, f);
}
/// A stereo supervisor at volume +2 (gain 2.0): the gain and interleave paths.
void BM_mixer_listen_stereo_gain(benchmark::State& state) {
  Fixture f = supervised(Mode::listen, true, 2);
  run(state, f);
}
/// Stress: 10 legs, each hearing the 9 others (90 sources per tick).
void BM_mixer_conference10(benchmark::State& state) {
  Fixture f = conference(10, 1.0f);
  run(state, f);
}
void BM_mixer_conference10_gain(benchmark::State& state) {
  Fixture f = conference(10, 0.7f);
  run(state, f);
}

BENCHMARK(BM_mixer_listen);
BENCHMARK(BM_mixer_whisper);
BENCHMARK(BM_mixer_barge);
BENCHMARK(BM_mixer_listen_stereo_gain);
BENCHMARK(BM_mixer_conference10);
BENCHMARK(BM_mixer_conference10_gain);

}  // namespace
