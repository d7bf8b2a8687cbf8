// callsup-demo: finding a voice in a recording. The bundled voices are mixed as the engine
// mixes them (each G.711-coded by its phone and decoded by the engine, summed at unity gain
// with saturation, coded again to the listener) at random loop offsets, with offset jumps,
// lost frames, a late start and short segments; then what is not a voice.
//
// Each test case prints the worst score of a voice that was there and the best of one that
// was not, and checks them against bounds; hearing.hpp states the margins measured.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/media/g711.hpp"
#include "hearing.hpp"
#include "support/checks.hpp"
#include "wav.hpp"

using namespace callsup;
using namespace callsup::demo;

namespace {

constexpr std::size_t sample_rate = 8000;
constexpr std::size_t frame = sample_rate / 50;  // 20 ms
const std::array<const char*, 3> voice_names{"customer", "agent", "supervisor"};

const std::vector<std::int16_t>& voice(std::size_t index) {
  static const std::array<std::vector<std::int16_t>, 3> voices = [] {
    std::array<std::vector<std::int16_t>, 3> loaded;
    for (std::size_t i = 0; i < loaded.size(); ++i)
      loaded[i] = read_wav(std::string(CALLSUP_DEMO_VOICES_DIR) + "/" + voice_names[i] + ".wav").samples;
    return loaded;
  }();
  return voices.at(index);
}

/// One voice in a recording.
struct Source {
  std::size_t voice = 0;
  std::size_t offset = 0;        ///< loop position at the recording's first sample
  std::size_t jump_at = 0;       ///< from this sample on, the offset moves by `jump` (0: never)
  long jump = 0;                 ///< samples
  std::size_t silent_until = 0;  ///< the phone sends silence before this sample
};

/// What `s` sends at recording sample t.
std::int16_t sample_of(const Source& s, std::size_t t) {
  if (t < s.silent_until) return 0;
  const std::vector<std::int16_t>& loop = voice(s.voice);
  const long size = static_cast<long>(loop.size());
  long at = static_cast<long>(s.offset + t) + (s.jump_at != 0 && t >= s.jump_at ? s.jump : 0);
  at = (at % size + size) % size;
  return loop[static_cast<std::size_t>(at)];
}

std::int16_t through_ulaw(int sample, bool g711) {
  const auto clamped = static_cast<std::int16_t>(std::clamp(sample, -32768, 32767));
  return g711 ? ulaw_to_linear(linear_to_ulaw(clamped)) : clamped;
}

/// What the listener's phone records from `sources` (through G.711 both ways unless `g711`
/// is false).
std::vector<std::int16_t> record(std::size_t length, const std::vector<Source>& sources, bool g711 = true) {
  std::vector<std::int16_t> out(length);
  for (std::size_t t = 0; t < length; ++t) {
    int sum = 0;
    for (const Source& s : sources) sum += through_ulaw(sample_of(s, t), g711);
    out[t] = through_ulaw(sum, g711);
  }
  return out;
}

/// Seconds of [from, to) in which `s` speaks: its 20 ms frames holding at least 5 % of its
/// loop's mean power.
double speech_seconds(const Source& s, std::size_t from, std::size_t to) {
  double loop_power = 0;
  for (const std::int16_t v : voice(s.voice)) loop_power += static_cast<double>(v) * v;
  loop_power /= static_cast<double>(voice(s.voice).size());
  std::size_t speaking = 0;
  for (std::size_t start = from; start + frame <= to; start += frame) {
    double power = 0;
    for (std::size_t t = start; t < start + frame; ++t) {
      const double v = sample_of(s, t);
      power += v * v;
    }
    if (power / frame >= 0.05 * loop_power) ++speaking;
  }
  return static_cast<double>(speaking * frame) / sample_rate;
}

/// `v` at a random loop offset where it speaks at least 0.5 s in the first `length` samples
/// (what hearing.hpp asks for a decision; 1.5 s of any bundled voice has 0.3 s or more).
Source speaking_source(std::size_t v, std::size_t length, std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> offset(0, voice(v).size() - 1);
  for (;;) {
    const Source s{v, offset(rng)};
    if (speech_seconds(s, 0, length) >= 0.5) return s;
  }
}

/// The worst score of a source that was there and the best of one that was not.
struct Margins {
  double worst_present = 1;
  double best_absent = 0;
  int present = 0;
  void add(bool there, double score) {
    if (there) {
      worst_present = std::min(worst_present, score);
      ++present;
    } else {
      best_absent = std::max(best_absent, score);
    }
  }
  /// Prints the margins and checks them against the bounds given.
  void expect(const std::string& what, double min_present, double max_absent) const {
    if (present > 0) {
      MESSAGE(what << ": worst present score " << worst_present << ", best absent score " << best_absent);
      CHECK(worst_present >= min_present);
    } else {
      MESSAGE(what << ": best score " << best_absent);
    }
    CHECK(best_absent <= max_absent);
  }
};

/// Every voice against `recording`: those in `present` heard, the others not.
void check_hearing(const std::vector<std::int16_t>& recording, const std::vector<std::size_t>& present,
                   const std::string& what, Margins& margins) {
  for (std::size_t v = 0; v < voice_names.size(); ++v) {
    const bool there = std::find(present.begin(), present.end(), v) != present.end();
    const SourceHearing found = find_source(recording, voice(v));
    INFO(what << ": " << voice_names[v] << (there ? " is there" : " is not there") << ", score "
              << found.score);
    CHECK(found.heard == there);
    CHECK(found.heard == (found.score >= heard_threshold));
    margins.add(there, found.score);
  }
}

/// The two-voice mixes: {0, 1}, {0, 2}, {1, 2}.
const std::array<std::array<std::size_t, 2>, 3> pairs{{{0, 1}, {0, 2}, {1, 2}}};

/// Voices a and b, both speaking, at random offsets.
std::vector<Source> speaking_pair(std::size_t a, std::size_t b, std::size_t length, std::mt19937& rng) {
  return {speaking_source(a, length, rng), speaking_source(b, length, rng)};
}

}  // namespace

TEST_CASE("demo: hearing: each voice alone is heard, and the two others are not") {
  std::mt19937 rng(1);
  Margins margins;
  for (std::size_t v = 0; v < 3; ++v)
    for (int trial = 0; trial < 2; ++trial)
      check_hearing(record(4 * sample_rate, {speaking_source(v, 4 * sample_rate, rng)}), {v}, "alone",
                    margins);
  margins.expect("alone", 0.9, 0.15);
}

TEST_CASE("demo: hearing: in a mix of two, both are heard and the third is not") {
  std::mt19937 rng(2);
  Margins margins;
  for (const auto& [a, b] : pairs)
    for (int trial = 0; trial < 2; ++trial) {
      check_hearing(record(4 * sample_rate, speaking_pair(a, b, 4 * sample_rate, rng)), {a, b}, "pair",
                    margins);
    }
  margins.expect("pairs", 0.75, 0.15);
}

TEST_CASE("demo: hearing: G.711 both ways changes the scores little") {
  std::mt19937 rng(3);
  for (const auto& [a, b] : pairs) {
    const std::vector<Source> sources = speaking_pair(a, b, 4 * sample_rate, rng);
    const auto coded = record(4 * sample_rate, sources);
    const auto linear = record(4 * sample_rate, sources, false);
    for (std::size_t v = 0; v < 3; ++v) {
      const SourceHearing with = find_source(coded, voice(v));
      const SourceHearing without = find_source(linear, voice(v));
      INFO(voice_names[v] << ": " << with.score << " through G.711, " << without.score << " linear");
      CHECK(with.heard == without.heard);
      CHECK(std::abs(with.score - without.score) <= 0.1);
    }
  }
}

TEST_CASE("demo: hearing: random offsets and lengths, every voice alone and every pair (fixed seed)") {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<std::size_t> length_of(2 * sample_rate, 6 * sample_rate);
  Margins margins;
  for (int round = 0; round < 2; ++round) {
    for (std::size_t v = 0; v < 3; ++v) {
      const std::size_t length = length_of(rng);
      check_hearing(record(length, {speaking_source(v, length, rng)}), {v}, "random alone", margins);
    }
    for (const auto& [a, b] : pairs) {
      const std::size_t length = length_of(rng);
      const auto recording = record(length, speaking_pair(a, b, length, rng));
      check_hearing(recording, {a, b}, "random pair", margins);
    }
  }
  // The margins either side of the threshold, as hearing.hpp states them.
  margins.expect("random offsets, 2-6 s", heard_threshold + 0.45, heard_threshold - 0.1);
}

TEST_CASE("demo: hearing: a source whose offset jumps by 60 ms mid-segment is still heard") {
  std::mt19937 rng(4);
  Margins margins;
  for (std::size_t v = 0; v < 3; ++v) {
    Source alone = speaking_source(v, 4 * sample_rate, rng);
    alone.jump_at = 2 * sample_rate;
    alone.jump = v == 1 ? -480 : 480;
    check_hearing(record(4 * sample_rate, {alone}), {v}, "alone, jump", margins);
  }
  CHECK(margins.worst_present >= 0.9);  // alone, only the frames at the jump are lost
  for (const long jump : {480L, -480L}) {
    for (const auto& [a, b] : pairs) {
      Source jumping = speaking_source(a, 4 * sample_rate, rng);
      jumping.jump_at = 2 * sample_rate + 37;  // not on a frame boundary
      jumping.jump = jump;
      check_hearing(record(4 * sample_rate, {jumping, speaking_source(b, 4 * sample_rate, rng)}), {a, b},
                    "pair, jump", margins);
    }
  }
  margins.expect("60 ms jump", 0.6, 0.15);
}

TEST_CASE("demo: hearing: lost packets (20 ms of silence) do not hide a voice") {
  std::mt19937 rng(5);
  Margins margins;
  for (const auto& [a, b] : pairs) {
    auto recording = record(4 * sample_rate, speaking_pair(a, b, 4 * sample_rate, rng));
    for (std::size_t at = 1000; at + frame <= recording.size(); at += sample_rate / 2)  // 8 frames lost
      std::fill_n(recording.begin() + static_cast<long>(at), frame, 0);
    check_hearing(recording, {a, b}, "dropouts", margins);
  }
  margins.expect("dropouts", 0.6, 0.15);
}

TEST_CASE("demo: hearing: a source silent for the first half is heard, with about half its score") {
  // It speaks in both halves (at least 1 s each) but sends silence during the first: the score
  // says that only part of its speech was there.
  std::mt19937 rng(6);
  std::uniform_int_distribution<std::size_t> offset(0, 60000);
  const std::size_t length = 4 * sample_rate;
  const auto late_source = [&](std::size_t v) {
    for (;;) {
      Source s{v, offset(rng) % voice(v).size()};
      const double first = speech_seconds(s, 0, length / 2);
      const double second = speech_seconds(s, length / 2, length);
      s.silent_until = length / 2;
      if (first >= 1.0 && second >= first) return s;
    }
  };
  Margins margins;
  for (std::size_t v = 0; v < 3; ++v)
    check_hearing(record(length, {late_source(v)}), {v}, "late, alone", margins);
  for (const auto& [a, b] : pairs) {
    check_hearing(record(length, {late_source(a), speaking_source(b, length, rng)}), {a, b}, "late, pair",
                  margins);
    check_hearing(record(length, {speaking_source(a, length, rng), late_source(b)}), {a, b}, "pair, late",
                  margins);
  }
  margins.expect("silent first half", heard_threshold + 0.1, 0.15);
  // Never "all of it": the first half's speech was missing.
  for (std::size_t v = 0; v < 3; ++v)
    CHECK(find_source(record(length, {late_source(v)}), voice(v)).score <= 0.75);
}

TEST_CASE("demo: hearing: silence, white noise, a 1 kHz tone, an empty or too short recording hear nobody") {
  Margins margins;
  check_hearing(std::vector<std::int16_t>(3 * sample_rate, 0), {}, "silence", margins);
  check_hearing({}, {}, "empty", margins);
  std::mt19937 rng(7);
  for (const double level : {300.0, 3000.0, 12000.0}) {
    std::normal_distribution<double> noise(0, level);
    std::vector<std::int16_t> hiss(3 * sample_rate);
    for (std::int16_t& s : hiss) s = through_ulaw(static_cast<int>(std::lround(noise(rng))), true);
    check_hearing(hiss, {}, "white noise", margins);
  }
  std::vector<std::int16_t> tone(3 * sample_rate);
  for (std::size_t t = 0; t < tone.size(); ++t)
    tone[t] = through_ulaw(
        static_cast<int>(
            std::lround(8000 * std::sin(2 * std::numbers::pi * 1000 * static_cast<double>(t) / sample_rate))),
        true);
  check_hearing(tone, {}, "1 kHz tone", margins);
  margins.expect("not a voice", 1, 0.05);

  // Less than one 0.5 s block of a voice, even alone: too little to tell, so nobody.
  const auto short_one = record(sample_rate / 2 - 1, {Source{0, 16000}});
  const SourceHearing found = find_source(short_one, voice(0));
  CHECK(found.score == 0);
  CHECK_FALSE(found.heard);
  CHECK(find_source(std::vector<std::int16_t>(3 * sample_rate, 0), voice(1)).score == 0);
}

TEST_CASE("demo: hearing: 1.5 s segments still decide right") {
  std::mt19937 rng(8);
  const std::size_t length = 3 * sample_rate / 2;
  Margins margins;
  for (int trial = 0; trial < 2; ++trial) {
    for (std::size_t v = 0; v < 3; ++v)
      check_hearing(record(length, {speaking_source(v, length, rng)}), {v}, "1.5 s alone", margins);
    for (const auto& [a, b] : pairs)
      check_hearing(record(length, speaking_pair(a, b, length, rng)), {a, b}, "1.5 s pair", margins);
  }
  margins.expect("1.5 s segments", 0.6, 0.2);
}

TEST_CASE("demo: hearing: delay_ms and speaking_s say where and how long the source was found") {
  const Source customer{0, 12345};
  const Source supervisor{2, 40000};
  const auto recording = record(4 * sample_rate, {customer, supervisor});
  const SourceHearing c = find_source(recording, voice(0));
  const SourceHearing s = find_source(recording, voice(2));
  CHECK(c.delay_ms == doctest::Approx(12345 * 1000.0 / sample_rate));
  CHECK(s.delay_ms == doctest::Approx(40000 * 1000.0 / sample_rate));
  for (const SourceHearing& found : {c, s}) {
    CHECK(found.speaking_s >= 1.0);
    CHECK(found.speaking_s <= 4.0);
  }
  // An offset near the loop's end wraps: the recording starts with its last samples.
  const std::size_t near_end = voice(1).size() - 800;
  CHECK(find_source(record(4 * sample_rate, {Source{1, near_end}}), voice(1)).delay_ms ==
        doctest::Approx(static_cast<double>(near_end) * 1000.0 / sample_rate));
}

TEST_CASE("demo: hearing: a 16 kHz recording of 16 kHz voices") {
  // The bundled voices at twice the sample_rate (linear interpolation), mixed as at 8 kHz.
  const auto upsampled = [](const std::vector<std::int16_t>& pcm) {
    std::vector<std::int16_t> out(2 * pcm.size());
    for (std::size_t i = 0; i < pcm.size(); ++i) {
      out[2 * i] = pcm[i];
      out[2 * i + 1] = static_cast<std::int16_t>((pcm[i] + pcm[(i + 1) % pcm.size()]) / 2);
    }
    return out;
  };
  std::array<std::vector<std::int16_t>, 3> wide;
  for (std::size_t v = 0; v < 3; ++v) wide[v] = upsampled(voice(v));
  const std::size_t length = 4 * 2 * sample_rate;
  std::vector<std::int16_t> recording(length);
  for (std::size_t t = 0; t < length; ++t)
    recording[t] =
        through_ulaw(wide[0][(t + 30000) % wide[0].size()] + wide[2][(t + 90000) % wide[2].size()], true);
  for (std::size_t v = 0; v < 3; ++v) {
    const SourceHearing found = find_source(recording, wide[v], 16000);
    INFO(voice_names[v] << " score " << found.score);
    CHECK(found.heard == (v != 1));
  }
  CHECK(find_source(recording, wide[0], 16000).delay_ms == doctest::Approx(30000 / 16.0));
}

TEST_CASE("demo: hearing: bad arguments are errors naming them; a silent or tiny loop is harmless") {
  const std::vector<std::int16_t> some(sample_rate, 100);
  CHECK_CALLSUP_ERROR(find_source(some, {}), errc::invalid_argument, "find_source: the source loop is empty");
  CHECK_CALLSUP_ERROR(find_source(some, voice(0), 0), errc::invalid_argument,
                      "sample rate 0 is not positive");
  CHECK_CALLSUP_ERROR(find_source(some, voice(0), -8000), errc::invalid_argument,
                      "sample rate -8000 is not positive");

  const auto recording = record(3 * sample_rate, {Source{0, 0}});
  const SourceHearing silent = find_source(recording, std::vector<std::int16_t>(sample_rate, 0));
  CHECK(silent.score == 0);
  CHECK_FALSE(silent.heard);
  for (const std::size_t size : {1, 2, 3, 50}) {
    std::vector<std::int16_t> tiny(voice(0).begin() + 20000,
                                   voice(0).begin() + 20000 + static_cast<long>(size));
    const SourceHearing found = find_source(recording, tiny);
    CHECK(found.score >= 0);
    CHECK(found.score <= 1);
  }
}
