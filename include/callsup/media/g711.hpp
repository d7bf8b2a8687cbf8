// callsup: ITU-T G.711 µ-law and A-law, bit-exact with the ITU reference (G.191 STL).
#pragma once

#include <bit>
#include <cstdint>
#include <span>

namespace callsup {

// The scalar conversions are constexpr bit arithmetic (no table), so they also build the
// tables of the bulk functions at compile time. They follow ITU-T G.191's g711.c: µ-law
// quantises the top 14 bits of the input, A-law the top 12 bits; negative inputs use the
// one's complement (~x), as the reference does, which is what makes them bit-exact.

/// µ-law code of one 16-bit linear sample (G.711 table 2a, all bits inverted on the wire).
constexpr std::uint8_t linear_to_ulaw(std::int16_t sample) noexcept {
  const int x = sample >> 2;            // 14-bit linear
  const int negative = x >> 31;         // -1 or 0
  int magnitude = (x ^ negative) + 33;  // bias 33: segment ends become powers of two
  if (magnitude > 0x1FFF) magnitude = 0x1FFF;
  const int segment = std::bit_width(static_cast<unsigned>(magnitude >> 6));  // 0..7
  const int mantissa = (magnitude >> (segment + 1)) & 0x0F;
  return static_cast<std::uint8_t>(((segment << 4) | mantissa) ^ (negative ? 0x7F : 0xFF));
}

/// 16-bit linear value of a µ-law code: the middle of its quantisation interval, scaled from
/// 14 bits (so -32124..32124; codes 0x7F and 0xFF are both 0).
constexpr std::int16_t ulaw_to_linear(std::uint8_t code) noexcept {
  const int inverted = ~code;
  const int segment = (inverted >> 4) & 0x07;
  const int mantissa = inverted & 0x0F;
  const int magnitude = (((2 * mantissa + 33) << segment) - 33) * 4;
  return static_cast<std::int16_t>(code < 0x80 ? -magnitude : magnitude);
}

/// A-law code of one 16-bit linear sample (G.711 table 1a, even bits inverted on the wire).
constexpr std::uint8_t linear_to_alaw(std::int16_t sample) noexcept {
  const int x = sample >> 4;  // 12-bit linear
  const int negative = x >> 31;
  const int magnitude = x ^ negative;  // 0..2047
  int code = magnitude;                // segments 0 and 1 are linear
  if (magnitude >= 32) {
    const int segment = std::bit_width(static_cast<unsigned>(magnitude)) - 4;  // 2..7
    code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0F);
  }
  return static_cast<std::uint8_t>((code | (negative ? 0x00 : 0x80)) ^ 0x55);
}

/// 16-bit linear value of an A-law code: the middle of its quantisation interval, scaled from
/// 13 bits (so -32256..32256; no code decodes to 0).
constexpr std::int16_t alaw_to_linear(std::uint8_t code) noexcept {
  const int bits = (code ^ 0x55) & 0x7F;
  const int segment = bits >> 4;
  int mantissa = bits & 0x0F;
  if (segment > 0) mantissa += 16;  // the implicit leading one above segment 0
  int magnitude = (mantissa << 4) + 8;
  if (segment > 1) magnitude <<= segment - 1;
  return static_cast<std::int16_t>(code & 0x80 ? magnitude : -magnitude);
}

// Bulk conversions, the per-packet hot path: SSE2 encoding where available and table
// decoding, both well under one CPU cycle per sample (tests/bench/bench_g711.cpp). Each converts
// min(in.size(), out.size()) samples and gives exactly the scalar functions' results.

/// µ-law encodes min(in.size(), out.size()) samples.
void encode_ulaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept;
/// µ-law decodes min(in.size(), out.size()) codes.
void decode_ulaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept;
/// A-law encodes min(in.size(), out.size()) samples.
void encode_alaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept;
/// A-law decodes min(in.size(), out.size()) codes.
void decode_alaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept;

}  // namespace callsup
