// callsup-demo: an RGB raster to draw the waveform picture on (rectangles, lines, text).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace callsup::demo {

/// An 8-bit-per-channel colour.
struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  friend constexpr bool operator==(const Rgb&, const Rgb&) = default;
};

inline constexpr Rgb white{255, 255, 255};

/// Largest width or height of a Canvas: a bound on memory, far above any plot's needs.
inline constexpr int max_canvas_dimension = 16384;

/// A width x height image, rows top to bottom, each pixel 3 bytes R, G, B. Drawing is
/// clipped to the image: shapes partly (or wholly) outside draw only their inside part,
/// so callers can draw with coordinates computed without bounds checks.
class Canvas {
 public:
  /// Throws Error(invalid_argument) when width or height is not in [1, max_canvas_dimension].
  Canvas(int width, int height, Rgb background = white);

  int width() const noexcept { return width_; }
  int height() const noexcept { return height_; }
  bool contains(int x, int y) const noexcept { return x >= 0 && x < width_ && y >= 0 && y < height_; }

  /// The colour at (x, y). Throws Error(invalid_argument) naming the point when it is outside.
  Rgb pixel(int x, int y) const;
  /// Sets (x, y); nothing when outside.
  void set_pixel(int x, int y, Rgb colour) noexcept;

  /// Fills the w x h rectangle whose top-left corner is (x, y); nothing when w or h <= 0.
  void fill_rect(int x, int y, int w, int h, Rgb colour) noexcept;
  /// The column x from y0 to y1, both included, in either order.
  void vertical_line(int x, int y0, int y1, Rgb colour) noexcept;
  /// The row y from x0 to x1, both included, in either order.
  void horizontal_line(int x0, int x1, int y, Rgb colour) noexcept;

  /// Draws `text` in the bitmap font, each font pixel a scale x scale square, the first
  /// character's cell at top-left (x, y); returns the width advanced (text_width). Throws
  /// Error(invalid_argument) when scale is not in [1, 64].
  int draw_text(int x, int y, std::string_view text, Rgb colour, int scale = 1);

  /// The pixels, width * height * 3 bytes, as write_png takes them.
  std::span<const std::uint8_t> rgb() const noexcept { return rgb_; }

 private:
  // Every drawing call ends here; 64-bit coordinates so that x + w cannot overflow.
  void fill_area(long long x, long long y, long long w, long long h, Rgb colour) noexcept;

  int width_;
  int height_;
  std::vector<std::uint8_t> rgb_;
};

}  // namespace callsup::demo
