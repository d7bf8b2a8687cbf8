// Jitter buffer cost per packet: one push and one pop per tick (steady and reordered streams).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "callsup/media/jitter_buffer.hpp"

namespace {

void BM_JitterBufferSteady(benchmark::State& state) {
  callsup::JitterBuffer buffer;
  std::array<std::uint8_t, 160> payload{};
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  for (auto _ : state) {
    buffer.push(sequence++, timestamp, 1, false, payload);
    timestamp += 160;
    benchmark::DoNotOptimize(buffer.pop());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JitterBufferSteady);

// Pairs swapped (2,1,4,3,...) with one frame of margin: the insert path shifts an entry.
void BM_JitterBufferReordered(benchmark::State& state) {
  callsup::JitterBufferConfig config;
  config.shrink_after = 0;
  callsup::JitterBuffer buffer(config);
  std::array<std::uint8_t, 160> payload{};
  std::uint32_t n = 0;
  buffer.push(0, 0, 1, false, payload);
  for (auto _ : state) {
    const std::uint32_t a = n + 2, b = n + 1;
    buffer.push(static_cast<std::uint16_t>(a), a * 160, 1, false, payload);
    buffer.push(static_cast<std::uint16_t>(b), b * 160, 1, false, payload);
    benchmark::DoNotOptimize(buffer.pop());
    benchmark::DoNotOptimize(buffer.pop());
    n += 2;
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_JitterBufferReordered);

}  // namespace
