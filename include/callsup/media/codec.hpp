// callsup: the Codec interface (PCM <-> RTP payload) and the factory for the built-in codecs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace callsup {

/// Converts one leg's 16-bit PCM to RTP payload bytes and back. One instance per leg (it
/// serves both directions); not thread-safe, because stateful codecs (Opus, later) keep
/// history between frames. Implementations never throw on payload content: a short or odd
/// payload decodes to fewer samples.
class Codec {
 public:
  virtual ~Codec() = default;

  /// SDP encoding name as written in a=rtpmap: "PCMU", "PCMA", "L16".
  virtual std::string_view name() const noexcept = 0;
  /// RTP clock rate, which is the PCM sample rate for every built-in codec.
  virtual int clock_rate() const noexcept = 0;
  /// Interleaved channels of the PCM this codec takes and gives.
  virtual int channels() const noexcept = 0;
  /// RTP payload type used on the wire (the static one, or the negotiated dynamic one).
  virtual std::uint8_t payload_type() const noexcept = 0;
  /// Payload bytes for `samples` PCM samples (all channels counted): sizes send buffers.
  virtual std::size_t encoded_bytes(std::size_t samples) const noexcept = 0;
  /// PCM samples (all channels counted) that a payload of `bytes` decodes to.
  virtual std::size_t decoded_samples(std::size_t bytes) const noexcept = 0;
  /// Encodes min(pcm.size(), what fits in out) samples; returns bytes written.
  virtual std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) = 0;
  /// Decodes min(payload, what fits in out); returns samples written.
  virtual std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) = 0;
};

/// What SDP negotiated for a leg, as make_codec() takes it.
struct CodecSpec {
  std::string name;       ///< "PCMU", "PCMA" or "L16" (case-insensitive)
  int clock_rate = 8000;  ///< G.711: 8000 only; L16: 8000, 16000, 32000, 44100 or 48000
  int channels = 1;       ///< G.711: 1; L16: 1 or 2
  /// 0..127, or -1 for the static default: PCMU 0, PCMA 8, L16 96 (dynamic), except
  /// L16/44100 which has static types 11 (mono) and 10 (stereo) in RFC 3551.
  int payload_type = -1;
};

/// Builds the codec for `spec`. Throws Error(invalid_argument) naming the bad value (unknown
/// name, unsupported rate or channel count, payload type outside 0..127).
std::unique_ptr<Codec> make_codec(const CodecSpec& spec);

/// Builds a codec from an rtpmap encoding string, "<name>[/<rate>[/<channels>]]" as in
/// "PCMU", "PCMA/8000", "L16/16000", "L16/48000/2"; an omitted rate or channel count takes the
/// CodecSpec default (8000, 1) and the payload type is the static default. Throws
/// Error(invalid_argument) naming the string when it is malformed, or the bad value.
std::unique_ptr<Codec> make_codec(std::string_view rtpmap);

/// Parses an rtpmap encoding string like make_codec(std::string_view) without building the
/// codec: for callers that keep the spec (EndpointConfig::codec). Throws like make_codec.
CodecSpec parse_rtpmap(std::string_view rtpmap);

}  // namespace callsup
