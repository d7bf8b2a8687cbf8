// callsup: produces the RFC 4733 telephone-event packets of queued digits, one per packet time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "callsup/media/telephone_event.hpp"

namespace callsup {

/// Turns digits into the telephone-event packets an endpoint sends, one per ptime.
/// Not thread-safe: call send() and next() from the endpoint's media thread (or under its
/// lock). send() may allocate (it queues); next() never does.
///
/// How the endpoint uses it: it keeps its own media RTP timestamp, advancing by
/// samples_per_frame() each ptime, and calls next() once per ptime. The RTP timestamp of a
/// packet is the start of its event: `media timestamp of this tick - timestamp_offset`
/// (equivalently, latch the media timestamp when `marker` is set and reuse it for the event).
/// The marker bit is set on the first packet of each event (RFC 4733 §2.5.1.1).
///
/// Packets of one digit of `duration` clock units, `frame` = samples_per_frame():
/// - ticks 1..n (n = duration rounded up to whole frames): duration min(k * frame, duration),
///   the E bit on tick n;
/// - the end packet is then sent twice more, unchanged (three in all, RFC 4733 §2.5.1.4);
/// - then silence (nullopt) until the gap has passed. The two retransmissions fall inside the
///   gap, so the gap is at least two ptimes. The gap also holds when digits are queued later.
class DtmfSender {
 public:
  /// One packet to send this ptime.
  struct Packet {
    /// The digit, its volume and the duration so far, as the packet carries them.
    TelephoneEvent event;
    bool marker = false;                 ///< first packet of an event (set the RTP marker bit)
    std::uint32_t timestamp_offset = 0;  ///< clock units from the event start to this tick (0 when marker)
  };

  /// `clock_rate` of the telephone-event payload type (Hz), `ptime_ms` between packets, RFC 4733
  /// `volume` 0..63 (-dBm0). Throws Error(invalid_argument) naming a value that is not positive,
  /// a ptime that is not a whole number of clock units or longer than 0xFFFF of them, a
  /// volume above 63.
  explicit DtmfSender(int clock_rate = 8000, int ptime_ms = 20, std::uint8_t volume = 10);

  /// Queues digits ("1", "*81"; 0-9 * # A-D, a-d accepted). Each digit lasts `duration_ms`
  /// (default 100), followed by a gap of `gap_ms` (default 60) before the next. Throws
  /// Error(invalid_argument) naming a bad digit, a non-positive duration, a duration that does
  /// not fit the 16-bit duration field, or a negative gap; nothing is queued then.
  void send(std::string_view digits, int duration_ms = 100, int gap_ms = 60);

  /// True while packets remain to be sent (queued digits, or the current digit's packets).
  bool busy() const noexcept { return active_ || head_ < queue_.size(); }

  /// Called once per ptime by the endpoint's clock. Returns the packet to send this ptime, or
  /// nullopt (nothing to send now: idle or in a gap).
  std::optional<Packet> next() noexcept;

  /// Drops the queued digits; the current digit, if any, still ends properly (E bit).
  void cancel_queued() noexcept;

  /// RTP clock units per ptime (160 at 8 kHz / 20 ms).
  std::uint32_t samples_per_frame() const noexcept { return frame_; }
  /// The payload type's clock rate given to the constructor.
  int clock_rate() const noexcept { return clock_rate_; }

 private:
  struct Tone {
    std::uint8_t event = 0;
    std::uint16_t duration = 0;   ///< clock units
    std::uint32_t ticks = 0;      ///< ptimes carrying the tone (duration rounded up)
    std::uint32_t gap_ticks = 0;  ///< silent ptimes after it, >= 2 (the end retransmissions)
  };

  int clock_rate_;
  std::uint32_t frame_;
  std::uint8_t volume_;
  std::vector<Tone> queue_;
  std::size_t head_ = 0;  ///< next tone of queue_ to play
  Tone current_;
  bool active_ = false;
  std::uint32_t tick_ = 0;        ///< ptimes of current_ already sent
  std::uint32_t quiet_left_ = 0;  ///< gap ptimes still to wait before the next tone
};

}  // namespace callsup
