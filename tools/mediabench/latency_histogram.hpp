// callsup-mediabench: one-way latency as a fixed histogram (10 µs buckets up to 200 ms): constant
// memory and no allocation per packet, whatever the run's length; percentiles to 10 µs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace callsup::mediabench {

class LatencyHistogram {
 public:
  static constexpr std::int64_t bucket_ns = 10'000;
  static constexpr std::size_t buckets = 20'000;  // 200 ms; later ones land in the last bucket

  void record(std::int64_t ns) noexcept {
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>(0, ns) / bucket_ns);
    ++counts_[std::min(index, buckets - 1)];
    ++total_;
    max_ns_ = std::max(max_ns_, ns);
  }
  std::uint64_t count() const noexcept { return total_; }
  double max_ms() const noexcept { return static_cast<double>(max_ns_) / 1e6; }
  /// The upper edge of the bucket holding the q-quantile (0 < q <= 1), in ms; 0 when empty.
  double quantile_ms(double q) const noexcept {
    if (total_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets; ++i) {
      seen += counts_[i];
      if (seen >= rank) return static_cast<double>((static_cast<std::int64_t>(i) + 1) * bucket_ns) / 1e6;
    }
    return max_ms();
  }

 private:
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(buckets, 0);
  std::uint64_t total_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace callsup::mediabench
