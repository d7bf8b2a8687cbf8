// callsup-demo: the bitmap font's glyphs, drawn by hand for this demo ('#' = lit pixel).
#include "bitmap_font.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string_view>

namespace callsup::demo {
namespace {

inline constexpr char first_printable = ' ';
inline constexpr char last_printable = '~';
inline constexpr std::size_t printable_count = last_printable - first_printable + 1;
inline constexpr std::size_t glyphs_per_band = 16;

// The printable characters in order, 16 per band; each band is glyph_height rows of its
// glyphs side by side, one space between glyphs. Laid out as pictures so that a glyph can be
// read and corrected in place.
// clang-format off
constexpr std::string_view glyph_art[] = {
    //       !     "     #     $     %     &     '     (     )     *     +     ,     -     .     /
    "..... ..#.. .#.#. .#.#. ..#.. ##... .##.. ..#.. ...#. .#... ..... ..... ..... ..... ..... ....#",
    "..... ..#.. .#.#. .#.#. .#### ##..# #..#. ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..... ..... ...#.",
    "..... ..#.. .#.#. ##### #.#.. ...#. #.#.. ..#.. .#... ...#. #.#.# ..#.. ..... ..... ..... ...#.",
    "..... ..#.. ..... .#.#. .###. ..#.. .#... ..... .#... ...#. .###. ##### ..... .###. ..... ..#..",
    "..... ..#.. ..... ##### ..#.# .#... #.#.# ..... .#... ...#. #.#.# ..#.. ..... ..... ..... .#...",
    "..... ..... ..... .#.#. ####. #..## #..#. ..... ..#.. ..#.. ..#.. ..#.. .##.. ..... .##.. .#...",
    "..... ..#.. ..... .#.#. ..#.. ...## .##.# ..... ...#. .#... ..... ..... .##.. ..... .##.. #....",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..#.. ..... ..... .....",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .#... ..... ..... .....",
    // 0     1     2     3     4     5     6     7     8     9     :     ;     <     =     >     ?
    ".###. ..#.. .###. ##### ...#. ##### ..##. ##### .###. .###. ..... ..... ...#. ..... .#... .###.",
    "#...# .##.. #...# ...#. ..##. #.... .#... ....# #...# #...# ..... ..... ..#.. ..... ..#.. #...#",
    "#..## ..#.. ....# ..#.. .#.#. ####. #.... ...#. #...# #...# .##.. .##.. .#... ##### ...#. ....#",
    "#.#.# ..#.. ...#. ...#. #..#. ....# ####. ..#.. .###. .#### .##.. .##.. #.... ..... ....# ...#.",
    "##..# ..#.. ..#.. ....# ##### ....# #...# .#... #...# ....# ..... ..... .#... ##### ...#. ..#..",
    "#...# ..#.. .#... #...# ...#. #...# #...# .#... #...# ...#. .##.. .##.. ..#.. ..... ..#.. .....",
    ".###. .###. ##### .###. ...#. .###. .###. .#... .###. .##.. .##.. .##.. ...#. ..... .#... ..#..",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..#.. ..... ..... ..... .....",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .#... ..... ..... ..... .....",
    // @     A     B     C     D     E     F     G     H     I     J     K     L     M     N     O
    ".###. .###. ####. .###. ###.. ##### ##### .###. #...# .###. ..### #...# #.... #...# #...# .###.",
    "#...# #...# #...# #...# #..#. #.... #.... #...# #...# ..#.. ...#. #..#. #.... ##.## #...# #...#",
    "#.### #...# #...# #.... #...# #.... #.... #.... #...# ..#.. ...#. #.#.. #.... #.#.# ##..# #...#",
    "#.#.# ##### ####. #.... #...# ####. ####. #.### ##### ..#.. ...#. ##... #.... #.#.# #.#.# #...#",
    "#.### #...# #...# #.... #...# #.... #.... #...# #...# ..#.. ...#. #.#.. #.... #...# #..## #...#",
    "#.... #...# #...# #...# #..#. #.... #.... #...# #...# ..#.. #..#. #..#. #.... #...# #...# #...#",
    ".#### #...# ####. .###. ###.. ##### #.... .#### #...# .###. .##.. #...# ##### #...# #...# .###.",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    // P     Q     R     S     T     U     V     W     X     Y     Z     [     \     ]     ^     _
    "####. .###. ####. .#### ##### #...# #...# #...# #...# #...# ##### .###. #.... .###. ..#.. .....",
    "#...# #...# #...# #.... ..#.. #...# #...# #...# #...# #...# ....# .#... .#... ...#. .#.#. .....",
    "#...# #...# #...# #.... ..#.. #...# #...# #...# .#.#. .#.#. ...#. .#... .#... ...#. #...# .....",
    "####. #...# ####. .###. ..#.. #...# #...# #.#.# ..#.. ..#.. ..#.. .#... ..#.. ...#. ..... .....",
    "#.... #.#.# #.#.. ....# ..#.. #...# #...# #.#.# .#.#. ..#.. .#... .#... ...#. ...#. ..... .....",
    "#.... #..#. #..#. ....# ..#.. #...# .#.#. #.#.# #...# ..#.. #.... .#... ...#. ...#. ..... .....",
    "#.... .##.# #...# ####. ..#.. .###. ..#.. .#.#. #...# ..#.. ##### .###. ....# .###. ..... .....",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... #####",
    "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    // `     a     b     c     d     e     f     g     h     i     j     k     l     m     n     o
    ".#... ..... #.... ..... ....# ..... ..##. ..... #.... ..#.. ...#. #.... .##.. ..... ..... .....",
    "..#.. ..... #.... ..... ....# ..... .#..# ..... #.... ..... ..... #.... ..#.. ..... ..... .....",
    "...#. .###. ####. .###. .#### .###. .#... .#### #.##. .##.. ..##. #..#. ..#.. ##.#. #.##. .###.",
    "..... ....# #...# #.... #...# #...# ###.. #...# ##..# ..#.. ...#. #.#.. ..#.. #.#.# ##..# #...#",
    "..... .#### #...# #.... #...# ##### .#... #...# #...# ..#.. ...#. ##... ..#.. #.#.# #...# #...#",
    "..... #...# #...# #...# #...# #.... .#... #...# #...# ..#.. ...#. #.#.. ..#.. #.#.# #...# #...#",
    "..... .#### ####. .###. .#### .###. .#... .#### #...# .###. ...#. #..#. .###. #.#.# #...# .###.",
    "..... ..... ..... ..... ..... ..... ..... ....# ..... ..... #..#. ..... ..... ..... ..... .....",
    "..... ..... ..... ..... ..... ..... ..... .###. ..... ..... .##.. ..... ..... ..... ..... .....",
    // p     q     r     s     t     u     v     w     x     y     z     {     |     }     ~
    "..... ..... ..... ..... .#... ..... ..... ..... ..... ..... ..... ...## ..#.. ##... .....",
    "..... ..... ..... ..... .#... ..... ..... ..... ..... ..... ..... ..#.. ..#.. ..#.. .....",
    "####. .#### #.##. .#### ###.. #...# #...# #...# #...# #...# ##### ..#.. ..#.. ..#.. .#...",
    "#...# #...# ##..# #.... .#... #...# #...# #...# .#.#. #...# ...#. .#... ..#.. ...#. #.#.#",
    "#...# #...# #.... .###. .#... #...# #...# #.#.# ..#.. #...# ..#.. ..#.. ..#.. ..#.. ...#.",
    "#...# #...# #.... ....# .#..# #..## .#.#. #.#.# .#.#. #...# .#... ..#.. ..#.. ..#.. .....",
    "####. .#### #.... ####. ..##. .##.# ..#.. .#.#. #...# .#### ##### ...## ..#.. ##... .....",
    "#.... ....# ..... ..... ..... ..... ..... ..... ..... ....# ..... ..... ..#.. ..... .....",
    "#.... ....# ..... ..... ..... ..... ..... ..... ..... .###. ..... ..... ..#.. ..... .....",
};
// clang-format on

constexpr std::size_t band_count = (printable_count + glyphs_per_band - 1) / glyphs_per_band;
static_assert(std::size(glyph_art) == band_count * glyph_height, "one art row per glyph row per band");

constexpr Glyph parse_glyph(std::size_t index) {
  const std::size_t band = index / glyphs_per_band;
  const std::size_t column = (index % glyphs_per_band) * (glyph_width + 1);
  Glyph glyph;
  for (std::size_t y = 0; y < glyph_height; ++y) {
    const std::string_view row = glyph_art[band * glyph_height + y];
    for (std::size_t x = 0; x < glyph_width; ++x)
      glyph.rows[y] = static_cast<std::uint8_t>((glyph.rows[y] << 1) | (row.at(column + x) == '#' ? 1 : 0));
  }
  return glyph;
}

constexpr bool art_is_well_formed() {
  for (std::size_t band = 0; band < band_count; ++band) {
    const std::size_t glyphs =
        band + 1 < band_count ? glyphs_per_band : printable_count - band * glyphs_per_band;
    for (std::size_t y = 0; y < glyph_height; ++y) {
      const std::string_view row = glyph_art[band * glyph_height + y];
      if (row.size() != glyphs * (glyph_width + 1) - 1) return false;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const bool gap = i % (glyph_width + 1) == glyph_width;
        if (gap ? row[i] != ' ' : row[i] != '#' && row[i] != '.') return false;
      }
    }
  }
  return true;
}
static_assert(art_is_well_formed(), "every art row: glyphs of '#'/'.' separated by single spaces");

constexpr std::array<Glyph, printable_count> parse_all() {
  std::array<Glyph, printable_count> glyphs{};
  for (std::size_t i = 0; i < printable_count; ++i) glyphs[i] = parse_glyph(i);
  return glyphs;
}

constexpr std::array<Glyph, printable_count> printable_glyphs = parse_all();

// The cap-height outline that stands in for characters the font lacks.
constexpr Glyph box_glyph{{0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111, 0, 0}};

}  // namespace

const Glyph& glyph_for(char c) noexcept {
  if (c < first_printable || c > last_printable) return box_glyph;
  return printable_glyphs[static_cast<std::size_t>(c - first_printable)];
}

int text_width(std::string_view text, int scale) noexcept {
  // 64-bit, then clamped: a long text at a large scale must not overflow int.
  const long long width = static_cast<long long>(text.size()) * font_cell_width * scale;
  return static_cast<int>(std::min<long long>(width, std::numeric_limits<int>::max()));
}

std::string fit_text(std::string_view text, int max_width, int scale) {
  if (text_width(text, scale) <= max_width) return std::string(text);
  constexpr std::string_view ellipsis = "..";
  const int room = max_width / (font_cell_width * scale) - static_cast<int>(ellipsis.size());
  if (room <= 0) return {};
  std::string fitted(text.substr(0, static_cast<std::size_t>(room)));
  fitted += ellipsis;
  return fitted;
}

}  // namespace callsup::demo
