// callsup-demo: WAV files: the recordings written and read back, the bundled voices, and
// files that are not 16-bit PCM WAVs.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "wav.hpp"

using namespace callsup;
using namespace callsup::demo;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("callsup-wav-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string error_of(const std::string& path) {
  try {
    read_wav(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("demo: wav: written samples read back exactly, mono and stereo") {
  const std::string path = temp_path("round.wav");
  const std::vector<std::int16_t> mono{0, 1, -1, 32767, -32768, 1234};
  write_wav(path, mono, 8000);
  Pcm back = read_wav(path);
  CHECK(back.sample_rate == 8000);
  CHECK(back.channels == 1);
  CHECK(back.samples == mono);
  CHECK(std::filesystem::file_size(path) == 44 + 2 * mono.size());
  write_wav(path, mono, 16000, 2);
  back = read_wav(path);
  CHECK(back.sample_rate == 16000);
  CHECK(back.channels == 2);
  CHECK(back.samples == mono);
  std::filesystem::remove(path);
}

TEST_CASE("demo: wav: the bundled voices are several seconds of 8 kHz mono speech") {
  for (const char* name : {"customer", "agent", "supervisor"}) {
    const Pcm voice = read_wav(std::string(CALLSUP_DEMO_VOICES_DIR) + "/" + name + ".wav");
    INFO(name);
    CHECK(voice.sample_rate == 8000);
    CHECK(voice.channels == 1);
    CHECK(voice.samples.size() >= 5 * 8000);
    CHECK(voice.samples.size() <= 10 * 8000);
  }
}

TEST_CASE("demo: wav: bad files and arguments are errors naming the path and the problem") {
  const std::string path = temp_path("bad.wav");
  CHECK(error_of(temp_path("missing.wav")).find("missing.wav") != std::string::npos);
  write_bytes(path, "RIFX0000WAVE");
  CHECK(error_of(path).find(path) != std::string::npos);
  // A canonical header announcing 24-bit samples.
  std::vector<std::int16_t> one{1, 2};
  write_wav(path, one, 8000);
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string wide = bytes;
  wide[34] = 24;  // bits per sample
  write_bytes(path, wide);
  CHECK(error_of(path).find("24-bit") != std::string::npos);
  write_bytes(path, bytes.substr(0, bytes.size() - 2));  // data chunk cut short
  CHECK(error_of(path).find(path) != std::string::npos);
  CHECK_THROWS_WITH_AS(write_wav(path, one, 0), doctest::Contains("0"), Error);
  CHECK_THROWS_AS(write_wav(path, one, 8000, 3), Error);
  CHECK_THROWS_WITH_AS(write_wav("/nonexistent-dir/x.wav", one, 8000),
                       doctest::Contains("/nonexistent-dir/x.wav"), Error);
  std::filesystem::remove(path);
}
