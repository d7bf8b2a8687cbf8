// G.711 µ-law and A-law against the ITU reference tables in tests/data/g711, for every int16
// input and every code, through the scalar and the bulk (SIMD) functions.
//
// Reference files (produced with ITU-T G.191's g711.c):
//   encode_ulaw.u8, encode_alaw.u8   65,536 codes; entry i is the code of the int16 input
//                                    i - 32768, i.e. inputs in ascending signed order
//                                    -32768..32767 (not uint16 order 0..65535): entry 0 is
//                                    µ-law 0x00 (full-scale negative) and entry 32768 is 0xFF
//                                    (zero), which the first test case checks.
//   decode_ulaw.s16le, decode_alaw.s16le  256 int16 little-endian: the linear value of code c.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "callsup/media/g711.hpp"

#ifndef CALLSUP_TEST_DATA_DIR
#error "CALLSUP_TEST_DATA_DIR must name tests/data"
#endif

namespace {

std::vector<std::uint8_t> read_file(const std::string& name) {
  std::ifstream in(std::string(CALLSUP_TEST_DATA_DIR) + "/g711/" + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open tests/data/g711/" << name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The reference encoder output, indexed by input + 32768.
std::vector<std::uint8_t> encode_reference(const char* name) {
  auto table = read_file(name);
  REQUIRE(table.size() == 65536);
  return table;
}

std::array<std::int16_t, 256> decode_reference(const char* name) {
  const auto bytes = read_file(name);
  REQUIRE(bytes.size() == 512);
  std::array<std::int16_t, 256> table{};
  for (std::size_t c = 0; c < 256; ++c) {
    table[c] = static_cast<std::int16_t>(static_cast<std::uint16_t>(bytes[2 * c] | (bytes[2 * c + 1] << 8)));
  }
  return table;
}

/// Every int16 value in ascending order, the order of the reference encode tables.
std::vector<std::int16_t> all_inputs() {
  std::vector<std::int16_t> inputs(65536);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    inputs[i] = static_cast<std::int16_t>(static_cast<int>(i) - 32768);
  return inputs;
}

std::vector<std::uint8_t> all_codes() {
  std::vector<std::uint8_t> codes(256);
  for (std::size_t c = 0; c < codes.size(); ++c) codes[c] = static_cast<std::uint8_t>(c);
  return codes;
}

template <typename Scalar, typename Bulk>
void check_encoder(const std::vector<std::uint8_t>& reference, Scalar scalar, Bulk bulk) {
  const auto inputs = all_inputs();
  std::size_t scalar_mismatches = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (scalar(inputs[i]) != reference[i]) {
      if (scalar_mismatches++ < 5) CHECK_MESSAGE(false, "input " << inputs[i] << ": scalar code differs");
    }
  }
  CHECK(scalar_mismatches == 0);

  std::vector<std::uint8_t> codes(inputs.size());
  bulk(inputs, codes);
  std::size_t bulk_mismatches = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (codes[i] != reference[i]) {
      if (bulk_mismatches++ < 5) CHECK_MESSAGE(false, "input " << inputs[i] << ": bulk code differs");
    }
  }
  CHECK(bulk_mismatches == 0);
}

template <typename Scalar, typename Bulk>
void check_decoder(const std::array<std::int16_t, 256>& reference, Scalar scalar, Bulk bulk) {
  const auto codes = all_codes();
  std::vector<std::int16_t> values(256);
  bulk(codes, values);
  for (std::size_t c = 0; c < 256; ++c) {
    INFO("code " << c);
    CHECK(scalar(static_cast<std::uint8_t>(c)) == reference[c]);
    CHECK(values[c] == reference[c]);
  }
}

}  // namespace

TEST_CASE("media: G.711 reference tables are in signed input order") {
  const auto ulaw = encode_reference("encode_ulaw.u8");
  const auto alaw = encode_reference("encode_alaw.u8");
  // G.711 itself fixes these codes: µ-law zero is 0xFF and full-scale negative 0x00;
  // A-law +0 is 0xD5 and -1 (just below zero) is 0x55.
  CHECK(ulaw[32768] == 0xFF);
  CHECK(ulaw[0] == 0x00);
  CHECK(ulaw[65535] == 0x80);
  CHECK(alaw[32768] == 0xD5);
  CHECK(alaw[32767] == 0x55);
}

TEST_CASE("media: µ-law encodes every int16 like the ITU reference, scalar and bulk") {
  check_encoder(
      encode_reference("encode_ulaw.u8"), callsup::linear_to_ulaw,
      [](std::span<const std::int16_t> in, std::span<std::uint8_t> out) { callsup::encode_ulaw(in, out); });
}

TEST_CASE("media: A-law encodes every int16 like the ITU reference, scalar and bulk") {
  check_encoder(
      encode_reference("encode_alaw.u8"), callsup::linear_to_alaw,
      [](std::span<const std::int16_t> in, std::span<std::uint8_t> out) { callsup::encode_alaw(in, out); });
}

TEST_CASE("media: µ-law decodes all 256 codes like the ITU reference, scalar and bulk") {
  check_decoder(
      decode_reference("decode_ulaw.s16le"), callsup::ulaw_to_linear,
      [](std::span<const std::uint8_t> in, std::span<std::int16_t> out) { callsup::decode_ulaw(in, out); });
}

TEST_CASE("media: A-law decodes all 256 codes like the ITU reference, scalar and bulk") {
  check_decoder(
      decode_reference("decode_alaw.s16le"), callsup::alaw_to_linear,
      [](std::span<const std::uint8_t> in, std::span<std::int16_t> out) { callsup::decode_alaw(in, out); });
}

TEST_CASE("media: G.711 scalar conversions are usable at compile time") {
  static_assert(callsup::linear_to_ulaw(0) == 0xFF);
  static_assert(callsup::linear_to_alaw(0) == 0xD5);
  static_assert(callsup::ulaw_to_linear(0xFF) == 0);
  static_assert(callsup::alaw_to_linear(0xD5) == 8);
  CHECK(true);
}

TEST_CASE("media: G.711 re-encoding a decoded value gives back the same value") {
  // Each decoded value lies inside its own quantisation interval: a property of a correct
  // codec pair that does not depend on the reference files.
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<std::uint8_t>(c);
    INFO("code " << c);
    const std::int16_t u = callsup::ulaw_to_linear(code);
    CHECK(callsup::ulaw_to_linear(callsup::linear_to_ulaw(u)) == u);
    const std::int16_t a = callsup::alaw_to_linear(code);
    CHECK(callsup::linear_to_alaw(a) == code);
  }
}

TEST_CASE("media: G.711 bulk functions agree with the scalar ones on odd, unaligned buffers") {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<int> sample(-32768, 32767);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> half_length(0, 700);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = 2 * half_length(rng) + 1;                  // odd: exercises the non-SIMD tail
    const std::size_t offset = static_cast<std::size_t>(round % 3);  // unaligned starts
    std::vector<std::int16_t> pcm(n + offset);
    std::vector<std::uint8_t> codes(n + offset);
    for (auto& s : pcm) s = static_cast<std::int16_t>(sample(rng));
    for (auto& c : codes) c = static_cast<std::uint8_t>(byte(rng));
    const std::span<const std::int16_t> pcm_in(pcm.data() + offset, n);
    const std::span<const std::uint8_t> codes_in(codes.data() + offset, n);
    INFO("round " << round << ", " << n << " samples at offset " << offset);

    std::vector<std::uint8_t> ulaw(n), alaw(n);
    std::vector<std::int16_t> from_ulaw(n), from_alaw(n);
    callsup::encode_ulaw(pcm_in, ulaw);
    callsup::encode_alaw(pcm_in, alaw);
    callsup::decode_ulaw(codes_in, from_ulaw);
    callsup::decode_alaw(codes_in, from_alaw);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < n; ++i) {
      mismatches += ulaw[i] != callsup::linear_to_ulaw(pcm_in[i]);
      mismatches += alaw[i] != callsup::linear_to_alaw(pcm_in[i]);
      mismatches += from_ulaw[i] != callsup::ulaw_to_linear(codes_in[i]);
      mismatches += from_alaw[i] != callsup::alaw_to_linear(codes_in[i]);
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("media: G.711 bulk functions convert min(in, out) samples and write nothing beyond") {
  std::vector<std::int16_t> pcm(37, 1000);
  constexpr std::uint8_t sentinel = 0x42;
  SUBCASE("output longer than input") {
    std::vector<std::uint8_t> out(50, sentinel);
    callsup::encode_ulaw(pcm, out);
    for (std::size_t i = 0; i < 37; ++i) CHECK(out[i] == callsup::linear_to_ulaw(1000));
    for (std::size_t i = 37; i < 50; ++i) CHECK(out[i] == sentinel);
    std::vector<std::uint8_t> out_a(50, sentinel);
    callsup::encode_alaw(pcm, out_a);
    CHECK(out_a[36] == callsup::linear_to_alaw(1000));
    CHECK(out_a[37] == sentinel);
  }
  SUBCASE("input longer than output") {
    std::vector<std::uint8_t> storage(40, sentinel);
    callsup::encode_alaw(pcm, std::span(storage).first(17));
    CHECK(storage[16] == callsup::linear_to_alaw(1000));
    CHECK(storage[17] == sentinel);
    std::vector<std::int16_t> decoded(40, -7);
    callsup::decode_ulaw(storage, std::span(decoded).first(33));
    CHECK(decoded[32] == callsup::ulaw_to_linear(sentinel));
    CHECK(decoded[33] == -7);
  }
  SUBCASE("empty spans") {
    callsup::encode_ulaw({}, {});
    callsup::decode_alaw({}, {});
    CHECK(true);
  }
}
