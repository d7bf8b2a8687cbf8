// callsup: receive-side RTP sequence accounting (loss, duplicates, reordering) of one stream.
#pragma once

#include <cstdint>

namespace callsup::sim {

/// Counts what the sequence numbers of one received RTP stream say about the network,
/// wrap-safe (16-bit sequence numbers, as RFC 3550 A.1). Loss is counted once the stream
/// runs (from its first packet): a gap counts its missing packets as lost, and a missing
/// packet that arrives late (up to 64 behind the highest) is taken back out of `lost` and
/// counted as reordered. A jump of more than 3,000 ahead or 100 behind is a restart of the
/// sender's sequence space: nothing is counted lost for it. Not thread-safe.
class SequenceTracker {
 public:
  enum class Verdict : std::uint8_t {
    first,      ///< the stream's first packet (or first after a restart)
    next,       ///< highest + 1
    gap,        ///< ahead of highest + 1: the packets in between are counted lost
    duplicate,  ///< already received (within the last 64)
    reordered,  ///< a missing packet arrived late: no longer lost
    late,       ///< more than 64 behind (counted reordered, stays lost: cannot tell from a duplicate), or
                ///< older than the stream's first packet (counted reordered, never was lost)
    restart,    ///< a jump too large to be loss or reordering
  };

  Verdict on_packet(std::uint16_t sequence) noexcept {
    if (!started_) return start(sequence, Verdict::first);
    const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - highest_));
    if (delta > max_dropout || delta < -max_misorder) return start(sequence, Verdict::restart);
    if (delta > 0) {
      lost_ += static_cast<std::uint64_t>(delta - 1);
      since_first_ += static_cast<std::uint64_t>(delta);
      window_ = delta >= 64 ? 1 : (window_ << delta) | 1;
      highest_ = sequence;
      return delta == 1 ? Verdict::next : Verdict::gap;
    }
    if (delta == 0) return ++duplicates_, Verdict::duplicate;
    const int behind = -delta;
    // Older than the stream's first packet: it was never expected, so never counted lost.
    if (static_cast<std::uint64_t>(behind) > since_first_) return ++reordered_, Verdict::late;
    if (behind >= 64) return ++reordered_, Verdict::late;
    const std::uint64_t bit = std::uint64_t{1} << behind;
    if (window_ & bit) return ++duplicates_, Verdict::duplicate;
    window_ |= bit;
    --lost_;  // it was counted lost when the gap opened
    ++reordered_;
    return Verdict::reordered;
  }

  /// The sender changed (a new SSRC): its next packet starts a new sequence space. Counts
  /// a restart; the totals so far are kept.
  void new_source() noexcept {
    if (started_) ++restarts_;
    started_ = false;
  }

  std::uint64_t lost() const noexcept { return lost_; }
  std::uint64_t duplicates() const noexcept { return duplicates_; }
  std::uint64_t reordered() const noexcept { return reordered_; }
  std::uint64_t restarts() const noexcept { return restarts_; }
  bool started() const noexcept { return started_; }
  std::uint16_t highest() const noexcept { return highest_; }

 private:
  static constexpr int max_dropout = 3000;  // RFC 3550 A.1's MAX_DROPOUT
  static constexpr int max_misorder = 100;  // and MAX_MISORDER

  Verdict start(std::uint16_t sequence, Verdict verdict) noexcept {
    if (started_) ++restarts_;
    started_ = true;
    highest_ = sequence;
    window_ = 1;
    since_first_ = 0;
    return verdict;
  }

  bool started_ = false;
  std::uint16_t highest_ = 0;
  std::uint64_t window_ = 0;       // bit i: highest_ - i was received
  std::uint64_t since_first_ = 0;  // highest_ - the (re)start's first sequence, unwrapped
  std::uint64_t lost_ = 0, duplicates_ = 0, reordered_ = 0, restarts_ = 0;
};

}  // namespace callsup::sim
