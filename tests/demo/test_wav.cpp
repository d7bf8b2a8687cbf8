// callsup-demo: the WAV reader and writer: exact round trips, the header byte by byte, the
// chunk layouts other writers produce, the bundled voices, and every malformed file.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/error.hpp"
#include "support/checks.hpp"
#include "support/scratch_dir.hpp"
#include "wav.hpp"

using namespace callsup;
using callsup::testing::ScratchDir;
using namespace callsup::demo;
namespace fs = std::filesystem;

namespace {

// Hand-made files, little-endian.
std::string u16(unsigned value) {
  return {static_cast<char>(value & 0xFF), static_cast<char>((value >> 8) & 0xFF)};
}
std::string u32(std::uint32_t value) { return u16(value & 0xFFFF) + u16(value >> 16); }

/// A chunk: id, size, body, and the pad byte an odd size needs.
std::string chunk(std::string_view id, const std::string& body) {
  std::string out = std::string(id) + u32(static_cast<std::uint32_t>(body.size())) + body;
  if (body.size() % 2 != 0) out += '\0';
  return out;
}

std::string wave_file(const std::string& chunks) {
  return "RIFF" + u32(static_cast<std::uint32_t>(4 + chunks.size())) + "WAVE" + chunks;
}

/// The 16 bytes of a plain "fmt " body.
std::string fmt_body(unsigned tag, unsigned channels, std::uint32_t rate, unsigned bits,
                     unsigned block_align) {
  return u16(tag) + u16(channels) + u32(rate) + u32(rate * block_align) + u16(block_align) + u16(bits);
}
std::string pcm_fmt(unsigned channels, std::uint32_t rate) {
  return fmt_body(1, channels, rate, 16, 2 * channels);
}

/// A WAVE_FORMAT_EXTENSIBLE body (40 bytes) whose sub-format GUID starts with `subformat`.
std::string extensible_fmt(unsigned channels, std::uint32_t rate, unsigned subformat) {
  const std::string guid_tail("\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 14);
  return fmt_body(0xFFFE, channels, rate, 16, 2 * channels) + u16(22) + u16(16) + u32(channels == 1 ? 4 : 3) +
         u16(subformat) + guid_tail;
}

std::string pcm_bytes(const std::vector<std::int16_t>& samples) {
  std::string out;
  for (const std::int16_t s : samples) out += u16(static_cast<std::uint16_t>(s));
  return out;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// read_wav(path) must throw Error(invalid_argument) whose message is exactly "path: what".
void check_bad_file(const std::string& path, const std::string& what) {
  INFO("file " << path);
  try {
    (void)read_wav(path);
    FAIL_CHECK("no error for " << path);
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_argument);
    CHECK(std::string(error.what()) == path + ": " + what);
  }
}

const std::vector<std::int16_t> some_samples{0, 1, -1, 1234, -4321, 32767, -32768, 2};

}  // namespace

TEST_CASE("demo: wav: samples written are read back exactly, mono and stereo, any rate") {
  const ScratchDir dir("callsup-wav");
  const std::string mono = dir.file("mono.wav");
  write_wav(mono, some_samples, 8000);
  const Pcm back = read_wav(mono);
  CHECK(back.sample_rate == 8000);
  CHECK(back.channels == 1);
  CHECK(back.samples == some_samples);

  const std::string stereo = dir.file("stereo.wav");
  write_wav(stereo, some_samples, 44100, 2);
  const Pcm both = read_wav(stereo);
  CHECK(both.sample_rate == 44100);
  CHECK(both.channels == 2);
  CHECK(both.samples == some_samples);

  const std::string empty = dir.file("empty.wav");
  write_wav(empty, {}, 16000);
  CHECK(fs::file_size(empty) == 44);
  CHECK(read_wav(empty).samples.empty());
  CHECK(read_wav(empty).sample_rate == 16000);

  write_wav(mono, std::vector<std::int16_t>{7, 8}, 8000);  // replaces the earlier file
  CHECK(read_wav(mono).samples == std::vector<std::int16_t>{7, 8});
}

TEST_CASE("demo: wav: write_wav writes the canonical 44-byte header, little-endian") {
  const ScratchDir dir("callsup-wav");
  const std::string path = dir.file("header.wav");
  write_wav(path, some_samples, 16000, 2);
  const std::string expected =
      wave_file(chunk("fmt ", pcm_fmt(2, 16000)) + chunk("data", pcm_bytes(some_samples)));
  CHECK(read_file(path) == expected);
  CHECK(expected.size() == 44 + 2 * some_samples.size());
}

TEST_CASE("demo: wav: read_wav skips LIST, fact and odd-sized chunks and reads WAVE_FORMAT_EXTENSIBLE") {
  const ScratchDir dir("callsup-wav");
  const std::string path = dir.file("chunks.wav");
  const std::vector<std::int16_t> samples{100, -200, 300, -400};
  // An odd-sized LIST (padded), the fmt, a fact chunk, the data, and a chunk after the data.
  write_file(path,
             wave_file(chunk("LIST", "INFOx") + chunk("fmt ", pcm_fmt(1, 22050)) + chunk("fact", u32(4)) +
                       chunk("data", pcm_bytes(samples)) + chunk("id3 ", "abc")));
  Pcm pcm = read_wav(path);
  CHECK(pcm.sample_rate == 22050);
  CHECK(pcm.channels == 1);
  CHECK(pcm.samples == samples);

  // A longer fmt chunk (18 bytes, cbSize 0), as some writers make.
  write_file(path, wave_file(chunk("fmt ", pcm_fmt(1, 8000) + u16(0)) + chunk("data", pcm_bytes(samples))));
  CHECK(read_wav(path).samples == samples);

  write_file(path, wave_file(chunk("fmt ", extensible_fmt(2, 48000, 1)) + chunk("data", pcm_bytes(samples))));
  pcm = read_wav(path);
  CHECK(pcm.sample_rate == 48000);
  CHECK(pcm.channels == 2);
  CHECK(pcm.samples == samples);

  // The RIFF size field is not trusted: a writer that never patched it (0) still reads.
  std::string unpatched = wave_file(chunk("fmt ", pcm_fmt(1, 8000)) + chunk("data", pcm_bytes(samples)));
  unpatched.replace(4, 4, u32(0));
  write_file(path, unpatched);
  CHECK(read_wav(path).samples == samples);
}

TEST_CASE("demo: wav: the bundled voices are several seconds of 8 kHz mono speech at -6 dBFS") {
  for (const char* name : {"customer", "agent", "supervisor"}) {
    INFO(name);
    const Pcm voice = read_wav(std::string(CALLSUP_DEMO_VOICES_DIR) + "/" + name + ".wav");
    CHECK(voice.sample_rate == 8000);
    CHECK(voice.channels == 1);
    CHECK(voice.samples.size() >= 6 * 8000);
    CHECK(voice.samples.size() <= 8 * 8000);
    const auto [low, high] = std::minmax_element(voice.samples.begin(), voice.samples.end());
    const int peak = std::max(-int{*low}, int{*high});
    // Normalised to -6 dBFS (16423) before the final dither: within 5 % of it.
    CHECK(peak >= 15600);
    CHECK(peak <= 17250);
  }
}

TEST_CASE("demo: wav: malformed files are errors naming the path and what is wrong") {
  const ScratchDir dir("callsup-wav");
  const std::string data = chunk("data", pcm_bytes({1, 2}));
  const auto bad = [&](const std::string& name, const std::string& bytes, const std::string& what) {
    const std::string path = dir.file(name);
    write_file(path, bytes);
    check_bad_file(path, what);
  };
  bad("empty.wav", "", "not a WAVE file");
  bad("text.wav", "hello, this is not audio", "not a WAVE file");
  bad("avi.wav", "RIFF" + u32(4) + "AVI ", "not a WAVE file");
  bad("rifx.wav", "RIFX" + u32(4) + "WAVE", "not a WAVE file");
  bad("float.wav", wave_file(chunk("fmt ", fmt_body(3, 1, 8000, 32, 4)) + data),
      "format tag 3, expected 1 (PCM)");
  bad("ext-float.wav", wave_file(chunk("fmt ", extensible_fmt(1, 8000, 3)) + data),
      "extensible format with a sub-format other than PCM");
  bad("ext-short.wav", wave_file(chunk("fmt ", fmt_body(0xFFFE, 1, 8000, 16, 2) + u16(0)) + data),
      "extensible fmt chunk of 18 bytes, expected 40");
  bad("24bit.wav", wave_file(chunk("fmt ", fmt_body(1, 1, 8000, 24, 3)) + data),
      "24-bit samples, expected 16");
  bad("8bit.wav", wave_file(chunk("fmt ", fmt_body(1, 1, 8000, 8, 1)) + data), "8-bit samples, expected 16");
  bad("3ch.wav", wave_file(chunk("fmt ", fmt_body(1, 3, 8000, 16, 6)) + data), "3 channels, expected 1 or 2");
  bad("0ch.wav", wave_file(chunk("fmt ", fmt_body(1, 0, 8000, 16, 0)) + data), "0 channels, expected 1 or 2");
  bad("0hz.wav", wave_file(chunk("fmt ", pcm_fmt(1, 0)) + data), "sample rate 0 Hz");
  bad("align.wav", wave_file(chunk("fmt ", fmt_body(1, 1, 8000, 16, 3)) + data), "block align 3, expected 2");
  bad("short-fmt.wav", wave_file(chunk("fmt ", pcm_fmt(1, 8000).substr(0, 14)) + data),
      "fmt chunk of 14 bytes, expected 16 or more");
  bad("no-fmt.wav", wave_file(chunk("LIST", "INFO")), "no fmt chunk");
  bad("only-header.wav", wave_file(""), "no fmt chunk");
  bad("no-data.wav", wave_file(chunk("fmt ", pcm_fmt(1, 8000))), "no data chunk");
  bad("data-first.wav", wave_file(data + chunk("fmt ", pcm_fmt(1, 8000))), "data chunk before the fmt chunk");
  bad("truncated.wav", wave_file(chunk("fmt ", pcm_fmt(1, 8000)) + "data" + u32(8) + pcm_bytes({1, 2})),
      "data chunk truncated (8 bytes declared, 4 present)");
  bad("odd-data.wav", wave_file(chunk("fmt ", pcm_fmt(1, 8000)) + chunk("data", "abc")),
      "data chunk of 3 bytes is not a whole number of 2-byte frames");
  bad("stereo-frames.wav", wave_file(chunk("fmt ", pcm_fmt(2, 8000)) + chunk("data", pcm_bytes({1, 2, 3}))),
      "data chunk of 6 bytes is not a whole number of 4-byte frames");
  bad("cut-list.wav", wave_file("LIST" + u32(100) + "INFO"), "'LIST' chunk truncated");
  bad("cut-fmt.wav", wave_file("fmt " + u32(16) + "\x01"), "'fmt ' chunk truncated");
  bad("binary-id.wav", wave_file(std::string("\x01\x02zz", 4) + u32(50)), "'??zz' chunk truncated");
}

TEST_CASE("demo: wav: files that cannot be read or written are io errors naming the path") {
  const ScratchDir dir("callsup-wav");
  const std::string missing = dir.file("missing.wav");
  CHECK_CALLSUP_ERROR(read_wav(missing), errc::io_error, missing + ": cannot open for reading");
  const std::string folder = dir.file("folder.wav");
  fs::create_directories(folder);
  CHECK_CALLSUP_ERROR(read_wav(folder), errc::io_error, folder + ": ");
  const std::string nowhere = dir.file("no-such-dir/out.wav");
  CHECK_CALLSUP_ERROR(write_wav(nowhere, some_samples, 8000), errc::io_error,
                      nowhere + ": cannot open for writing");
  CHECK_CALLSUP_ERROR(write_wav(folder, some_samples, 8000), errc::io_error, folder + ": ");
}

TEST_CASE("demo: wav: write_wav refuses bad arguments, naming them, and writes nothing") {
  const ScratchDir dir("callsup-wav");
  const std::string path = dir.file("never.wav");
  CHECK_CALLSUP_ERROR(write_wav(path, some_samples, 0), errc::invalid_argument,
                      "sample rate 0 is not positive");
  CHECK_CALLSUP_ERROR(write_wav(path, some_samples, -8000), errc::invalid_argument,
                      "sample rate -8000 is not positive");
  CHECK_CALLSUP_ERROR(write_wav(path, some_samples, 8000, 3), errc::invalid_argument,
                      "3 channels, expected 1 or 2");
  CHECK_CALLSUP_ERROR(write_wav(path, some_samples, 8000, 0), errc::invalid_argument,
                      "0 channels, expected 1 or 2");
  const std::vector<std::int16_t> three{1, 2, 3};
  CHECK_CALLSUP_ERROR(write_wav(path, three, 8000, 2), errc::invalid_argument,
                      "3 samples are not a whole number of 2-channel frames");
  CHECK_CALLSUP_ERROR(write_wav(path, some_samples, 2'000'000'000, 2), errc::invalid_argument,
                      "sample rate 2000000000 is too high for WAV");
  CHECK_FALSE(fs::exists(path));
}
