// callsup-mediabench: the tag at the front of every payload the generator sends: the sending
// stream's id, the frame's index and the send time. A relay may renumber RTP sequence numbers and
// rewrite SSRCs, but it carries the payload unchanged, so loss and latency are read from here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace callsup::mediabench {

/// Bytes of the tag: stream id (4), frame index (4), send time in ns of CLOCK_MONOTONIC (8),
/// all big-endian.
inline constexpr std::size_t payload_tag_bytes = 16;

struct PayloadTag {
  std::uint32_t stream = 0;
  std::uint32_t frame = 0;
  std::int64_t sent_ns = 0;
};

inline void write_payload_tag(std::span<std::uint8_t> payload, const PayloadTag& tag) noexcept {
  if (payload.size() < payload_tag_bytes) return;
  const auto sent = static_cast<std::uint64_t>(tag.sent_ns);
  for (std::size_t i = 0; i < 4; ++i) {
    payload[i] = static_cast<std::uint8_t>(tag.stream >> (24 - 8 * i));
    payload[4 + i] = static_cast<std::uint8_t>(tag.frame >> (24 - 8 * i));
  }
  for (std::size_t i = 0; i < 8; ++i) payload[8 + i] = static_cast<std::uint8_t>(sent >> (56 - 8 * i));
}

inline std::optional<PayloadTag> read_payload_tag(std::span<const std::uint8_t> payload) noexcept {
  if (payload.size() < payload_tag_bytes) return std::nullopt;
  PayloadTag tag;
  std::uint64_t sent = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    tag.stream = (tag.stream << 8) | payload[i];
    tag.frame = (tag.frame << 8) | payload[4 + i];
  }
  for (std::size_t i = 0; i < 8; ++i) sent = (sent << 8) | payload[8 + i];
  tag.sent_ns = static_cast<std::int64_t>(sent);
  return tag;
}

}  // namespace callsup::mediabench
