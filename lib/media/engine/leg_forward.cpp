// callsup (internal): one leg's side of forwarding on arrival: the links its call makes, and its header
// written in front of a payload its source received (docs/media.md, "Forward on arrival").
#include <algorithm>
#include <utility>

#include "callsup/media/rtp_packet.hpp"
#include "media/engine/leg_media.hpp"

namespace callsup::detail {

std::size_t LegMedia::forward_packet(std::span<std::uint8_t> buffer, const ReceivedAudio& in,
                                     std::uint64_t period) noexcept {
  if (in.payload_offset < rtp_fixed_header_size ||
      in.payload_offset + in.payload_size + srtp_max_trailer > buffer.size())
    return 0;
  ForwardState& f = forward_;
  // The clock sent this period's frame already (its tick came first): this one is the next's.
  if (built_any_ && static_cast<std::int64_t>(period - built_period_) <= 0) period = built_period_ + 1;
  if (!f.synced || f.source_ssrc != in.ssrc) {
    // Joins the source's numbering to ours: the next sequence number, the clock's timestamp.
    f.synced = true;
    f.source_ssrc = in.ssrc;
    f.sequence_offset = static_cast<std::uint16_t>(out_sequence_ - in.sequence);
    f.timestamp_offset = timestamp_for(period) - in.timestamp;
  }
  const auto sequence = static_cast<std::uint16_t>(in.sequence + f.sequence_offset);
  const std::uint32_t timestamp = in.timestamp + f.timestamp_offset;
  if (static_cast<std::int16_t>(sequence - out_sequence_) >= 0)
    out_sequence_ = static_cast<std::uint16_t>(sequence + 1);
  if (!f.played_any || static_cast<std::int16_t>(in.sequence - f.last_source_sequence) > 0)
    f.last_source_sequence = in.sequence;
  f.played_any = true;
  if (period >= clock_period_) {  // the clock follows what went out
    clock_timestamp_ = timestamp;
    clock_period_ = period;
  }
  const std::span<std::uint8_t> packet = buffer.subspan(in.payload_offset - rtp_fixed_header_size);
  write_rtp_fixed_header(
      in.marker || std::exchange(first_audio_, false), audio_payload_type_, sequence, timestamp, ssrc,
      std::span<std::uint8_t, rtp_fixed_header_size>(packet.data(), rtp_fixed_header_size));
  std::size_t out = rtp_fixed_header_size + in.payload_size;
  if (srtp_out_ && srtp_out_->protect(packet, out) != SrtpStatus::ok) {
    counters.send_errors.add();
    return 0;
  }
  return out;
}

void LegMedia::link_forward(LegMedia& source, LegMedia& listener) {
  if (listener.forward_.source == &source) return;
  listener.unlink_forward();
  source.forward_to_.push_back(&listener);
  listener.forward_ = ForwardState{};
  listener.forward_.source = &source;
}

void LegMedia::unlink_forward() noexcept {
  LegMedia* source = std::exchange(forward_.source, nullptr);
  forward_.synced = forward_.ready = forward_.paused = false;
  if (source == nullptr) return;
  auto& list = source->forward_to_;
  list.erase(std::remove(list.begin(), list.end(), this), list.end());
}

void LegMedia::unlink_all_forwards() noexcept {
  unlink_forward();
  for (LegMedia* listener : forward_to_) {
    listener->forward_.source = nullptr;
    listener->forward_.synced = listener->forward_.ready = false;
  }
  forward_to_.clear();
}

}  // namespace callsup::detail
