// callsup: DtmfSender, digits to RFC 4733 packets (see the header for the schedule).
#include "callsup/media/dtmf_sender.hpp"

#include <algorithm>
#include <string>

#include "callsup/error.hpp"

namespace callsup {
namespace {

constexpr std::uint32_t end_retransmissions = 2;  // the end packet goes out three times in all

/// `ms` milliseconds in clock units, rounded up.
std::uint64_t clock_units(int clock_rate, int ms) noexcept {
  return (std::uint64_t(clock_rate) * std::uint64_t(ms) + 999) / 1000;
}

}  // namespace

DtmfSender::DtmfSender(int clock_rate, int ptime_ms, std::uint8_t volume)
    : clock_rate_(clock_rate), frame_(0), volume_(volume) {
  if (clock_rate <= 0)
    throw Error(errc::invalid_argument, "DTMF clock rate " + std::to_string(clock_rate) + " is not positive");
  if (ptime_ms <= 0)
    throw Error(errc::invalid_argument, "DTMF ptime " + std::to_string(ptime_ms) + " ms is not positive");
  const std::uint64_t units = std::uint64_t(clock_rate) * std::uint64_t(ptime_ms);
  if (units % 1000 != 0 || units / 1000 > 0xFFFF)
    throw Error(errc::invalid_argument, "DTMF ptime " + std::to_string(ptime_ms) + " ms at " +
                                            std::to_string(clock_rate) +
                                            " Hz is not a whole number of clock units up to 65535");
  if (volume > 63)
    throw Error(errc::invalid_argument, "DTMF volume " + std::to_string(volume) + " is not in 0..63");
  frame_ = static_cast<std::uint32_t>(units / 1000);
}

void DtmfSender::send(std::string_view digits, int duration_ms, int gap_ms) {
  if (duration_ms <= 0)
    throw Error(errc::invalid_argument,
                "DTMF duration " + std::to_string(duration_ms) + " ms is not positive");
  const std::uint64_t duration = clock_units(clock_rate_, duration_ms);
  if (duration > 0xFFFF)
    throw Error(errc::invalid_argument, "DTMF duration " + std::to_string(duration_ms) +
                                            " ms exceeds 65535 units at " + std::to_string(clock_rate_) +
                                            " Hz");
  if (gap_ms < 0)
    throw Error(errc::invalid_argument, "DTMF gap " + std::to_string(gap_ms) + " ms is negative");
  for (char digit : digits)
    if (!digit_event(digit))
      throw Error(errc::invalid_argument, "DTMF digit " + quoted_char(digit) + " is not one of 0-9 * # A-D");

  Tone tone;
  tone.duration = static_cast<std::uint16_t>(duration);
  tone.ticks = static_cast<std::uint32_t>((duration + frame_ - 1) / frame_);
  const std::uint64_t gap_ticks = (clock_units(clock_rate_, gap_ms) + frame_ - 1) / frame_;
  tone.gap_ticks = static_cast<std::uint32_t>(std::max<std::uint64_t>(gap_ticks, end_retransmissions));
  for (char digit : digits) {
    tone.event = *digit_event(digit);
    queue_.push_back(tone);
  }
}

std::optional<DtmfSender::Packet> DtmfSender::next() noexcept {
  if (!active_) {
    if (quiet_left_ > 0) {
      --quiet_left_;
      return std::nullopt;
    }
    if (head_ == queue_.size()) {
      queue_.clear();  // keeps the capacity: later send() calls rarely allocate
      head_ = 0;
      return std::nullopt;
    }
    current_ = queue_[head_++];
    active_ = true;
    tick_ = 0;
  }

  Packet packet;
  packet.event.event = current_.event;
  packet.event.volume = volume_;
  packet.timestamp_offset = tick_ * frame_;
  if (tick_ < current_.ticks) {
    packet.marker = tick_ == 0;
    packet.event.duration =
        static_cast<std::uint16_t>(std::min<std::uint32_t>((tick_ + 1) * frame_, current_.duration));
    packet.event.end = tick_ + 1 == current_.ticks;
  } else {
    packet.event.duration = current_.duration;  // a retransmission of the end packet
    packet.event.end = true;
  }
  if (++tick_ == current_.ticks + end_retransmissions) {
    active_ = false;
    quiet_left_ = current_.gap_ticks - end_retransmissions;
  }
  return packet;
}

void DtmfSender::cancel_queued() noexcept {
  queue_.clear();
  head_ = 0;
}

}  // namespace callsup
