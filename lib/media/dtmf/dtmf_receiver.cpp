// callsup: DtmfReceiver, RFC 4733 events to digits (see the header for the rules).
#include "callsup/media/dtmf_receiver.hpp"

namespace callsup {
namespace {

/// RFC 1982 serial-number order: `a` is before `b` when b - a (mod 2^32) is in 1..2^31-1.
bool before(std::uint32_t a, std::uint32_t b) noexcept {
  const std::uint32_t diff = b - a;
  return diff != 0 && diff < 0x80000000u;
}

}  // namespace

std::optional<char> DtmfReceiver::on_packet(std::uint32_t ssrc, std::uint32_t rtp_timestamp,
                                            const TelephoneEvent& event) noexcept {
  if (Entry* known = find(ssrc, rtp_timestamp)) {
    // Continuation, repeated end packet, or a late packet of a remembered event.
    if (event.duration > known->duration) known->duration = event.duration;
    known->ended = known->ended || event.end;
    return ignore();
  }

  if (const Entry* newest = newest_of(ssrc)) {
    if (before(rtp_timestamp, newest->timestamp) && newest->timestamp - rtp_timestamp < late_window)
      return ignore();  // a late packet of an event already forgotten
    const std::uint32_t step = rtp_timestamp - newest->timestamp;
    const bool next_segment =
        newest->event == event.event && !newest->ended && (step == newest->duration || step == 0xFFFF);
    if (next_segment) {
      remember(ssrc, rtp_timestamp, event);
      return ignore();
    }
  }

  remember(ssrc, rtp_timestamp, event);
  const std::optional<char> digit = event_digit(event.event);
  if (!digit) return ignore();
  ++digits_;
  return digit;
}

void DtmfReceiver::reset() noexcept {
  history_ = {};
  next_ = 0;
  digits_ = 0;
  ignored_ = 0;
}

DtmfReceiver::Entry* DtmfReceiver::find(std::uint32_t ssrc, std::uint32_t timestamp) noexcept {
  for (Entry& entry : history_)
    if (entry.used && entry.ssrc == ssrc && entry.timestamp == timestamp) return &entry;
  return nullptr;
}

const DtmfReceiver::Entry* DtmfReceiver::newest_of(std::uint32_t ssrc) const noexcept {
  // Walk back from the most recently written entry: insertion order is arrival order.
  for (std::size_t i = 1; i <= history_size; ++i) {
    const Entry& entry = history_[(next_ + history_size - i) % history_size];
    if (entry.used && entry.ssrc == ssrc) return &entry;
  }
  return nullptr;
}

void DtmfReceiver::remember(std::uint32_t ssrc, std::uint32_t timestamp,
                            const TelephoneEvent& event) noexcept {
  history_[next_] = Entry{ssrc, timestamp, event.duration, event.event, event.end, true};
  next_ = (next_ + 1) % history_size;
}

std::optional<char> DtmfReceiver::ignore() noexcept {
  ++ignored_;
  return std::nullopt;
}

}  // namespace callsup
