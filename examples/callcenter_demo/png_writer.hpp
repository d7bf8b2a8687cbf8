// callsup-demo: a minimal PNG encoder (8-bit RGB, no interlace) on zlib.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace callsup::demo {

/// The PNG file of a width x height 8-bit RGB image: signature, IHDR, the zlib stream of the
/// rows (each with filter type 0, "none") in IDAT chunks of at most 1 MiB, IEND. `rgb` holds
/// the rows top to bottom, 3 bytes (R, G, B) per pixel. Throws Error(invalid_argument) when
/// width or height is not in [1, 2^31 - 1] or `rgb` is not width * height * 3 bytes long.
std::vector<std::uint8_t> encode_png(int width, int height, std::span<const std::uint8_t> rgb);

/// Writes encode_png(width, height, rgb) to `path`, replacing the file. Throws as encode_png,
/// and Error(io_error) naming the path when it cannot be created or written.
void write_png(const std::string& path, int width, int height, std::span<const std::uint8_t> rgb);

}  // namespace callsup::demo
