// callsup-demo tests: a PNG file's pixels, read by cairo, to check what the demo drew.
#pragma once

#include <cairo.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "waveform_plot.hpp"

namespace callsup::demo::testing {

struct PngImage {
  int width = 0;
  int height = 0;
  std::vector<Rgb> pixels;  ///< rows top to bottom

  Rgb at(int x, int y) const {
    if (x < 0 || x >= width || y < 0 || y >= height)
      throw std::out_of_range("pixel (" + std::to_string(x) + ", " + std::to_string(y) + ") is outside");
    return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                  static_cast<std::size_t>(x)];
  }
};

/// The PNG file at `path`, decoded by cairo (libpng underneath). Throws std::runtime_error when
/// it cannot be read or decoded, or has pixels that are not fully opaque.
inline PngImage read_png(const std::string& path) {
  struct Destroy {
    void operator()(cairo_surface_t* surface) const noexcept { cairo_surface_destroy(surface); }
  };
  const std::unique_ptr<cairo_surface_t, Destroy> surface(cairo_image_surface_create_from_png(path.c_str()));
  if (const cairo_status_t status = cairo_surface_status(surface.get()); status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot read PNG " + path + ": " + cairo_status_to_string(status));
  const cairo_format_t format = cairo_image_surface_get_format(surface.get());
  if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)
    throw std::runtime_error(path + " decodes to cairo format " + std::to_string(format) + ", not RGB");
  PngImage image;
  image.width = cairo_image_surface_get_width(surface.get());
  image.height = cairo_image_surface_get_height(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  const unsigned char* const data = cairo_image_surface_get_data(surface.get());
  for (int y = 0; y < image.height; ++y) {
    // Native-endian 32-bit pixels: alpha (ignored by RGB24), red, green, blue from the top byte.
    const auto* const row =
        reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    for (int x = 0; x < image.width; ++x) {
      const std::uint32_t pixel = row[x];
      if (format == CAIRO_FORMAT_ARGB32 && (pixel >> 24) != 0xFF)
        throw std::runtime_error(path + " has a pixel that is not opaque at (" + std::to_string(x) + ", " +
                                 std::to_string(y) + ")");
      image.pixels.push_back({static_cast<std::uint8_t>(pixel >> 16), static_cast<std::uint8_t>(pixel >> 8),
                              static_cast<std::uint8_t>(pixel)});
    }
  }
  return image;
}

}  // namespace callsup::demo::testing
