// callsup (internal): a fixed-bucket histogram of durations, for percentiles.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "counter.hpp"

namespace callsup::detail {

/// Durations in 50 µs buckets up to 200 ms (the last bucket takes everything above). One
/// thread records; any thread may read a percentile. No allocation.
class LatencyHistogram {
 public:
  static constexpr std::int64_t bucket_ns = 50'000;
  static constexpr std::size_t buckets = 4000;

  void record(std::int64_t nanoseconds) noexcept {
    std::size_t index = nanoseconds <= 0 ? 0 : static_cast<std::size_t>(nanoseconds / bucket_ns);
    if (index >= buckets) index = buckets - 1;
    counts_[index].add();
    total_.add();
  }
  std::uint64_t count() const noexcept { return total_.get(); }
  /// Forgets everything (by the recording thread only).
  void reset() noexcept {
    for (Counter& c : counts_) c.set(0);
    total_.set(0);
  }
  /// Upper edge of the bucket holding the p-th percentile (0 < p <= 100), in milliseconds; 0 when
  /// nothing was recorded.
  double percentile_ms(double p) const noexcept {
    const std::uint64_t total = total_.get();
    if (total == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(static_cast<double>(total) * p / 100.0 + 0.999999);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets; ++i) {
      seen += counts_[i].get();
      if (seen >= rank) return static_cast<double>((static_cast<std::int64_t>(i) + 1) * bucket_ns) / 1e6;
    }
    return static_cast<double>(buckets * bucket_ns) / 1e6;
  }

 private:
  std::array<Counter, buckets> counts_{};
  Counter total_;
};

}  // namespace callsup::detail
