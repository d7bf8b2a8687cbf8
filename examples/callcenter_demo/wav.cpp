// callsup-demo: RIFF/WAVE 16-bit PCM reader and writer, little-endian byte by byte.
#include "wav.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>

#include "callsup/error.hpp"

namespace callsup::demo {
namespace {

using Bytes = std::vector<unsigned char>;

constexpr std::uint16_t format_pcm = 1;
constexpr std::uint16_t format_extensible = 0xFFFE;
// KSDATAFORMAT_SUBTYPE_PCM after its first two bytes (which hold the format tag, 1).
constexpr std::array<unsigned char, 14> pcm_subformat_tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                                              0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

[[noreturn]] void fail(errc code, const std::string& path, const std::string& what) {
  throw Error(code, path + ": " + what);
}

std::string system_reason() { return std::strerror(errno); }

Bytes read_all(const std::string& path) {
  errno = 0;
  const File file(std::fopen(path.c_str(), "rb"));
  if (!file) fail(errc::io_error, path, "cannot open for reading (" + system_reason() + ")");
  Bytes bytes;
  std::array<unsigned char, 64 * 1024> buffer;
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0)
    bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(got));
  if (std::ferror(file.get())) fail(errc::io_error, path, "read failed (" + system_reason() + ")");
  return bytes;
}

std::uint16_t u16_at(const Bytes& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8));
}

std::uint32_t u32_at(const Bytes& bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | static_cast<std::uint32_t>(bytes[at + 1]) << 8 |
         static_cast<std::uint32_t>(bytes[at + 2]) << 16 | static_cast<std::uint32_t>(bytes[at + 3]) << 24;
}

bool tag_at(const Bytes& bytes, std::size_t at, std::string_view tag) {
  return std::memcmp(bytes.data() + at, tag.data(), 4) == 0;
}

// A chunk id for an error message, with unprintable bytes shown as '?'.
std::string printable_tag(const Bytes& bytes, std::size_t at) {
  std::string tag = "'";
  for (std::size_t i = at; i < at + 4; ++i)
    tag += bytes[i] >= 0x20 && bytes[i] < 0x7F ? static_cast<char>(bytes[i]) : '?';
  return tag + "'";
}

struct Format {
  int channels = 0;
  int sample_rate = 0;
};

// Validates the "fmt " chunk whose body is bytes[at, at + size).
Format parse_format(const Bytes& bytes, std::size_t at, std::uint32_t size, const std::string& path) {
  if (size < 16)
    fail(errc::invalid_argument, path,
         "fmt chunk of " + std::to_string(size) + " bytes, expected 16 or more");
  const std::uint16_t tag = u16_at(bytes, at);
  if (tag == format_extensible) {
    if (size < 40)
      fail(errc::invalid_argument, path,
           "extensible fmt chunk of " + std::to_string(size) + " bytes, expected 40");
    const bool pcm =
        u16_at(bytes, at + 24) == format_pcm &&
        std::memcmp(bytes.data() + at + 26, pcm_subformat_tail.data(), pcm_subformat_tail.size()) == 0;
    if (!pcm) fail(errc::invalid_argument, path, "extensible format with a sub-format other than PCM");
  } else if (tag != format_pcm) {
    fail(errc::invalid_argument, path, "format tag " + std::to_string(tag) + ", expected 1 (PCM)");
  }
  const int channels = u16_at(bytes, at + 2);
  const std::uint32_t sample_rate = u32_at(bytes, at + 4);
  const int block_align = u16_at(bytes, at + 12);
  const int bits = u16_at(bytes, at + 14);
  if (channels != 1 && channels != 2)
    fail(errc::invalid_argument, path, std::to_string(channels) + " channels, expected 1 or 2");
  if (bits != 16) fail(errc::invalid_argument, path, std::to_string(bits) + "-bit samples, expected 16");
  if (sample_rate == 0 || sample_rate > static_cast<std::uint32_t>(std::numeric_limits<int>::max()))
    fail(errc::invalid_argument, path, "sample rate " + std::to_string(sample_rate) + " Hz");
  if (block_align != 2 * channels)
    fail(errc::invalid_argument, path,
         "block align " + std::to_string(block_align) + ", expected " + std::to_string(2 * channels));
  return {channels, static_cast<int>(sample_rate)};
}

void put_u16(Bytes& out, std::uint32_t value) {
  out.push_back(static_cast<unsigned char>(value & 0xFF));
  out.push_back(static_cast<unsigned char>((value >> 8) & 0xFF));
}

void put_u32(Bytes& out, std::uint32_t value) {
  put_u16(out, value & 0xFFFF);
  put_u16(out, value >> 16);
}

void put_tag(Bytes& out, std::string_view tag) { out.insert(out.end(), tag.begin(), tag.end()); }

}  // namespace

Pcm read_wav(const std::string& path) {
  const Bytes bytes = read_all(path);
  if (bytes.size() < 12 || !tag_at(bytes, 0, "RIFF") || !tag_at(bytes, 8, "WAVE"))
    fail(errc::invalid_argument, path, "not a WAVE file");
  // The RIFF size field is ignored: writers that were interrupted or stream get it wrong, and
  // the chunks themselves say where they end.
  Format format;
  std::size_t at = 12;
  while (bytes.size() - at >= 8) {
    const std::size_t body = at + 8;
    const std::uint32_t size = u32_at(bytes, at + 4);
    const std::size_t present = bytes.size() - body;
    if (tag_at(bytes, at, "data")) {
      if (format.channels == 0) fail(errc::invalid_argument, path, "data chunk before the fmt chunk");
      if (size > present)
        fail(errc::invalid_argument, path,
             "data chunk truncated (" + std::to_string(size) + " bytes declared, " + std::to_string(present) +
                 " present)");
      const std::size_t frame_bytes = 2 * static_cast<std::size_t>(format.channels);
      if (size % frame_bytes != 0)
        fail(errc::invalid_argument, path,
             "data chunk of " + std::to_string(size) + " bytes is not a whole number of " +
                 std::to_string(frame_bytes) + "-byte frames");
      Pcm pcm;
      pcm.sample_rate = format.sample_rate;
      pcm.channels = format.channels;
      pcm.samples.resize(size / 2);
      for (std::size_t i = 0; i < pcm.samples.size(); ++i)
        pcm.samples[i] = static_cast<std::int16_t>(u16_at(bytes, body + 2 * i));
      return pcm;
    }
    if (size > present) fail(errc::invalid_argument, path, printable_tag(bytes, at) + " chunk truncated");
    if (tag_at(bytes, at, "fmt ")) format = parse_format(bytes, body, size, path);
    at = body + size + (size & 1);  // chunks are padded to an even size
    if (at > bytes.size()) break;   // a missing pad byte after the last chunk
  }
  fail(errc::invalid_argument, path, format.channels == 0 ? "no fmt chunk" : "no data chunk");
}

void write_wav(const std::string& path, std::span<const std::int16_t> samples, int sample_rate,
               int channels) {
  if (sample_rate <= 0)
    fail(errc::invalid_argument, path, "sample rate " + std::to_string(sample_rate) + " is not positive");
  if (channels != 1 && channels != 2)
    fail(errc::invalid_argument, path, std::to_string(channels) + " channels, expected 1 or 2");
  if (samples.size() % static_cast<std::size_t>(channels) != 0)
    fail(errc::invalid_argument, path,
         std::to_string(samples.size()) + " samples are not a whole number of " + std::to_string(channels) +
             "-channel frames");
  constexpr std::size_t header_bytes = 44;
  if (samples.size() > (std::numeric_limits<std::uint32_t>::max() - header_bytes) / 2)
    fail(errc::invalid_argument, path, std::to_string(samples.size()) + " samples do not fit a WAV file");
  const auto data_bytes = static_cast<std::uint32_t>(2 * samples.size());
  const auto block_align = static_cast<std::uint32_t>(2 * channels);
  if (static_cast<std::uint32_t>(sample_rate) > std::numeric_limits<std::uint32_t>::max() / block_align)
    fail(errc::invalid_argument, path, "sample rate " + std::to_string(sample_rate) + " is too high for WAV");

  Bytes out;
  out.reserve(header_bytes + data_bytes);
  put_tag(out, "RIFF");
  put_u32(out, static_cast<std::uint32_t>(header_bytes - 8) + data_bytes);
  put_tag(out, "WAVE");
  put_tag(out, "fmt ");
  put_u32(out, 16);
  put_u16(out, format_pcm);
  put_u16(out, static_cast<std::uint32_t>(channels));
  put_u32(out, static_cast<std::uint32_t>(sample_rate));
  put_u32(out, static_cast<std::uint32_t>(sample_rate) * block_align);  // bytes per second
  put_u16(out, block_align);
  put_u16(out, 16);
  put_tag(out, "data");
  put_u32(out, data_bytes);
  for (const std::int16_t sample : samples) put_u16(out, static_cast<std::uint16_t>(sample));

  errno = 0;
  File file(std::fopen(path.c_str(), "wb"));
  if (!file) fail(errc::io_error, path, "cannot open for writing (" + system_reason() + ")");
  const bool written = std::fwrite(out.data(), 1, out.size(), file.get()) == out.size();
  const bool closed = std::fclose(file.release()) == 0;
  if (!written || !closed) fail(errc::io_error, path, "write failed (" + system_reason() + ")");
}

}  // namespace callsup::demo
