// libFuzzer target: parse_rtp on arbitrary datagrams must never crash, throw or read outside
// the input; a packet it accepts must serialise back (write_rtp) to the same bytes, which
// re-parse to the same fields.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "callsup/media/rtp_packet.hpp"

namespace {

bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

bool inside(std::span<const std::uint8_t> part, std::span<const std::uint8_t> whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> datagram(data, size);
  (void)callsup::looks_like_rtcp(datagram);
  const callsup::RtpParseResult parsed = callsup::parse_rtp(datagram);
  if (!parsed) {
    if (parsed.error == callsup::RtpError::none) std::abort();
    return 0;
  }
  const callsup::RtpPacket& packet = parsed.packet;
  const callsup::RtpHeader& header = packet.header;
  if (!inside(packet.payload, datagram) || !inside(header.extension, datagram)) std::abort();
  if (header.payload_type > 127 || header.csrc_count > 15 || header.extension.size() % 4 != 0) std::abort();
  if (callsup::rtp_header_size(header) + packet.payload.size() + packet.padding != size) std::abort();

  // Serialising never throws for a parsed header (Error would escape and crash the fuzzer).
  static std::array<std::uint8_t, 1 << 17> out;
  if (size > out.size()) return 0;  // far beyond any UDP datagram
  const std::size_t written = callsup::write_rtp(header, packet.payload, out, packet.padding);
  if (written != size) std::abort();
  // Byte for byte equal, except padding bytes before the count (RFC 3550 leaves them open).
  const std::size_t body = size - packet.padding;
  if (!same(std::span(out).first(body), datagram.first(body)) || out[size - 1] != data[size - 1])
    std::abort();

  const callsup::RtpParseResult again = callsup::parse_rtp(std::span(out).first(written));
  if (!again) std::abort();
  const callsup::RtpHeader& h = again.packet.header;
  if (h.marker != header.marker || h.payload_type != header.payload_type || h.sequence != header.sequence ||
      h.timestamp != header.timestamp || h.ssrc != header.ssrc || h.csrc_count != header.csrc_count ||
      h.csrcs != header.csrcs || h.has_extension != header.has_extension ||
      h.extension_profile != header.extension_profile || !same(h.extension, header.extension) ||
      again.packet.padding != packet.padding || !same(again.packet.payload, packet.payload))
    std::abort();
  return 0;
}
