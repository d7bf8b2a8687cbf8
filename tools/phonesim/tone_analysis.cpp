// callsup: Goertzel tone detection for the phone simulator's audio checks.
#include "tone_analysis.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "callsup/error.hpp"

namespace callsup::sim {
namespace {

void check(double hz, int sample_rate) {
  if (sample_rate <= 0)
    throw Error(errc::invalid_argument,
                "tone analysis: sample rate " + std::to_string(sample_rate) + " is not positive");
  if (!(hz >= 0 && hz <= sample_rate / 2.0))
    throw Error(errc::invalid_argument, "tone analysis: frequency " + std::to_string(hz) +
                                            " Hz is not in [0, " + std::to_string(sample_rate / 2) + "] Hz");
}

constexpr double full_scale = 32768.0;

}  // namespace

double tone_power(std::span<const std::int16_t> pcm, double hz, int sample_rate) {
  check(hz, sample_rate);
  const std::size_t n = pcm.size();
  if (n < 2) return 0;
  // Goertzel at an arbitrary (not necessarily bin-centred) frequency: the recurrence gives
  // the DFT of the windowed block at `hz` from its last two states.
  const double omega = 2 * std::numbers::pi * hz / sample_rate;
  const double coeff = 2 * std::cos(omega);
  const double window_step = 2 * std::numbers::pi / static_cast<double>(n - 1);
  double s1 = 0, s2 = 0, window_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = 0.5 - 0.5 * std::cos(window_step * static_cast<double>(i));
    window_sum += w;
    const double s0 = w * pcm[i] / full_scale + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double re = s1 - s2 * std::cos(omega);
  const double im = s2 * std::sin(omega);
  // |X| of a sine of peak A under window w is A * sum(w) / 2; scale so that it reads A^2.
  const double amplitude = 2 * std::sqrt(re * re + im * im) / window_sum;
  return amplitude * amplitude;
}

double tone_fraction(std::span<const std::int16_t> pcm, double hz, int sample_rate) {
  check(hz, sample_rate);
  if (pcm.size() < 2) return 0;
  double energy = 0;
  for (const std::int16_t sample : pcm) {
    const double x = sample / full_scale;
    energy += x * x;
  }
  const double mean_power = energy / static_cast<double>(pcm.size());
  if (mean_power < 1e-7) return 0;  // -70 dBFS: silence (or G.711's idle noise) has no tone
  // A sine of peak A has mean power A^2 / 2, and tone_power reads A^2.
  return tone_power(pcm, hz, sample_rate) / (2 * mean_power);
}

bool tone_present(std::span<const std::int16_t> pcm, double hz, int sample_rate, double threshold) {
  if (!(threshold > 0 && threshold <= 1))
    throw Error(errc::invalid_argument,
                "tone analysis: threshold " + std::to_string(threshold) + " is not in (0, 1]");
  return tone_fraction(pcm, hz, sample_rate) >= threshold;
}

}  // namespace callsup::sim
