// callsup-demo tests: a strict little PNG reader (to check what png_writer wrote) and
// scratch files for the images.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "canvas.hpp"

namespace callsup::demo::test {

inline constexpr std::uint8_t png_signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

inline std::uint32_t read_be32(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

/// CRC-32 (ISO 3309, as PNG uses it), computed bit by bit: independent of the zlib crc32
/// the writer calls, so a writer that fed it the wrong bytes is caught.
inline std::uint32_t reference_crc32(const std::uint8_t* bytes, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= bytes[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
  }
  return crc ^ 0xFFFFFFFFU;
}

struct PngChunk {
  std::string type;
  std::vector<std::uint8_t> data;
  std::uint32_t stored_crc = 0;
  std::uint32_t computed_crc = 0;  ///< reference_crc32 of type + data
};

/// The whole file. Throws std::runtime_error when it cannot be read.
inline std::vector<std::uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The chunks after the 8-byte signature (which this does not check). Throws
/// std::runtime_error when a chunk runs past the end of the file.
inline std::vector<PngChunk> split_chunks(const std::vector<std::uint8_t>& file) {
  std::vector<PngChunk> chunks;
  std::size_t at = sizeof png_signature;
  while (at < file.size()) {
    if (file.size() - at < 12)
      throw std::runtime_error("truncated chunk header at byte " + std::to_string(at));
    const std::uint32_t length = read_be32(&file[at]);
    if (file.size() - at - 12 < length)
      throw std::runtime_error("chunk at byte " + std::to_string(at) + " is truncated");
    PngChunk chunk;
    chunk.type.assign(file.begin() + static_cast<std::ptrdiff_t>(at + 4),
                      file.begin() + static_cast<std::ptrdiff_t>(at + 8));
    chunk.data.assign(file.begin() + static_cast<std::ptrdiff_t>(at + 8),
                      file.begin() + static_cast<std::ptrdiff_t>(at + 8 + length));
    chunk.stored_crc = read_be32(&file[at + 8 + length]);
    chunk.computed_crc = reference_crc32(&file[at + 4], length + 4);
    chunks.push_back(std::move(chunk));
    at += 12 + length;
  }
  return chunks;
}

/// The IDAT chunks' data joined and inflated; expects exactly `expected_size` bytes.
inline std::vector<std::uint8_t> inflate_idat(const std::vector<PngChunk>& chunks,
                                              std::size_t expected_size) {
  std::vector<std::uint8_t> deflated;
  for (const PngChunk& chunk : chunks)
    if (chunk.type == "IDAT") deflated.insert(deflated.end(), chunk.data.begin(), chunk.data.end());
  std::vector<std::uint8_t> raw(expected_size + 1);  // one spare byte: too much data is an error too
  uLongf raw_size = static_cast<uLongf>(raw.size());
  const int status = uncompress(raw.data(), &raw_size, deflated.data(), static_cast<uLong>(deflated.size()));
  if (status != Z_OK)
    throw std::runtime_error("IDAT does not inflate: zlib status " + std::to_string(status));
  if (raw_size != expected_size)
    throw std::runtime_error("IDAT inflates to " + std::to_string(raw_size) + " bytes, not " +
                             std::to_string(expected_size));
  raw.resize(raw_size);
  return raw;
}

struct PngImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;

  Rgb at(int x, int y) const {
    const std::size_t i =
        (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
    return {rgb.at(i), rgb.at(i + 1), rgb.at(i + 2)};
  }
};

/// Decodes what encode_png writes and nothing else: signature, IHDR first (8-bit RGB, no
/// interlace), every CRC right, IDAT inflating to exactly the rows, each row with filter 0,
/// IEND last. Throws std::runtime_error naming the first thing that is wrong.
inline PngImage decode_png(const std::vector<std::uint8_t>& file) {
  if (file.size() < sizeof png_signature ||
      !std::equal(std::begin(png_signature), std::end(png_signature), file.begin()))
    throw std::runtime_error("no PNG signature");
  const std::vector<PngChunk> chunks = split_chunks(file);
  for (const PngChunk& chunk : chunks)
    if (chunk.stored_crc != chunk.computed_crc) throw std::runtime_error("bad CRC on chunk " + chunk.type);
  if (chunks.empty() || chunks.front().type != "IHDR" || chunks.front().data.size() != 13)
    throw std::runtime_error("the first chunk is not a 13-byte IHDR");
  if (chunks.back().type != "IEND" || !chunks.back().data.empty())
    throw std::runtime_error("the last chunk is not IEND");
  const std::vector<std::uint8_t>& header = chunks.front().data;
  if (header[8] != 8 || header[9] != 2 || header[10] != 0 || header[11] != 0 || header[12] != 0)
    throw std::runtime_error("IHDR is not 8-bit RGB, deflate, filter method 0, no interlace");
  PngImage image;
  image.width = static_cast<int>(read_be32(&header[0]));
  image.height = static_cast<int>(read_be32(&header[4]));
  const std::size_t row_bytes = 1 + 3 * static_cast<std::size_t>(image.width);
  const std::vector<std::uint8_t> raw =
      inflate_idat(chunks, row_bytes * static_cast<std::size_t>(image.height));
  for (std::size_t row = 0; row < static_cast<std::size_t>(image.height); ++row) {
    if (raw[row * row_bytes] != 0)
      throw std::runtime_error("row " + std::to_string(row) + " has a filter byte != 0");
    image.rgb.insert(image.rgb.end(), raw.begin() + static_cast<std::ptrdiff_t>(row * row_bytes + 1),
                     raw.begin() + static_cast<std::ptrdiff_t>((row + 1) * row_bytes));
  }
  return image;
}

/// A unique path in the temp directory (tests run in parallel processes), removed with
/// whatever was written there when the ScratchFile goes.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& name) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("callsup-demo-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name))
                .string();
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace callsup::demo::test
