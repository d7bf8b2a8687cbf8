// callsup: the built-in codecs (G.711 µ-law and A-law, L16) and make_codec().

#include "callsup/media/codec.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <system_error>

#include "ascii.hpp"
#include "callsup/error.hpp"
#include "callsup/media/g711.hpp"

namespace callsup {
namespace {

/// PCMU and PCMA: one byte per sample, 8000 Hz mono, stateless.
template <void (*Encode)(std::span<const std::int16_t>, std::span<std::uint8_t>) noexcept,
          void (*Decode)(std::span<const std::uint8_t>, std::span<std::int16_t>) noexcept>
class G711Codec final : public Codec {
 public:
  G711Codec(std::string_view name, std::uint8_t payload_type) : name_(name), payload_type_(payload_type) {}

  std::string_view name() const noexcept override { return name_; }
  int clock_rate() const noexcept override { return 8000; }
  int channels() const noexcept override { return 1; }
  std::uint8_t payload_type() const noexcept override { return payload_type_; }
  std::size_t encoded_bytes(std::size_t samples) const noexcept override { return samples; }
  std::size_t decoded_samples(std::size_t bytes) const noexcept override { return bytes; }

  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override {
    Encode(pcm, out);
    return std::min(pcm.size(), out.size());
  }
  std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) override {
    Decode(payload, out);
    return std::min(payload.size(), out.size());
  }

 private:
  std::string_view name_;  // a string literal
  std::uint8_t payload_type_;
};

using PcmuCodec = G711Codec<encode_ulaw, decode_ulaw>;
using PcmaCodec = G711Codec<encode_alaw, decode_alaw>;

/// L16 (RFC 3551 section 4.5.11): 16-bit two's complement, network byte order, channels
/// interleaved. Whole sample frames only (every channel of an instant), so that a truncated
/// payload never shifts the left/right interleaving.
class L16Codec final : public Codec {
 public:
  L16Codec(int clock_rate, int channels, std::uint8_t payload_type)
      : clock_rate_(clock_rate), channels_(channels), payload_type_(payload_type) {}

  std::string_view name() const noexcept override { return "L16"; }
  int clock_rate() const noexcept override { return clock_rate_; }
  int channels() const noexcept override { return channels_; }
  std::uint8_t payload_type() const noexcept override { return payload_type_; }
  std::size_t encoded_bytes(std::size_t samples) const noexcept override { return 2 * samples; }
  std::size_t decoded_samples(std::size_t bytes) const noexcept override { return whole_frames(bytes / 2); }

  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override {
    const std::size_t n = whole_frames(std::min(pcm.size(), out.size() / 2));
    for (std::size_t i = 0; i < n; ++i) {
      const auto value = static_cast<std::uint16_t>(pcm[i]);
      out[2 * i] = static_cast<std::uint8_t>(value >> 8);
      out[2 * i + 1] = static_cast<std::uint8_t>(value & 0xFF);
    }
    return 2 * n;
  }
  std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) override {
    const std::size_t n = whole_frames(std::min(payload.size() / 2, out.size()));
    for (std::size_t i = 0; i < n; ++i) {
      out[i] =
          static_cast<std::int16_t>(static_cast<std::uint16_t>((payload[2 * i] << 8) | payload[2 * i + 1]));
    }
    return n;
  }

 private:
  std::size_t whole_frames(std::size_t samples) const noexcept {
    return samples - samples % static_cast<std::size_t>(channels_);
  }

  int clock_rate_;
  int channels_;
  std::uint8_t payload_type_;
};

[[noreturn]] void reject(const std::string& message) { throw Error(errc::invalid_argument, message); }

std::uint8_t payload_type_or(int requested, int static_default) {
  if (requested == -1) return static_cast<std::uint8_t>(static_default);
  if (requested < 0 || requested > 127) {
    reject("codec payload_type " + std::to_string(requested) + " is outside 0..127 (or -1 for the default)");
  }
  return static_cast<std::uint8_t>(requested);
}

void require_g711_shape(const CodecSpec& spec) {
  if (spec.clock_rate != 8000) {
    reject("codec " + quoted(spec.name) + " clock_rate " + std::to_string(spec.clock_rate) +
           " is not supported (G.711 is 8000 Hz only)");
  }
  if (spec.channels != 1) {
    reject("codec " + quoted(spec.name) + " channels " + std::to_string(spec.channels) +
           " is not supported (G.711 is mono)");
  }
}

/// Parses a positive decimal field of an rtpmap string; nullopt-like 0 when malformed.
int parse_field(std::string_view field) noexcept {
  int value = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (ec != std::errc{} || ptr != end || value <= 0) return 0;
  return value;
}

}  // namespace

std::unique_ptr<Codec> make_codec(const CodecSpec& spec) {
  if (detail::ascii_iequals(spec.name, "PCMU")) {
    require_g711_shape(spec);
    return std::make_unique<PcmuCodec>("PCMU", payload_type_or(spec.payload_type, 0));
  }
  if (detail::ascii_iequals(spec.name, "PCMA")) {
    require_g711_shape(spec);
    return std::make_unique<PcmaCodec>("PCMA", payload_type_or(spec.payload_type, 8));
  }
  if (detail::ascii_iequals(spec.name, "L16")) {
    const int rate = spec.clock_rate;
    if (rate != 8000 && rate != 16000 && rate != 32000 && rate != 44100 && rate != 48000) {
      reject("codec 'L16' clock_rate " + std::to_string(rate) +
             " is not supported (8000, 16000, 32000, 44100 or 48000)");
    }
    if (spec.channels != 1 && spec.channels != 2) {
      reject("codec 'L16' channels " + std::to_string(spec.channels) + " is not supported (1 or 2)");
    }
    const int static_type = rate == 44100 ? (spec.channels == 2 ? 10 : 11) : 96;
    return std::make_unique<L16Codec>(rate, spec.channels, payload_type_or(spec.payload_type, static_type));
  }
  reject("codec name " + quoted(spec.name) + " is not supported (PCMU, PCMA or L16)");
}

CodecSpec parse_rtpmap(std::string_view rtpmap) {
  const auto malformed = [&] {
    reject("rtpmap " + quoted(rtpmap) + " is malformed (expected <name>[/<rate>[/<channels>]])");
  };
  CodecSpec spec;
  const std::size_t slash = rtpmap.find('/');
  spec.name = std::string(rtpmap.substr(0, slash));
  if (spec.name.empty()) malformed();
  if (slash != std::string_view::npos) {
    std::string_view rest = rtpmap.substr(slash + 1);
    const std::size_t second = rest.find('/');
    spec.clock_rate = parse_field(rest.substr(0, second));
    if (spec.clock_rate == 0) malformed();
    if (second != std::string_view::npos) {
      spec.channels = parse_field(rest.substr(second + 1));
      if (spec.channels == 0) malformed();
    }
  }
  return spec;
}

std::unique_ptr<Codec> make_codec(std::string_view rtpmap) { return make_codec(parse_rtpmap(rtpmap)); }

}  // namespace callsup
