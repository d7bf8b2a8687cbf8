// callsup: RTP (RFC 3550 §5.1) parsing and serialising.
#include "callsup/media/rtp_packet.hpp"

#include <cstring>
#include <string>

#include "callsup/error.hpp"

namespace callsup {
namespace {

std::uint16_t load16(const std::uint8_t* p) noexcept { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

std::uint32_t load32(const std::uint8_t* p) noexcept {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

void store16(std::uint8_t* p, std::uint16_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

void store32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

void validate(const RtpHeader& header) {
  if (header.payload_type > 127)
    throw Error(errc::invalid_argument,
                "RTP payload type " + std::to_string(header.payload_type) + " is not in 0..127");
  if (header.csrc_count > rtp_max_csrcs)
    throw Error(errc::invalid_argument,
                "RTP CSRC count " + std::to_string(header.csrc_count) + " is not in 0..15");
  if (!header.has_extension) return;
  if (header.extension.size() % 4 != 0 || header.extension.size() > rtp_max_extension_bytes)
    throw Error(errc::invalid_argument, "RTP header extension of " + std::to_string(header.extension.size()) +
                                            " bytes is not a multiple of 4 up to 262140");
}

/// Fills `packet` from `datagram`; the fields are meaningful only when it returns none.
RtpError parse_into(std::span<const std::uint8_t> datagram, RtpPacket& packet) noexcept {
  const std::size_t size = datagram.size();
  if (size < rtp_fixed_header_size) return RtpError::truncated;
  const std::uint8_t* p = datagram.data();
  if (p[0] >> 6 != 2) return RtpError::bad_version;

  RtpHeader& h = packet.header;
  const bool has_padding = (p[0] & 0x20) != 0;
  h.has_extension = (p[0] & 0x10) != 0;
  h.csrc_count = p[0] & 0x0F;
  h.marker = (p[1] & 0x80) != 0;
  h.payload_type = p[1] & 0x7F;
  h.sequence = load16(p + 2);
  h.timestamp = load32(p + 4);
  h.ssrc = load32(p + 8);

  std::size_t offset = rtp_fixed_header_size;
  if (size - offset < 4 * std::size_t{h.csrc_count}) return RtpError::bad_csrc_count;
  for (std::size_t i = 0; i < h.csrc_count; ++i, offset += 4) h.csrcs[i] = load32(p + offset);

  if (h.has_extension) {
    if (size - offset < 4) return RtpError::bad_extension;
    h.extension_profile = load16(p + offset);
    const std::size_t bytes = 4 * std::size_t{load16(p + offset + 2)};
    offset += 4;
    if (size - offset < bytes) return RtpError::bad_extension;
    h.extension = datagram.subspan(offset, bytes);
    offset += bytes;
  }

  std::size_t end = size;
  if (has_padding) {
    // The count includes itself, so 0 is invalid; it may swallow the whole payload.
    const std::uint8_t count = p[size - 1];
    if (count == 0 || count > size - offset) return RtpError::bad_padding;
    packet.padding = count;
    end -= count;
  }
  packet.payload = datagram.subspan(offset, end - offset);
  return RtpError::none;
}

}  // namespace

RtpParseResult parse_rtp(std::span<const std::uint8_t> datagram) noexcept {
  RtpParseResult result;  // one named result: constructed in place in the caller (NRVO)
  result.error = parse_into(datagram, result.packet);
  return result;
}

bool looks_like_rtcp(std::span<const std::uint8_t> datagram) noexcept {
  return datagram.size() >= 2 && datagram[1] >= 192 && datagram[1] <= 223;
}

std::size_t rtp_header_size(const RtpHeader& header) noexcept {
  std::size_t size = rtp_fixed_header_size + 4 * std::size_t{header.csrc_count};
  if (header.has_extension) size += 4 + header.extension.size();
  return size;
}

std::size_t write_rtp(const RtpHeader& header, std::span<const std::uint8_t> payload,
                      std::span<std::uint8_t> out, std::uint8_t padding) {
  validate(header);
  const std::size_t header_size = rtp_header_size(header);
  const std::size_t total = header_size + payload.size() + padding;
  if (out.size() < total) return 0;

  std::uint8_t* p = out.data();
  write_rtp_fixed_header(header.marker, header.payload_type, header.sequence, header.timestamp, header.ssrc,
                         out.first<rtp_fixed_header_size>());
  p[0] = static_cast<std::uint8_t>(p[0] | (padding > 0 ? 0x20 : 0) | (header.has_extension ? 0x10 : 0) |
                                   header.csrc_count);
  std::size_t offset = rtp_fixed_header_size;
  for (std::size_t i = 0; i < header.csrc_count; ++i, offset += 4) store32(p + offset, header.csrcs[i]);
  if (header.has_extension) {
    store16(p + offset, header.extension_profile);
    store16(p + offset + 2, static_cast<std::uint16_t>(header.extension.size() / 4));
    offset += 4;
    if (!header.extension.empty()) std::memcpy(p + offset, header.extension.data(), header.extension.size());
    offset += header.extension.size();
  }
  if (!payload.empty()) std::memcpy(p + offset, payload.data(), payload.size());
  offset += payload.size();
  if (padding > 0) {
    std::memset(p + offset, 0, padding - 1u);
    p[total - 1] = padding;
  }
  return total;
}

void write_rtp_fixed_header(bool marker, std::uint8_t payload_type, std::uint16_t sequence,
                            std::uint32_t timestamp, std::uint32_t ssrc,
                            std::span<std::uint8_t, rtp_fixed_header_size> out) noexcept {
  std::uint8_t* p = out.data();
  p[0] = 0x80;  // V=2, P=0, X=0, CC=0
  p[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7F));
  store16(p + 2, sequence);
  store32(p + 4, timestamp);
  store32(p + 8, ssrc);
}

}  // namespace callsup
