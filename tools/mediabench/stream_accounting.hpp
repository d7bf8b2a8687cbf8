// callsup-mediabench: what the generator counts per stream over the measurement window: frames
// sent, which of them came back (by the payload tag, once each), their one-way latency, and the
// packets that came back during the window (what the relay relayed in it).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "io_json.hpp"
#include "latency_histogram.hpp"

namespace callsup::mediabench {

class StreamAccounting {
 public:
  StreamAccounting(std::size_t streams, std::size_t frames_per_stream, std::int64_t window_begin_ns,
                   std::int64_t window_end_ns)
      : frames_(frames_per_stream),
        begin_(window_begin_ns),
        end_(window_end_ns),
        seen_(streams * frames_per_stream, false),
        sent_(streams, 0),
        back_(streams, 0) {}

  bool in_window(std::int64_t ns) const noexcept { return ns >= begin_ && ns < end_; }

  void on_sent(std::uint32_t stream, std::int64_t sent_ns) noexcept {
    if (in_window(sent_ns)) ++sent_[stream];
  }

  /// A tagged frame of `stream` (< streams) came back at `received_ns`.
  void on_received(std::uint32_t stream, std::uint32_t frame, std::int64_t sent_ns,
                   std::int64_t received_ns) noexcept {
    if (in_window(received_ns)) ++received_in_window_;
    // Only frames sent in the window count for loss and latency: the window's own traffic.
    if (!in_window(sent_ns) || frame >= frames_) return;
    const std::size_t slot = static_cast<std::size_t>(stream) * frames_ + frame;
    if (seen_[slot]) {
      ++duplicates_;
      return;
    }
    seen_[slot] = true;
    ++back_[stream];
    latency_.record(received_ns - sent_ns);
  }

  json result() const {
    std::uint64_t sent = 0, back = 0, worst = 0, streams_with_loss = 0;
    for (std::size_t s = 0; s < sent_.size(); ++s) {
      sent += sent_[s];
      back += back_[s];
      const std::uint64_t lost = sent_[s] - std::min(sent_[s], back_[s]);
      worst = std::max(worst, lost);
      if (lost > 0) ++streams_with_loss;
    }
    return {{"sent", sent},
            {"received", received_in_window_},
            {"frames_back", back},
            {"frames_lost", sent - std::min(sent, back)},
            {"streams", sent_.size()},
            {"streams_with_loss", streams_with_loss},
            {"max_lost_per_stream", worst},
            {"duplicates", duplicates_},
            {"latency_ms",
             {{"p50", latency_.quantile_ms(0.5)},
              {"p99", latency_.quantile_ms(0.99)},
              {"max", latency_.max_ms()},
              {"count", latency_.count()}}}};
  }

 private:
  std::size_t frames_;
  std::int64_t begin_, end_;
  std::vector<bool> seen_;
  std::vector<std::uint64_t> sent_, back_;
  std::uint64_t received_in_window_ = 0, duplicates_ = 0;
  LatencyHistogram latency_;
};

}  // namespace callsup::mediabench
