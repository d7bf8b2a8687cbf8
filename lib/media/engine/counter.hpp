// callsup (internal): a counter written by one thread and read by any.
#pragma once

#include <atomic>
#include <cstdint>

namespace callsup::detail {

/// Single-writer counter: the owning media thread adds with a plain load + store (no locked
/// read-modify-write on the packet path); other threads read a torn-free value.
class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void set(std::uint64_t n) noexcept { value_.store(n, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

}  // namespace callsup::detail
