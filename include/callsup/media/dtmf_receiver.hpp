// callsup: turns a stream of RFC 4733 telephone-event packets into DTMF digits, each counted once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "callsup/media/telephone_event.hpp"

namespace callsup {

/// Reports each DTMF digit of a telephone-event stream exactly once, however many packets
/// carry it. Not thread-safe: one per receiving leg, fed from that leg's media thread; no
/// allocation, O(history) per packet.
///
/// How packets are grouped into events (RFC 4733 §2.5):
/// - An event is identified by (SSRC, RTP timestamp): every packet of one key press carries
///   the timestamp of its start. Events may come on their own SSRC or on the audio's; the
///   receiver does not care, it keys by SSRC.
/// - The digit is reported at the event's FIRST packet seen (its begin, so a supervisor's mode
///   switch reacts at once; a first packet with duration 0 is valid), not at its end. So
///   continuation packets and the repeated end packets (same or new sequence numbers) never
///   count again, and a press whose early packets were lost still counts once.
/// - The last `history_size` keys are remembered (with duration and E bit), so a reordered
///   late packet of an older event does not count again. A packet whose timestamp is
///   before the newest remembered event of its SSRC, by less than `late_window` clock units,
///   is a late packet of a forgotten event and is ignored too; a larger backward step is a
///   timestamp jump (a re-INVITE, a restarted sender) and starts a new event.
/// - Long-duration events (§2.5.1.3) are split into segments: a new timestamp equal to the
///   previous timestamp + its duration (or + 0xFFFF, the full segment, if the packet
///   reporting it was lost), same event, previous not ended, is a continuation, not a new digit.
/// - All timestamp arithmetic is modulo 2^32 (serial-number comparison), so events keep
///   working across the timestamp wrap.
/// - Events that are not digits (16 = flash, tones) are remembered but never reported.
class DtmfReceiver {
 public:
  /// Number of (SSRC, timestamp) keys remembered.
  static constexpr std::size_t history_size = 16;
  /// How far before its SSRC's newest event a packet may start to count as late (8 s at 8 kHz).
  static constexpr std::uint32_t late_window = 0x10000;

  /// Feed every telephone-event packet (after RTP and payload parsing) with its RTP SSRC and
  /// timestamp. Returns the digit when this packet starts a new event, nullopt otherwise
  /// (continuation, repeated end packet, a non-digit event such as flash, a late packet of an
  /// older event).
  std::optional<char> on_packet(std::uint32_t ssrc, std::uint32_t rtp_timestamp,
                                const TelephoneEvent& event) noexcept;

  /// Forgets every remembered event and zeroes the counters: a fresh receiver.
  void reset() noexcept;

  /// Digits reported so far.
  std::uint64_t digits() const noexcept { return digits_; }
  /// Packets that produced no digit (continuations, repeats, late packets, non-digit events).
  std::uint64_t ignored() const noexcept { return ignored_; }

 private:
  struct Entry {
    std::uint32_t ssrc = 0;
    std::uint32_t timestamp = 0;
    std::uint16_t duration = 0;  ///< longest seen
    std::uint8_t event = 0;
    bool ended = false;
    bool used = false;
  };

  Entry* find(std::uint32_t ssrc, std::uint32_t timestamp) noexcept;
  const Entry* newest_of(std::uint32_t ssrc) const noexcept;
  void remember(std::uint32_t ssrc, std::uint32_t timestamp, const TelephoneEvent& event) noexcept;
  std::optional<char> ignore() noexcept;

  std::array<Entry, history_size> history_{};
  std::size_t next_ = 0;  ///< ring position of the next entry to (over)write
  std::uint64_t digits_ = 0;
  std::uint64_t ignored_ = 0;
};

}  // namespace callsup
