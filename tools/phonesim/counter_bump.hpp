// callsup phonesim (internal): counters a single thread writes and any thread reads.
#pragma once

#include <atomic>
#include <cstdint>

namespace callsup::sim {

/// Adds `n` to a counter that only the calling thread writes: a plain load + store is enough (no
/// read-modify-write) and readers on other threads see whole values.
inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

}  // namespace callsup::sim
