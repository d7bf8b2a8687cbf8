// callsup: injectable monotonic clocks, so timeouts (DTMF inter-digit) are testable.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "callsup/error.hpp"

namespace callsup {

/// Injectable monotonic clock (tests drive DTMF timeouts with ManualClock).
class Clock {
 public:
  /// A reading of the clock (steady_clock's).
  using time_point = std::chrono::steady_clock::time_point;
  /// A difference between two readings.
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  /// The current time. Only differences between two readings are meaningful.
  virtual time_point now() const = 0;
};

/// The real clock: std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
};

/// A clock that moves only when told to. Thread-safe: a test thread may drive it
/// while the code under test reads it from other threads.
class ManualClock final : public Clock {
 public:
  /// Starts at the steady_clock epoch (time_point{}).
  ManualClock() noexcept = default;
  /// Starts at `start`.
  explicit ManualClock(time_point start) noexcept : ticks_(start.time_since_epoch().count()) {}

  time_point now() const override { return time_point(duration(ticks_.load(std::memory_order_acquire))); }

  /// Moves the clock forward by `step`. Throws Error(invalid_argument) for a negative
  /// step: a monotonic clock never runs backwards by accident (use set() to rewind on purpose).
  void advance(std::chrono::milliseconds step) {
    if (step < std::chrono::milliseconds::zero())
      throw Error(errc::invalid_argument, "ManualClock::advance step " +
                                              quoted(std::to_string(step.count()) + "ms") + " is negative");
    ticks_.fetch_add(std::chrono::duration_cast<duration>(step).count(), std::memory_order_acq_rel);
  }

  /// Jumps to `when` (forwards or backwards).
  void set(time_point when) noexcept {
    ticks_.store(when.time_since_epoch().count(), std::memory_order_release);
  }

 private:
  std::atomic<duration::rep> ticks_{0};
};

}  // namespace callsup
