// The Codec interface: built-in codecs (PCMU, PCMA, L16) and the make_codec() factory.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "callsup/media/audio_format.hpp"
#include "callsup/media/codec.hpp"
#include "callsup/media/g711.hpp"
#include "support/checks.hpp"

using callsup::CodecSpec;
using callsup::errc;
using callsup::make_codec;

namespace {

std::vector<std::int16_t> ramp(std::size_t n) {
  std::vector<std::int16_t> pcm(n);
  for (std::size_t i = 0; i < n; ++i)
    pcm[i] = static_cast<std::int16_t>(static_cast<int>(i * 523 % 65536) - 32768);
  return pcm;
}

}  // namespace

TEST_CASE("media: PCMU and PCMA codecs describe themselves and convert with G.711") {
  const auto pcm = ramp(160);
  SUBCASE("PCMU") {
    const auto codec = make_codec(CodecSpec{"PCMU"});
    CHECK(codec->name() == "PCMU");
    CHECK(codec->clock_rate() == 8000);
    CHECK(codec->channels() == 1);
    CHECK(codec->payload_type() == 0);
    CHECK(codec->encoded_bytes(160) == 160);
    CHECK(codec->decoded_samples(160) == 160);
    std::vector<std::uint8_t> payload(160);
    REQUIRE(codec->encode(pcm, payload) == 160);
    for (std::size_t i = 0; i < 160; ++i) CHECK(payload[i] == callsup::linear_to_ulaw(pcm[i]));
    std::vector<std::int16_t> decoded(160);
    REQUIRE(codec->decode(payload, decoded) == 160);
    for (std::size_t i = 0; i < 160; ++i) CHECK(decoded[i] == callsup::ulaw_to_linear(payload[i]));
  }
  SUBCASE("PCMA") {
    const auto codec = make_codec(CodecSpec{"PCMA"});
    CHECK(codec->name() == "PCMA");
    CHECK(codec->payload_type() == 8);
    std::vector<std::uint8_t> payload(160);
    REQUIRE(codec->encode(pcm, payload) == 160);
    for (std::size_t i = 0; i < 160; ++i) CHECK(payload[i] == callsup::linear_to_alaw(pcm[i]));
    std::vector<std::int16_t> decoded(160);
    REQUIRE(codec->decode(payload, decoded) == 160);
    for (std::size_t i = 0; i < 160; ++i) CHECK(decoded[i] == callsup::alaw_to_linear(payload[i]));
  }
}

TEST_CASE("media: G.711 codecs convert only what fits") {
  const auto codec = make_codec("PCMU");
  const auto pcm = ramp(160);
  std::vector<std::uint8_t> small(100, 0);
  CHECK(codec->encode(pcm, small) == 100);
  CHECK(small[99] == callsup::linear_to_ulaw(pcm[99]));
  std::vector<std::int16_t> decoded(300, 5);
  CHECK(codec->decode(small, decoded) == 100);
  CHECK(decoded[100] == 5);
}

TEST_CASE("media: L16 is big-endian on the wire and round-trips exactly") {
  const auto codec = make_codec(CodecSpec{"L16", 16000});
  CHECK(codec->name() == "L16");
  CHECK(codec->clock_rate() == 16000);
  CHECK(codec->payload_type() == 96);
  CHECK(codec->encoded_bytes(320) == 640);
  CHECK(codec->decoded_samples(640) == 320);

  const std::array<std::int16_t, 4> pcm{0x1234, -2, INT16_MIN, INT16_MAX};
  std::array<std::uint8_t, 8> payload{};
  REQUIRE(codec->encode(pcm, payload) == 8);
  const std::array<std::uint8_t, 8> wire{0x12, 0x34, 0xFF, 0xFE, 0x80, 0x00, 0x7F, 0xFF};
  CHECK(payload == wire);

  const auto many = ramp(320);
  std::vector<std::uint8_t> bytes(640);
  REQUIRE(codec->encode(many, bytes) == 640);
  std::vector<std::int16_t> back(320);
  REQUIRE(codec->decode(bytes, back) == 320);
  CHECK(back == many);
}

TEST_CASE("media: L16 converts whole samples and whole stereo frames only") {
  SUBCASE("mono: an odd trailing byte is ignored") {
    const auto codec = make_codec("L16/8000");
    const std::array<std::uint8_t, 5> payload{0x00, 0x01, 0x80, 0x00, 0x7F};
    std::array<std::int16_t, 4> out{9, 9, 9, 9};
    CHECK(codec->decoded_samples(5) == 2);
    CHECK(codec->decode(payload, out) == 2);
    CHECK(out == std::array<std::int16_t, 4>{1, INT16_MIN, 9, 9});
    std::array<std::uint8_t, 3> small{};
    CHECK(codec->encode(std::array<std::int16_t, 2>{1, 2}, small) == 2);
  }
  SUBCASE("stereo: a left sample without its right one is not decoded") {
    const auto codec = make_codec("L16/48000/2");
    CHECK(codec->channels() == 2);
    CHECK(codec->decoded_samples(6) == 2);
    const std::array<std::uint8_t, 6> payload{0, 1, 0, 2, 0, 3};
    std::array<std::int16_t, 4> out{};
    CHECK(codec->decode(payload, out) == 2);
    CHECK(out[0] == 1);
    CHECK(out[1] == 2);
    std::array<std::uint8_t, 10> wire{};
    CHECK(codec->encode(std::array<std::int16_t, 6>{1, 2, 3, 4, 5, 6}, wire) == 8);
    std::array<std::int16_t, 3> room_for_three{};
    CHECK(codec->decode(wire, room_for_three) == 2);
  }
}

TEST_CASE("media: make_codec picks payload types") {
  CHECK(make_codec(CodecSpec{"pcmu"})->payload_type() == 0);  // names are case-insensitive
  CHECK(make_codec(CodecSpec{"Pcma"})->name() == "PCMA");
  CHECK(make_codec(CodecSpec{"PCMU", 8000, 1, 127})->payload_type() == 127);
  CHECK(make_codec(CodecSpec{"L16", 48000, 2, 0})->payload_type() == 0);
  CHECK(make_codec(CodecSpec{"L16", 48000, 2})->payload_type() == 96);
  // RFC 3551 static types: L16/44100 stereo is 10, mono 11.
  CHECK(make_codec("L16/44100/2")->payload_type() == 10);
  CHECK(make_codec("L16/44100")->payload_type() == 11);
}

TEST_CASE("media: make_codec rejects bad specs, naming the bad value") {
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"G729"}), errc::invalid_argument, "'G729'");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{""}), errc::invalid_argument, "''");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"PCMU", 16000}), errc::invalid_argument, "16000");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"PCMA", 8000, 2}), errc::invalid_argument, "channels 2");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"L16", 8000, 3}), errc::invalid_argument, "channels 3");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"L16", 22050}), errc::invalid_argument, "22050");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"PCMU", 8000, 1, 200}), errc::invalid_argument, "200");
  CHECK_CALLSUP_ERROR(make_codec(CodecSpec{"L16", 8000, 1, -2}), errc::invalid_argument, "-2");
  CHECK_CALLSUP_ERROR(make_codec("PCMU/16000"), errc::invalid_argument, "16000");
  CHECK_CALLSUP_ERROR(make_codec("L16/16000/3"), errc::invalid_argument, "channels 3");
  CHECK_CALLSUP_ERROR(make_codec("opus/48000/2"), errc::invalid_argument, "'opus'");
}

TEST_CASE("media: make_codec parses rtpmap strings and rejects malformed ones") {
  const auto pcmu = make_codec("PCMU");
  CHECK(pcmu->name() == "PCMU");
  CHECK(pcmu->clock_rate() == 8000);
  CHECK(make_codec("PCMA/8000")->name() == "PCMA");
  const auto wide = make_codec("L16/16000");
  CHECK(wide->clock_rate() == 16000);
  CHECK(wide->channels() == 1);
  const auto stereo = make_codec("L16/48000/2");
  CHECK(stereo->clock_rate() == 48000);
  CHECK(stereo->channels() == 2);

  const CodecSpec spec = callsup::parse_rtpmap("l16/32000/1");
  CHECK(spec.name == "l16");
  CHECK(spec.clock_rate == 32000);
  CHECK(spec.channels == 1);
  CHECK(spec.payload_type == -1);

  for (const char* bad : {"L16/abc", "", "/8000", "PCMU/", "PCMU/8000/", "L16/16000/2/1", "L16/-16000",
                          "L16/ 8000", "L16/8000x", "L16/0", "L16/8000/0", "L16/99999999999999"}) {
    CAPTURE(bad);
    CHECK_CALLSUP_ERROR(make_codec(std::string_view(bad)), errc::invalid_argument, callsup::quoted(bad));
  }
}

TEST_CASE("media: AudioFormat sizes frames and validates its fields") {
  constexpr callsup::AudioFormat narrow;
  static_assert(narrow.samples_per_channel() == 160);
  static_assert(narrow.samples() == 160);
  constexpr callsup::AudioFormat wide_stereo{48000, 2, 10};
  static_assert(wide_stereo.samples_per_channel() == 480);
  static_assert(wide_stereo.samples() == 960);
  CHECK(callsup::AudioFormat{16000, 1, 40}.samples() == 640);
  CHECK(narrow.ptime_ms == callsup::default_ptime_ms);
  CHECK(callsup::AudioFormat{} == narrow);
  CHECK_FALSE(callsup::AudioFormat{16000} == narrow);

  for (int rate : {8000, 16000, 32000, 48000}) {
    for (int channels : {1, 2}) {
      for (int ptime : {10, 20, 30, 40})
        CHECK_NOTHROW(callsup::validate(callsup::AudioFormat{rate, channels, ptime}));
    }
  }
  CHECK_CALLSUP_ERROR(callsup::validate(callsup::AudioFormat{44100}), errc::invalid_argument,
                      "sample_rate 44100");
  CHECK_CALLSUP_ERROR(callsup::validate(callsup::AudioFormat{0}), errc::invalid_argument, "sample_rate 0");
  CHECK_CALLSUP_ERROR(callsup::validate(callsup::AudioFormat{8000, 3}), errc::invalid_argument, "channels 3");
  CHECK_CALLSUP_ERROR(callsup::validate(callsup::AudioFormat{8000, 1, 25}), errc::invalid_argument,
                      "ptime_ms 25");
  CHECK_CALLSUP_ERROR(callsup::validate(callsup::AudioFormat{8000, 1, 0}), errc::invalid_argument,
                      "ptime_ms 0");
}
