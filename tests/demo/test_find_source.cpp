// callsup-demo: finding a voice in a recording: the bundled voices mixed as the engine would
// (unity gain, G.711), at random delays, with delay jumps and dropouts; and what is not a voice.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/media/g711.hpp"
#include "hearing.hpp"
#include "wav.hpp"

using namespace callsup;
using namespace callsup::demo;

namespace {

const std::array<std::string, 3> names{"customer", "agent", "supervisor"};

const std::vector<std::int16_t>& voice(std::size_t i) {
  static const std::array<std::vector<std::int16_t>, 3> voices{
      read_wav(std::string(CALLSUP_DEMO_VOICES_DIR) + "/customer.wav").samples,
      read_wav(std::string(CALLSUP_DEMO_VOICES_DIR) + "/agent.wav").samples,
      read_wav(std::string(CALLSUP_DEMO_VOICES_DIR) + "/supervisor.wav").samples};
  return voices.at(i);
}

struct Source {
  std::size_t voice;
  std::size_t offset;       ///< loop position at the recording's sample 0
  std::size_t jump_at = 0;  ///< from this sample on, the offset moves by `jump` (0: never)
  long jump = 0;
};

/// What a phone would record: the sources summed at unity gain, saturated, through G.711.
std::vector<std::int16_t> mix(std::size_t length, const std::vector<Source>& sources) {
  std::vector<std::int16_t> out(length);
  for (std::size_t t = 0; t < length; ++t) {
    int sum = 0;
    for (const Source& s : sources) {
      const auto& loop = voice(s.voice);
      const long size = static_cast<long>(loop.size());
      long at = static_cast<long>(t + s.offset) + (s.jump_at != 0 && t >= s.jump_at ? s.jump : 0);
      at = ((at % size) + size) % size;
      sum += loop[static_cast<std::size_t>(at)];
    }
    out[t] = ulaw_to_linear(linear_to_ulaw(static_cast<std::int16_t>(std::clamp(sum, -32768, 32767))));
  }
  return out;
}

/// Checks every voice against `recording`: those in `present` heard (score >= min_present),
/// the others not (score <= max_absent).
void check(const std::vector<std::int16_t>& recording, const std::vector<std::size_t>& present,
           const std::string& what, double min_present = 0.8, double max_absent = 0.3) {
  for (std::size_t v = 0; v < names.size(); ++v) {
    const SourceHearing found = find_source(recording, voice(v));
    const bool expected = std::find(present.begin(), present.end(), v) != present.end();
    INFO(what << ": " << names[v] << " score " << found.score);
    CHECK(found.heard == expected);
    if (expected)
      CHECK(found.score >= min_present);
    else
      CHECK(found.score <= max_absent);
  }
}

}  // namespace

TEST_CASE("demo: find_source hears each voice alone and in pairs, and not the others") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> offset(0, 60000), length(24000, 40000);
  for (int trial = 0; trial < 3; ++trial)
    for (std::size_t a = 0; a < 3; ++a) {
      check(mix(length(rng), {{a, offset(rng)}}), {a}, "alone");
      for (std::size_t b = a + 1; b < 3; ++b)
        check(mix(length(rng), {{a, offset(rng)}, {b, offset(rng)}}), {a, b}, "pair");
    }
}

TEST_CASE("demo: find_source copes with a delay jump, dropouts and a 2 s segment") {
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::size_t> offset(0, 60000);
  // The jitter buffer adapts: one voice's delay moves by 60 ms halfway.
  check(mix(32000, {{0, offset(rng), 16000, 480}, {2, offset(rng)}}), {0, 2}, "jump");
  // Lost packets: 20 ms of silence, six times.
  std::vector<std::int16_t> lossy = mix(32000, {{1, offset(rng)}, {2, offset(rng)}});
  for (std::size_t at = 2000; at < 32000; at += 5000)
    std::fill_n(lossy.begin() + static_cast<long>(at), 160, 0);
  check(lossy, {1, 2}, "dropouts");
  check(mix(16000, {{0, 4000}, {1, 30000}}), {0, 1}, "2 s", 0.5, 0.49);
}

TEST_CASE("demo: find_source hears nobody in silence, noise, a tone, or too little audio") {
  check(std::vector<std::int16_t>(24000, 0), {}, "silence");
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 3000);
  std::vector<std::int16_t> hiss(24000), tone(24000);
  for (std::size_t i = 0; i < hiss.size(); ++i) {
    hiss[i] = static_cast<std::int16_t>(std::clamp(noise(rng), -32768.0, 32767.0));
    tone[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 1000 * static_cast<double>(i) / 8000));
  }
  check(hiss, {}, "white noise");
  check(tone, {}, "1 kHz tone");
  check({}, {}, "empty");
  const auto short_one = mix(3000, {{0, 0}});  // less than one 0.5 s block
  CHECK(find_source(short_one, voice(0)).score == 0);
}

TEST_CASE("demo: find_source refuses an empty source and a bad rate, naming them") {
  const std::vector<std::int16_t> some(8000, 1);
  CHECK_THROWS_WITH_AS(find_source(some, {}), doctest::Contains("source loop is empty"), Error);
  CHECK_THROWS_WITH_AS(find_source(some, some, 0), doctest::Contains("sample rate 0"), Error);
}
