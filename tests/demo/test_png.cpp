// Tests of the demo's PNG encoder: the file structure (signature, IHDR, CRCs, IDAT, IEND),
// the pixels it carries, and its errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "png_reader.hpp"
#include "png_writer.hpp"
#include "support/checks.hpp"

namespace {

using namespace callsup;
using namespace callsup::demo;
using namespace callsup::demo::test;

/// A width x height image where every byte differs from its neighbours: a swapped channel,
/// row or column shows up.
std::vector<std::uint8_t> gradient(int width, int height) {
  std::vector<std::uint8_t> rgb;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      rgb.push_back(static_cast<std::uint8_t>(x * 37));
      rgb.push_back(static_cast<std::uint8_t>(y * 53));
      rgb.push_back(static_cast<std::uint8_t>(x * 11 + y * 7 + 1));
    }
  return rgb;
}

}  // namespace

TEST_CASE("demo: write_png writes signature, IHDR, IDAT and IEND with correct CRCs") {
  constexpr int width = 7;
  constexpr int height = 5;
  const std::vector<std::uint8_t> rgb = gradient(width, height);
  const ScratchFile file("structure.png");
  write_png(file.path(), width, height, rgb);
  const std::vector<std::uint8_t> bytes = read_file_bytes(file.path());

  REQUIRE(bytes.size() > sizeof png_signature);
  CHECK(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 8) ==
        std::vector<std::uint8_t>{0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A});

  const std::vector<PngChunk> chunks = split_chunks(bytes);
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].type == "IHDR");
  CHECK(chunks[1].type == "IDAT");
  CHECK(chunks[2].type == "IEND");
  for (const PngChunk& chunk : chunks) {
    INFO("chunk " << chunk.type);
    CHECK(chunk.stored_crc == chunk.computed_crc);
  }
  // IEND is always the same 12 bytes; its CRC is the one every PNG ends with.
  CHECK(chunks[2].data.empty());
  CHECK(chunks[2].stored_crc == 0xAE426082U);

  const std::vector<std::uint8_t>& header = chunks[0].data;
  REQUIRE(header.size() == 13);
  CHECK(read_be32(&header[0]) == width);
  CHECK(read_be32(&header[4]) == height);
  CHECK(header[8] == 8);   // bit depth
  CHECK(header[9] == 2);   // colour type: RGB
  CHECK(header[10] == 0);  // compression: deflate
  CHECK(header[11] == 0);  // filter method
  CHECK(header[12] == 0);  // no interlace

  const std::size_t pixel_bytes = 3 * static_cast<std::size_t>(width);
  const std::size_t row_bytes = 1 + pixel_bytes;
  const std::vector<std::uint8_t> raw = inflate_idat(chunks, height * row_bytes);
  for (std::size_t y = 0; y < static_cast<std::size_t>(height); ++y) {
    INFO("row " << y);
    CHECK(raw[y * row_bytes] == 0);  // filter type 0
    const auto written = std::span(raw).subspan(y * row_bytes + 1, pixel_bytes);
    const auto given = std::span(rgb).subspan(y * pixel_bytes, pixel_bytes);
    CHECK(std::equal(written.begin(), written.end(), given.begin(), given.end()));
  }
  CHECK(encode_png(width, height, rgb) == bytes);
}

TEST_CASE("demo: write_png round-trips a 1x1 image and a large one split over several IDAT chunks") {
  SUBCASE("1 x 1") {
    const std::vector<std::uint8_t> rgb{12, 34, 56};
    const PngImage image = decode_png(encode_png(1, 1, rgb));
    CHECK(image.width == 1);
    CHECK(image.height == 1);
    CHECK(image.rgb == rgb);
  }
  SUBCASE("noise too big for one 1 MiB IDAT") {
    // Random bytes do not compress, so 1.44 MB of them need two IDAT chunks.
    constexpr int width = 800;
    constexpr int height = 600;
    std::mt19937 random(42);
    std::vector<std::uint8_t> rgb(std::size_t{3} * width * height);
    for (std::uint8_t& byte : rgb) byte = static_cast<std::uint8_t>(random());
    const ScratchFile file("noise.png");
    write_png(file.path(), width, height, rgb);
    const std::vector<std::uint8_t> bytes = read_file_bytes(file.path());
    int idat_chunks = 0;
    for (const PngChunk& chunk : split_chunks(bytes))
      if (chunk.type == "IDAT") {
        ++idat_chunks;
        CHECK(chunk.data.size() <= (1U << 20));
      }
    CHECK(idat_chunks >= 2);
    const PngImage image = decode_png(bytes);
    CHECK(image.width == width);
    CHECK(image.height == height);
    CHECK(image.rgb == rgb);
  }
}

TEST_CASE("demo: write_png rejects bad sizes and unwritable paths, naming them") {
  const std::vector<std::uint8_t> rgb = gradient(4, 3);
  CHECK_CALLSUP_ERROR(encode_png(0, 3, rgb), errc::invalid_argument, "width 0");
  CHECK_CALLSUP_ERROR(encode_png(-4, 3, rgb), errc::invalid_argument, "width -4");
  CHECK_CALLSUP_ERROR(encode_png(4, 0, rgb), errc::invalid_argument, "height 0");
  CHECK_CALLSUP_ERROR(encode_png(4, -3, rgb), errc::invalid_argument, "height -3");
  CHECK_CALLSUP_ERROR(encode_png(4, 4, rgb), errc::invalid_argument, "36 bytes");
  CHECK_CALLSUP_ERROR(encode_png(4, 3, std::span(rgb).first(35)), errc::invalid_argument, "35 bytes");
  CHECK_CALLSUP_ERROR(write_png("/nonexistent-dir-callsup/x.png", 4, 3, rgb), errc::io_error,
                      "'/nonexistent-dir-callsup/x.png'");
  // A size error wins over the path: nothing is created for an image that cannot be encoded.
  const ScratchFile file("never.png");
  CHECK_CALLSUP_ERROR(write_png(file.path(), 4, 0, rgb), errc::invalid_argument, "height 0");
  CHECK_FALSE(std::filesystem::exists(file.path()));
}
