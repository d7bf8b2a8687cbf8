// callsup-demo: PNG encoding: chunk framing and CRCs (zlib's crc32), the image through compress2.
#include "png_writer.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>

#include "callsup/error.hpp"

namespace callsup::demo {
namespace {

constexpr std::uint8_t png_signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
constexpr std::uint8_t bit_depth = 8;
constexpr std::uint8_t colour_type_rgb = 2;
constexpr std::uint8_t filter_none = 0;
// Decoders handle any IDAT size, but modest chunks keep every length far from the 2^31 limit.
constexpr std::size_t max_idat_bytes = std::size_t{1} << 20;

void append_be32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// length, type, data, CRC of type + data (PNG spec section 5.3).
void append_chunk(std::vector<std::uint8_t>& out, std::string_view type, std::span<const std::uint8_t> data) {
  append_be32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, out.data() + type_at, static_cast<uInt>(out.size() - type_at));
  append_be32(out, static_cast<std::uint32_t>(crc));
}

void check_dimension(const char* what, int value) {
  if (value < 1)
    throw Error(errc::invalid_argument,
                std::string("PNG ") + what + " " + std::to_string(value) + " is not in [1, 2147483647]");
}

/// The rows, each prefixed with its filter byte, deflated.
std::vector<std::uint8_t> compressed_rows(int width, int height, std::span<const std::uint8_t> rgb) {
  const std::size_t row_bytes = static_cast<std::size_t>(width) * 3;
  std::vector<std::uint8_t> raw;
  raw.reserve((row_bytes + 1) * static_cast<std::size_t>(height));
  for (std::size_t row = 0; row < static_cast<std::size_t>(height); ++row) {
    raw.push_back(filter_none);
    const auto pixels = rgb.subspan(row * row_bytes, row_bytes);
    raw.insert(raw.end(), pixels.begin(), pixels.end());
  }
  if (raw.size() > std::numeric_limits<uLong>::max())
    throw Error(errc::invalid_argument,
                "PNG image of " + std::to_string(raw.size()) + " bytes is too large for zlib");
  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> compressed(compressed_size);
  const int status = compress2(compressed.data(), &compressed_size, raw.data(),
                               static_cast<uLong>(raw.size()), Z_DEFAULT_COMPRESSION);
  if (status != Z_OK)  // only Z_MEM_ERROR is possible with a compressBound-sized buffer
    throw Error(errc::io_error, "zlib compress2 failed (" + std::to_string(status) + ") on the PNG image");
  compressed.resize(compressed_size);
  return compressed;
}

}  // namespace

std::vector<std::uint8_t> encode_png(int width, int height, std::span<const std::uint8_t> rgb) {
  check_dimension("width", width);
  check_dimension("height", height);
  const std::uint64_t expected =
      std::uint64_t{3} * static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  if (rgb.size() != expected)
    throw Error(errc::invalid_argument, "PNG RGB data of " + std::to_string(rgb.size()) +
                                            " bytes does not match " + std::to_string(width) + " x " +
                                            std::to_string(height) + " x 3 = " + std::to_string(expected) +
                                            " bytes");

  std::vector<std::uint8_t> png(std::begin(png_signature), std::end(png_signature));
  std::vector<std::uint8_t> header;
  append_be32(header, static_cast<std::uint32_t>(width));
  append_be32(header, static_cast<std::uint32_t>(height));
  // bit depth, colour type, compression method 0 (deflate), filter method 0, no interlace
  header.insert(header.end(), {bit_depth, colour_type_rgb, 0, 0, 0});
  append_chunk(png, "IHDR", header);

  const std::vector<std::uint8_t> deflated = compressed_rows(width, height, rgb);
  const std::span<const std::uint8_t> rest(deflated);
  for (std::size_t at = 0; at < rest.size(); at += max_idat_bytes)
    append_chunk(png, "IDAT", rest.subspan(at, std::min(max_idat_bytes, rest.size() - at)));
  append_chunk(png, "IEND", {});
  return png;
}

void write_png(const std::string& path, int width, int height, std::span<const std::uint8_t> rgb) {
  const std::vector<std::uint8_t> png = encode_png(width, height, rgb);
  const auto fail = [&path](const char* what) {
    throw Error(errc::io_error,
                "cannot " + std::string(what) + " PNG file " + quoted(path) + ": " + std::strerror(errno));
  };
  // Closes the file if a write fails; the success path closes it itself, to check the result.
  struct Closer {
    void operator()(std::FILE* file) const noexcept { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "wb"));
  if (!file) fail("create");
  if (std::fwrite(png.data(), 1, png.size(), file.get()) != png.size()) fail("write");
  // Closing flushes: a full disk shows up here, not as a silently short file.
  if (std::fclose(file.release()) != 0) fail("write");
}

}  // namespace callsup::demo
