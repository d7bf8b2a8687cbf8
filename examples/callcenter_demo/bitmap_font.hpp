// callsup-demo: a small fixed-width bitmap font for the waveform picture (printable ASCII).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace callsup::demo {

/// Glyph geometry in font pixels: 5 columns by 9 rows; capitals and digits use rows 0-6
/// (the baseline is row 6), descenders (g, j, p, q, y, comma) reach rows 7-8.
inline constexpr int glyph_width = 5;
inline constexpr int glyph_height = 9;
/// Each character advances by one cell; the extra column and row keep neighbours apart.
inline constexpr int font_cell_width = glyph_width + 1;
inline constexpr int font_cell_height = glyph_height + 1;

/// One glyph's pixels: row y, column x is lit when bit (glyph_width - 1 - x) of rows[y] is set.
struct Glyph {
  std::array<std::uint8_t, glyph_height> rows{};

  /// Is pixel (x, y) of the glyph lit? False outside the glyph.
  constexpr bool lit(int x, int y) const noexcept {
    if (x < 0 || x >= glyph_width || y < 0 || y >= glyph_height) return false;
    return ((rows[static_cast<std::size_t>(y)] >> (glyph_width - 1 - x)) & 1U) != 0;
  }
};

/// The glyph of `c`: every printable ASCII character (32..126) has its own; any other byte
/// (a control character, each byte of a UTF-8 sequence) gets a hollow box, so that
/// unsupported text shows up as such instead of vanishing.
const Glyph& glyph_for(char c) noexcept;

/// Width in pixels of `text` drawn at `scale` (one cell per byte, the trailing gap included).
int text_width(std::string_view text, int scale = 1) noexcept;

/// `text`, or as much of it as fits in `max_width` pixels at `scale` followed by "..", or ""
/// when not even that fits: for labels in a space of fixed width.
std::string fit_text(std::string_view text, int max_width, int scale = 1);

}  // namespace callsup::demo
