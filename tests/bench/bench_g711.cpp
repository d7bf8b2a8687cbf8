// Benchmarks of the bulk G.711 conversions (the per-packet hot path). Target: at most 1 CPU
// cycle per sample in both directions (release build). Items are samples, so items_per_second
// gives the throughput and the `cycles/sample` counter divides the CPU clock that Google
// Benchmark read from /proc/cpuinfo (printed in the header "Run on (N X <MHz> CPU s)") by it.
// The console shows that counter with an "s" suffix (an inverted rate); the number is cycles.
// See docs/performance.md for the numbers and commands.
//
//   cmake --preset release -B build/release && cmake --build build/release --target callsup_bench
//   build/release/bin/callsup_bench --benchmark_filter=G711

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "callsup/media/g711.hpp"

namespace {

constexpr std::int64_t frame_samples = 160;      // one 20 ms frame at 8 kHz
constexpr std::int64_t large_samples = 1 << 16;  // 64 Ki samples: 128 KiB of PCM, beyond L1

/// Adds items (samples) and cycles per sample to the report.
void report(benchmark::State& state, std::size_t samples) {
  const auto items = static_cast<std::int64_t>(samples) * static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(items);
  // kIsIterationInvariantRate | kInvert: cpu_seconds / (iterations * samples / cycles_per_second).
  state.counters["cycles/sample"] =
      benchmark::Counter(static_cast<double>(samples) / benchmark::CPUInfo::Get().cycles_per_second,
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

std::vector<std::int16_t> random_pcm(std::size_t n) {
  // Speech-like spread: mostly small values with some loud ones, all segments visited.
  std::mt19937 rng(7);
  std::normal_distribution<double> dist(0.0, 4000.0);
  std::vector<std::int16_t> pcm(n);
  for (auto& s : pcm) {
    const double v = dist(rng);
    s = static_cast<std::int16_t>(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
  }
  return pcm;
}

std::vector<std::uint8_t> random_codes(std::size_t n) {
  std::mt19937 rng(11);
  std::vector<std::uint8_t> codes(n);
  for (auto& c : codes) c = static_cast<std::uint8_t>(rng());
  return codes;
}

template <void (*Encode)(std::span<const std::int16_t>, std::span<std::uint8_t>) noexcept>
void encode(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto pcm = random_pcm(n);
  std::vector<std::uint8_t> out(n);
  for (auto _ : state) {
    Encode(pcm, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, n);
}

template <void (*Decode)(std::span<const std::uint8_t>, std::span<std::int16_t>) noexcept>
void decode(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto codes = random_codes(n);
  std::vector<std::int16_t> out(n);
  for (auto _ : state) {
    Decode(codes, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, n);
}

void BM_G711_encode_ulaw(benchmark::State& state) { encode<callsup::encode_ulaw>(state); }
void BM_G711_decode_ulaw(benchmark::State& state) { decode<callsup::decode_ulaw>(state); }
void BM_G711_encode_alaw(benchmark::State& state) { encode<callsup::encode_alaw>(state); }
void BM_G711_decode_alaw(benchmark::State& state) { decode<callsup::decode_alaw>(state); }

}  // namespace

BENCHMARK(BM_G711_encode_ulaw)->Arg(frame_samples)->Arg(large_samples);
BENCHMARK(BM_G711_decode_ulaw)->Arg(frame_samples)->Arg(large_samples);
BENCHMARK(BM_G711_encode_alaw)->Arg(frame_samples)->Arg(large_samples);
BENCHMARK(BM_G711_decode_alaw)->Arg(frame_samples)->Arg(large_samples);
