// callsup-demo: the RGB raster: clipped fills and lines, and bitmap-font text.
#include "canvas.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

#include "bitmap_font.hpp"
#include "callsup/error.hpp"

namespace callsup::demo {
namespace {

constexpr int max_text_scale = 64;

int checked_dimension(const char* what, int value) {
  if (value < 1 || value > max_canvas_dimension)
    throw Error(errc::invalid_argument, std::string("canvas ") + what + " " + std::to_string(value) +
                                            " is not in [1, " + std::to_string(max_canvas_dimension) + "]");
  return value;
}

/// [begin, end) clipped to [0, limit).
std::pair<int, int> clip(long long begin, long long end, int limit) {
  return {static_cast<int>(std::clamp<long long>(begin, 0, limit)),
          static_cast<int>(std::clamp<long long>(end, 0, limit))};
}

}  // namespace

Canvas::Canvas(int width, int height, Rgb background)
    : width_(checked_dimension("width", width)), height_(checked_dimension("height", height)) {
  rgb_.resize(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 3);
  fill_rect(0, 0, width_, height_, background);
}

Rgb Canvas::pixel(int x, int y) const {
  if (!contains(x, y))
    throw Error(errc::invalid_argument, "pixel (" + std::to_string(x) + ", " + std::to_string(y) +
                                            ") is outside the " + std::to_string(width_) + " x " +
                                            std::to_string(height_) + " canvas");
  const std::size_t at =
      (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(x)) * 3;
  return {rgb_[at], rgb_[at + 1], rgb_[at + 2]};
}

void Canvas::set_pixel(int x, int y, Rgb colour) noexcept { fill_area(x, y, 1, 1, colour); }

void Canvas::fill_rect(int x, int y, int w, int h, Rgb colour) noexcept { fill_area(x, y, w, h, colour); }

void Canvas::vertical_line(int x, int y0, int y1, Rgb colour) noexcept {
  if (y0 > y1) std::swap(y0, y1);
  fill_area(x, y0, 1, static_cast<long long>(y1) - y0 + 1, colour);
}

void Canvas::horizontal_line(int x0, int x1, int y, Rgb colour) noexcept {
  if (x0 > x1) std::swap(x0, x1);
  fill_area(x0, y, static_cast<long long>(x1) - x0 + 1, 1, colour);
}

void Canvas::fill_area(long long x, long long y, long long w, long long h, Rgb colour) noexcept {
  if (w <= 0 || h <= 0) return;
  const auto [x0, x1] = clip(x, x + w, width_);
  const auto [y0, y1] = clip(y, y + h, height_);
  for (int row = y0; row < y1; ++row) {
    std::size_t at =
        (static_cast<std::size_t>(row) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(x0)) * 3;
    for (int column = x0; column < x1; ++column, at += 3) {
      rgb_[at] = colour.r;
      rgb_[at + 1] = colour.g;
      rgb_[at + 2] = colour.b;
    }
  }
}

int Canvas::draw_text(int x, int y, std::string_view text, Rgb colour, int scale) {
  if (scale < 1 || scale > max_text_scale)
    throw Error(errc::invalid_argument, "text scale " + std::to_string(scale) + " is not in [1, " +
                                            std::to_string(max_text_scale) + "]");
  long long cell_x = x;
  for (const char c : text) {
    if (cell_x >= width_) break;  // the rest is clipped away
    const Glyph& glyph = glyph_for(c);
    for (int gy = 0; gy < glyph_height; ++gy)
      for (int gx = 0; gx < glyph_width; ++gx)
        if (glyph.lit(gx, gy))
          fill_area(cell_x + static_cast<long long>(gx) * scale, y + static_cast<long long>(gy) * scale,
                    scale, scale, colour);
    cell_x += static_cast<long long>(font_cell_width) * scale;
  }
  return text_width(text, scale);
}

}  // namespace callsup::demo
