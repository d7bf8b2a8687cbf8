// Resampler: frequency and sample counts are preserved across rates, measured on the output
// (Goertzel filter, zero crossings), never compared to stored output.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>
#include <vector>

#include "callsup/media/resampler.hpp"
#include "support/checks.hpp"

using callsup::errc;
using callsup::Resampler;

namespace {

/// A streaming sine source, so that frames join without a phase jump.
class Sine {
 public:
  Sine(double frequency, int rate, double amplitude = 10000.0)
      : step_(2.0 * std::numbers::pi * frequency / rate), amplitude_(amplitude) {}
  std::int16_t next() { return static_cast<std::int16_t>(std::lround(amplitude_ * std::sin(step_ * n_++))); }

 private:
  double step_;
  double amplitude_;
  long n_ = 0;
};

/// Goertzel power of `frequency` in `x` (one channel), normalised by length^2 so that a sine
/// of amplitude A gives about A^2 / 4.
double goertzel(std::span<const std::int16_t> x, double frequency, int rate) {
  const double coefficient = 2.0 * std::cos(2.0 * std::numbers::pi * frequency / rate);
  double s1 = 0, s2 = 0;
  for (std::int16_t v : x) {
    const double s0 = v + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return power / (static_cast<double>(x.size()) * static_cast<double>(x.size()));
}

/// Frequency estimated from the rising zero crossings of `x`.
double zero_crossing_frequency(std::span<const std::int16_t> x, int rate) {
  std::vector<double> crossings;  // fractional sample positions of rising crossings
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      crossings.push_back(static_cast<double>(i - 1) + static_cast<double>(-x[i - 1]) / (x[i] - x[i - 1]));
    }
  }
  REQUIRE(crossings.size() >= 2);
  const double periods = static_cast<double>(crossings.size() - 1);
  return periods * rate / (crossings.back() - crossings.front());
}

/// Runs `frames` frames of `per_frame` samples through `resampler`; returns all output.
std::vector<std::int16_t> run(Resampler& resampler, Sine& source, std::size_t frames, std::size_t per_frame,
                              std::vector<std::size_t>* counts = nullptr) {
  std::vector<std::int16_t> in(per_frame);
  std::vector<std::int16_t> out(resampler.max_output(per_frame));
  std::vector<std::int16_t> all;
  for (std::size_t f = 0; f < frames; ++f) {
    for (auto& s : in) s = source.next();
    const std::size_t n = resampler.process(in, out);
    if (counts != nullptr) counts->push_back(n);
    all.insert(all.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return all;
}

std::vector<std::int16_t> channel(std::span<const std::int16_t> interleaved, std::size_t which) {
  std::vector<std::int16_t> out;
  for (std::size_t i = which; i < interleaved.size(); i += 2) out.push_back(interleaved[i]);
  return out;
}

double rms(std::span<const std::int16_t> x) {
  double sum = 0;
  for (std::int16_t v : x) sum += static_cast<double>(v) * v;
  return std::sqrt(sum / static_cast<double>(x.size()));
}

}  // namespace

TEST_CASE("media: resampling a 1 kHz tone up from 8 kHz keeps its frequency and the frame sizes") {
  for (const int rate : {16000, 48000}) {
    CAPTURE(rate);
    Resampler up(8000, rate);
    CHECK(up.input_rate() == 8000);
    CHECK(up.output_rate() == rate);
    CHECK(up.channels() == 1);
    Sine tone(1000.0, 8000);
    std::vector<std::size_t> counts;
    const auto out = run(up, tone, 50, 160, &counts);
    const std::size_t per_frame = static_cast<std::size_t>(160 * rate / 8000);
    // An integer ratio gives exactly the ratio's samples for every 20 ms frame.
    CHECK(std::all_of(counts.begin(), counts.end(), [&](std::size_t n) { return n == per_frame; }));
    CHECK(out.size() == 50 * per_frame);

    const std::span<const std::int16_t> steady(out.begin() + static_cast<std::ptrdiff_t>(per_frame),
                                               out.end());
    CHECK(zero_crossing_frequency(steady, rate) == doctest::Approx(1000.0).epsilon(0.002));
    const double at_1k = goertzel(steady, 1000.0, rate);
    CHECK(at_1k == doctest::Approx(10000.0 * 10000.0 / 4).epsilon(0.1));  // amplitude kept within 5%
    for (double other : {500.0, 2000.0, 3000.0, 5000.0, 7000.0}) {
      if (other >= rate / 2.0) continue;
      CAPTURE(other);
      CHECK(goertzel(steady, other, rate) < at_1k * 1e-6);  // no images of the 8 kHz input (-60 dB)
    }
  }
}

TEST_CASE("media: resampling up and back down to 8 kHz keeps the tone") {
  for (const int rate : {16000, 48000}) {
    CAPTURE(rate);
    Resampler up(8000, rate);
    Resampler down(rate, 8000);
    Sine tone(1000.0, 8000);
    std::vector<std::int16_t> in(160), wide(up.max_output(160)), narrow(down.max_output(wide.size()));
    std::vector<std::int16_t> all;
    for (int frame = 0; frame < 50; ++frame) {
      for (auto& s : in) s = tone.next();
      const std::size_t w = up.process(in, wide);
      const std::size_t n = down.process(std::span(wide).first(w), narrow);
      CHECK(n == 160);
      all.insert(all.end(), narrow.begin(), narrow.begin() + static_cast<std::ptrdiff_t>(n));
    }
    const std::span<const std::int16_t> steady(all.begin() + 320, all.end());
    CHECK(zero_crossing_frequency(steady, 8000) == doctest::Approx(1000.0).epsilon(0.002));
    CHECK(rms(steady) == doctest::Approx(10000.0 / std::numbers::sqrt2).epsilon(0.1));
  }
}

TEST_CASE("media: resampling down filters out what the lower rate cannot carry") {
  // 6 kHz cannot exist at 8 kHz: a resampler without an anti-alias filter would fold it to 2 kHz.
  Resampler down(48000, 8000);
  Sine tone(6000.0, 48000);
  const auto out = run(down, tone, 50, 960);
  const std::span<const std::int16_t> steady(out.begin() + 320, out.end());
  CHECK(goertzel(steady, 2000.0, 8000) < 10000.0 * 10000.0 / 4 * 1e-3);
  CHECK(rms(steady) < 10000.0 * 0.05);
}

TEST_CASE("media: resampling to a fractional ratio keeps the stream's sample count") {
  Resampler up(8000, 44100);
  Sine tone(1000.0, 8000);
  std::vector<std::size_t> counts;
  const auto out = run(up, tone, 200, 160, &counts);
  // 160 samples at 8 kHz are 882 at 44.1 kHz; a frame may carry one more or less, the stream
  // not.
  CHECK(std::all_of(counts.begin(), counts.end(), [](std::size_t n) { return n >= 881 && n <= 883; }));
  const auto expected = static_cast<long>(200 * 882);
  CHECK(std::abs(static_cast<long>(out.size()) - expected) <= 1);
  CHECK(zero_crossing_frequency(std::span(out).subspan(882), 44100) ==
        doctest::Approx(1000.0).epsilon(0.002));
}

TEST_CASE("media: stereo resampling keeps each channel's tone apart") {
  Resampler up(8000, 16000, 2);
  CHECK(up.channels() == 2);
  Sine left(1000.0, 8000), right(1500.0, 8000);
  std::vector<std::int16_t> in(320), out(up.max_output(320)), all;
  for (int frame = 0; frame < 50; ++frame) {
    for (std::size_t i = 0; i < in.size(); i += 2) {
      in[i] = left.next();
      in[i + 1] = right.next();
    }
    const std::size_t n = up.process(in, out);
    CHECK(n == 640);
    all.insert(all.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
  const auto l = channel(all, 0), r = channel(all, 1);
  CHECK(zero_crossing_frequency(std::span(l).subspan(320), 16000) == doctest::Approx(1000.0).epsilon(0.002));
  CHECK(zero_crossing_frequency(std::span(r).subspan(320), 16000) == doctest::Approx(1500.0).epsilon(0.002));
}

TEST_CASE("media: equal rates copy the samples unchanged") {
  Resampler same(16000, 16000);
  std::vector<std::int16_t> in{1, -2, 3, INT16_MIN, INT16_MAX};
  std::vector<std::int16_t> out(5);
  CHECK(same.process(in, out) == 5);
  CHECK(out == in);
}

TEST_CASE("media: reset makes a resampler behave like a new one") {
  Resampler used(8000, 48000);
  Sine noise_source(700.0, 8000);
  (void)run(used, noise_source, 5, 160);
  used.reset();
  Resampler fresh(8000, 48000);
  Sine a(1000.0, 8000), b(1000.0, 8000);
  CHECK(run(used, a, 3, 160) == run(fresh, b, 3, 160));
}

TEST_CASE("media: a resampler can be moved") {
  Resampler original(8000, 16000);
  Resampler moved(std::move(original));
  CHECK(moved.output_rate() == 16000);
  std::vector<std::int16_t> in(160, 100), out(moved.max_output(160));
  CHECK(moved.process(in, out) == 320);
  Resampler assigned(16000, 8000);
  assigned = std::move(moved);
  CHECK(assigned.process(in, out) == 320);
  CHECK_CALLSUP_ERROR(moved.process(in, out), errc::invalid_argument,
                      "moved");  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("media: Resampler rejects bad configuration and misuse") {
  CHECK_CALLSUP_ERROR(Resampler(0, 8000), errc::invalid_argument, "input rate 0");
  CHECK_CALLSUP_ERROR(Resampler(8000, -16000), errc::invalid_argument, "output rate -16000");
  CHECK_CALLSUP_ERROR(Resampler(7999, 8000), errc::invalid_argument, "7999");
  CHECK_CALLSUP_ERROR(Resampler(8000, 384000), errc::invalid_argument, "384000");
  CHECK_CALLSUP_ERROR(Resampler(8000, 16000, 3), errc::invalid_argument, "channels 3");
  CHECK_CALLSUP_ERROR(Resampler(8000, 16000, 0), errc::invalid_argument, "channels 0");
  CHECK_CALLSUP_ERROR(Resampler(8000, 16000, 1, 11), errc::invalid_argument, "quality 11");
  CHECK_CALLSUP_ERROR(Resampler(8000, 16000, 1, -1), errc::invalid_argument, "quality -1");

  Resampler stereo(8000, 16000, 2);
  std::vector<std::int16_t> odd(161), out(1000);
  CHECK_CALLSUP_ERROR(stereo.process(odd, out), errc::invalid_argument, "161");

  Resampler up(8000, 16000);
  std::vector<std::int16_t> in(160), small(100);
  CHECK_CALLSUP_ERROR(up.process(in, small), errc::invalid_argument, "100");
  Resampler same(8000, 8000);
  CHECK_CALLSUP_ERROR(same.process(in, small), errc::invalid_argument, "100");
}
