// callsup: bulk G.711 conversions. Encoding uses SSE2 where the target has it (every x86-64),
// decoding a 256-entry table; both give exactly the scalar functions' results.

#include "callsup/media/g711.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace callsup {
namespace {

template <std::int16_t (*Decode)(std::uint8_t) noexcept>
constexpr std::array<std::int16_t, 256> make_decode_table() noexcept {
  std::array<std::int16_t, 256> table{};
  for (int code = 0; code < 256; ++code)
    table[static_cast<std::size_t>(code)] = Decode(static_cast<std::uint8_t>(code));
  return table;
}

// Decoding by table measured faster than any arithmetic form (two loads and a store per
// sample), and 512 bytes stay in L1.
constexpr auto ulaw_table = make_decode_table<ulaw_to_linear>();
constexpr auto alaw_table = make_decode_table<alaw_to_linear>();

void decode_with(const std::array<std::int16_t, 256>& table, std::span<const std::uint8_t> in,
                 std::span<std::int16_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = table[in[i]];
}

#if defined(__SSE2__)
// The segment of a sample is the position of its magnitude's leading one, and the mantissa
// the four bits after it. Converting the magnitude to float computes both at once: the float's
// biased exponent and top mantissa bits, i.e. `bits >> 19`, are (127 + e) << 4 | mantissa.
// This vectorises with baseline SSE2 (no per-lane count-leading-zeros exists) and measured
// about 0.5 cycle/sample against 1.0-1.4 for a 16 KiB lookup table.

/// Float-exponent code of eight non-negative 16-bit magnitudes, minus `bias` = (127 + e0) << 4.
inline __m128i exponent_mantissa(__m128i magnitude, __m128i bias) noexcept {
  const __m128i zero = _mm_setzero_si128();
  const __m128i lo = _mm_castps_si128(_mm_cvtepi32_ps(_mm_unpacklo_epi16(magnitude, zero)));
  const __m128i hi = _mm_castps_si128(_mm_cvtepi32_ps(_mm_unpackhi_epi16(magnitude, zero)));
  return _mm_sub_epi16(_mm_packs_epi32(_mm_srli_epi32(lo, 19), _mm_srli_epi32(hi, 19)), bias);
}

/// µ-law codes of eight samples, as 16-bit lanes (0..255).
inline __m128i ulaw8(__m128i samples) noexcept {
  const __m128i x = _mm_srai_epi16(samples, 2);
  const __m128i negative = _mm_srai_epi16(x, 15);
  __m128i magnitude = _mm_add_epi16(_mm_xor_si128(x, negative), _mm_set1_epi16(33));
  magnitude = _mm_min_epi16(magnitude, _mm_set1_epi16(0x1FFF));
  // magnitude >= 33: the leading one is at bit 5 + segment.
  const __m128i code = exponent_mantissa(magnitude, _mm_set1_epi16((127 + 5) << 4));
  const __m128i invert = _mm_xor_si128(_mm_set1_epi16(0xFF), _mm_and_si128(negative, _mm_set1_epi16(0x80)));
  return _mm_xor_si128(code, invert);
}

/// A-law codes of eight samples, as 16-bit lanes (0..255).
inline __m128i alaw8(__m128i samples) noexcept {
  const __m128i x = _mm_srai_epi16(samples, 4);
  const __m128i negative = _mm_srai_epi16(x, 15);
  const __m128i magnitude = _mm_xor_si128(x, negative);
  // magnitude >= 16: the leading one is at bit 3 + segment; below 16 the code is the magnitude.
  const __m128i logarithmic = exponent_mantissa(magnitude, _mm_set1_epi16((127 + 3) << 4));
  const __m128i linear = _mm_cmplt_epi16(magnitude, _mm_set1_epi16(16));
  const __m128i code = _mm_or_si128(_mm_andnot_si128(linear, logarithmic), _mm_and_si128(linear, magnitude));
  const __m128i invert = _mm_xor_si128(_mm_set1_epi16(0xD5), _mm_and_si128(negative, _mm_set1_epi16(0x80)));
  return _mm_xor_si128(code, invert);
}

template <__m128i (*Encode8)(__m128i) noexcept>
std::size_t encode_simd(const std::int16_t* in, std::uint8_t* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i a = Encode8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)));
    const __m128i b = Encode8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 8)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(a, b));
  }
  return i;
}
#endif

template <std::uint8_t (*Encode)(std::int16_t) noexcept>
void encode_scalar(const std::int16_t* in, std::uint8_t* out, std::size_t from, std::size_t n) noexcept {
  for (std::size_t i = from; i < n; ++i) out[i] = Encode(in[i]);
}

}  // namespace

void encode_ulaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  std::size_t done = 0;
#if defined(__SSE2__)
  done = encode_simd<ulaw8>(in.data(), out.data(), n);
#endif
  encode_scalar<linear_to_ulaw>(in.data(), out.data(), done, n);
}

void encode_alaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  std::size_t done = 0;
#if defined(__SSE2__)
  done = encode_simd<alaw8>(in.data(), out.data(), n);
#endif
  encode_scalar<linear_to_alaw>(in.data(), out.data(), done, n);
}

void decode_ulaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  decode_with(ulaw_table, in, out);
}

void decode_alaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  decode_with(alaw_table, in, out);
}

}  // namespace callsup
