// callsup: RTP (RFC 3550) packets: a validating parser over untrusted datagrams and a writer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace callsup {

/// Why a datagram is not a valid RTP packet. The receive path counts each class and drops
/// the datagram; parsing never throws.
enum class RtpError : std::uint8_t {
  none,            ///< a valid packet
  truncated,       ///< shorter than the 12-byte fixed header (an empty datagram included)
  bad_version,     ///< version field is not 2
  bad_csrc_count,  ///< the CSRC list announced by CC does not fit in the datagram
  bad_extension,   ///< X bit set, but the extension header or its data does not fit
  bad_padding,     ///< P bit set with a padding count of 0 or larger than what follows the header
};

/// Stable, lower-case name of an RtpError ("bad_padding"), for counters and logs.
constexpr std::string_view to_string(RtpError error) noexcept {
  switch (error) {
  case RtpError::none: return "none";
  case RtpError::truncated: return "truncated";
  case RtpError::bad_version: return "bad_version";
  case RtpError::bad_csrc_count: return "bad_csrc_count";
  case RtpError::bad_extension: return "bad_extension";
  case RtpError::bad_padding: return "bad_padding";
  }
  return "unknown";
}

/// Size of the RTP fixed header (without CSRCs or extension).
inline constexpr std::size_t rtp_fixed_header_size = 12;
/// The CC field has 4 bits.
inline constexpr std::size_t rtp_max_csrcs = 15;
/// The extension length field counts 32-bit words in 16 bits.
inline constexpr std::size_t rtp_max_extension_bytes = 4 * 0xFFFF;

/// The fields of an RTP header (the version is always 2; padding is carried by RtpPacket).
struct RtpHeader {
  /// M bit: marks a significant event (e.g. a talk spurt's first packet).
  bool marker = false;
  std::uint8_t payload_type = 0;  ///< 0..127
  /// Increases by one per packet sent (wraps at 65536).
  std::uint16_t sequence = 0;
  /// Sampling instant of the payload's first sample, in clock-rate units.
  std::uint32_t timestamp = 0;
  /// Synchronisation source: identifies the sender's stream.
  std::uint32_t ssrc = 0;
  std::uint8_t csrc_count = 0;  ///< 0..15; only the first csrc_count entries of csrcs are meaningful
  /// Contributing sources (a mixer's inputs).
  std::array<std::uint32_t, rtp_max_csrcs> csrcs{};
  /// X bit: a header extension follows (extension_profile, extension).
  bool has_extension = false;
  std::uint16_t extension_profile = 0;      ///< the "defined by profile" 16 bits (0xBEDE: RFC 8285)
  std::span<const std::uint8_t> extension;  ///< extension data (multiple of 4 bytes), a view
};

/// A parsed datagram: views into the caller's buffer, valid as long as that buffer is.
struct RtpPacket {
  /// The fixed header, CSRCs and extension.
  RtpHeader header;
  std::span<const std::uint8_t> payload;  ///< without padding
  std::uint8_t padding = 0;               ///< padding bytes removed (0 if no P bit)
};

/// The outcome of parse_rtp: `packet` is meaningful only when `error` is none.
struct RtpParseResult {
  /// Why the datagram was rejected; none for a valid packet.
  RtpError error = RtpError::none;
  /// The parsed packet (meaningful when error is none).
  RtpPacket packet;
  /// True for a valid packet.
  explicit operator bool() const noexcept { return error == RtpError::none; }
};

/// Parses one datagram, validating every field (version, CSRC count, extension, padding,
/// lengths); never throws, never reads outside `datagram`. The payload type is not
/// checked against any list: what is "unknown" depends on the session, not on RFC 3550.
RtpParseResult parse_rtp(std::span<const std::uint8_t> datagram) noexcept;

/// RFC 5761 demultiplexing of RTP and RTCP on one port: true if the datagram is RTCP
/// (second byte 192..223, i.e. RTCP packet types 192..223), which the RTP path must ignore.
bool looks_like_rtcp(std::span<const std::uint8_t> datagram) noexcept;

/// Bytes taken by `header` on the wire: 12 + 4 * CSRCs + (4 + extension bytes if X).
/// Meaningful for a header that write_rtp accepts.
std::size_t rtp_header_size(const RtpHeader& header) noexcept;

/// Writes header + payload (+ `padding` bytes of padding if > 0, RFC 3550 style: zeros, then
/// the count in the last byte, P bit set) into `out`, which must not overlap `payload`.
/// Returns the bytes written, 0 if `out` is too small (nothing useful is written then).
/// Throws Error(invalid_argument) for a header that cannot be serialised (payload_type > 127,
/// csrc_count > 15, extension not a multiple of 4 bytes or longer than 65535 words).
std::size_t write_rtp(const RtpHeader& header, std::span<const std::uint8_t> payload,
                      std::span<std::uint8_t> out, std::uint8_t padding = 0);

/// Fast path for the engine: writes only the 12-byte fixed header (V=2, no padding, CSRC or
/// extension). `payload_type` is masked to 7 bits: the caller owns a valid one.
void write_rtp_fixed_header(bool marker, std::uint8_t payload_type, std::uint16_t sequence,
                            std::uint32_t timestamp, std::uint32_t ssrc,
                            std::span<std::uint8_t, rtp_fixed_header_size> out) noexcept;

}  // namespace callsup
