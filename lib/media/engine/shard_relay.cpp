// callsup (internal): Shard, forward on arrival: a listener that hears one source alone, unchanged,
// gets each of its packets as it arrives (header rewritten, SRTP redone, sent with the other packets of
// the same wake-up) instead of at the call's tick.
#include <algorithm>
#include <cstring>

#include "callsup/media/rtp_packet.hpp"
#include "media/engine/shard.hpp"
#include "media/engine/shard_support.hpp"

namespace callsup::detail {

std::uint64_t Shard::play_period(const LegMedia& listener) const noexcept {
  // The sub-ticks before `next` have run in this period; the listener's comes later in it, or
  // (when it has run or a new period starts next) in the next one.
  const auto next = static_cast<std::size_t>(sub_index_ % sub_ticks_);
  return next != 0 && listener.sub_tick() >= next ? period_index_ : period_index_ + 1;
}

void Shard::relay(LegMedia& source, std::span<std::uint8_t> buffer, const ReceivedAudio& in,
                  std::int64_t arrival_ns) noexcept {
  const auto& listeners = source.forward_targets();
  // The first listener's packet is made in the receive buffer itself; any other gets a copy of
  // the payload, taken before the first one's is encrypted in place.
  for (std::size_t i = listeners.size(); i-- > 0;) {
    LegMedia& out = *listeners[i];
    if (!out.takes_forwarded() || !out.has_remote()) continue;
    if (send_.full()) flush_relayed();
    std::span<std::uint8_t> into = buffer;
    ReceivedAudio packet = in;
    if (i != 0) {
      constexpr std::size_t slot = ReceiveBatch::datagram_bytes;
      if ((relay_copies_used_ + 1) * slot > relay_copies_.size()) flush_relayed();
      if (relay_copies_.size() < slot) continue;  // no room was made (out of memory at attach)
      into = std::span<std::uint8_t>(relay_copies_).subspan(relay_copies_used_++ * slot, slot);
      std::memcpy(into.data() + rtp_fixed_header_size, buffer.data() + in.payload_offset,
                  std::min(in.payload_size, slot - rtp_fixed_header_size));
      packet.payload_offset = rtp_fixed_header_size;
    }
    const std::size_t length = out.forward_packet(into, packet, play_period(out));
    if (length == 0) continue;
    send_.add(out.out_fd(), into.subspan(packet.payload_offset - rtp_fixed_header_size, length),
              out.remote_address());
    out.count_sent(length, true);
    relayed_arrivals_.push_back(arrival_ns);
  }
}

void Shard::flush_relayed() noexcept {
  relay_copies_used_ = 0;
  if (send_.size() == 0) return;
  const SendBatch::Result sent = send_.flush();
  packets_out_.add(sent.sent);
  send_batches_.add(sent.system_calls);
  relayed_on_arrival_.add(sent.sent);
  const std::int64_t flushed = steady_ns();
  for (const std::int64_t arrival : relayed_arrivals_) relay_latency_.record(flushed - arrival);
  relayed_arrivals_.clear();
}

}  // namespace callsup::detail
