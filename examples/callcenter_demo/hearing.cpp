// callsup-demo: finding a voice in a recording by whitened cross-correlation.
#include "hearing.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "fft.hpp"

namespace callsup::demo {

namespace {

using Complex = std::complex<double>;

constexpr double pre_emphasis = 0.95;
constexpr double block_s = 0.5;
constexpr double search_s = 0.2;  // delay refinement either side, per block
constexpr double min_correlation = 0.25;
constexpr double min_gain = 0.6, max_gain = 1.6;
constexpr double active_share = 0.25;  // a block's source energy vs the loop's mean: below, a pause

/// One block of the recording against the source's loop around the expected delay.
struct BlockMatch {
  bool speaking = false;  ///< the source's loop has speech there
  bool matches = false;   ///< its best delay explains the block at unity gain
};

/// x[n] - a x[n-1]; `circular`: the loop's sample -1 is its last.
std::vector<double> whiten(std::span<const std::int16_t> pcm, bool circular) {
  std::vector<double> out(pcm.size());
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const double previous = i > 0 ? pcm[i - 1] : (circular ? pcm.back() : 0);
    out[i] = pcm[i] - pre_emphasis * previous;
  }
  return out;
}

/// out[d] = sum_i x[i] y[d + i] for d in [0, y.size() - x.size()], by FFT of size `n`
/// (>= y.size()): lags that wrap land above the range asked for.
std::vector<double> correlate(std::span<const double> x, std::span<const double> y, std::size_t n) {
  std::vector<Complex> fx(n), fy(n);
  std::copy(x.begin(), x.end(), fx.begin());
  std::copy(y.begin(), y.end(), fy.begin());
  const FftPlan plan(n);
  plan.forward(fx);
  plan.forward(fy);
  for (std::size_t k = 0; k < n; ++k) fy[k] *= std::conj(fx[k]);
  plan.inverse(fy);
  std::vector<double> out(y.size() - x.size() + 1);
  for (std::size_t d = 0; d < out.size(); ++d) out[d] = fy[d].real();
  return out;
}

double energy(std::span<const double> x) {
  double sum = 0;
  for (double v : x) sum += v * v;
  return sum;
}

/// The loop from `start` (mod its length) for `length` samples.
std::vector<double> loop_window(const std::vector<double>& loop, std::size_t start, std::size_t length) {
  std::vector<double> out(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = loop[(start + i) % loop.size()];
  return out;
}

/// Prefix sums of squares: energy of [a, b) is p[b] - p[a].
std::vector<double> energy_prefix(std::span<const double> x) {
  std::vector<double> p(x.size() + 1, 0);
  for (std::size_t i = 0; i < x.size(); ++i) p[i + 1] = p[i] + x[i] * x[i];
  return p;
}

/// The loop offset at which the whole recording matches the loop best.
std::size_t global_offset(const std::vector<double>& x, const std::vector<double>& loop) {
  const std::size_t length = loop.size();
  const std::vector<double> extended = loop_window(loop, 0, length + x.size() - 1);
  const std::vector<double> corr = correlate(x, extended, next_power_of_two(extended.size()));
  const std::vector<double> window = energy_prefix(extended);
  std::size_t best = 0;
  double best_value = -1;
  for (std::size_t d = 0; d < length; ++d) {
    const double e = window[d + x.size()] - window[d];
    if (e <= 0) continue;
    const double value = corr[d] / std::sqrt(e);
    if (value > best_value) {
      best_value = value;
      best = d;
    }
  }
  return best;
}

}  // namespace

SourceHearing find_source(std::span<const std::int16_t> recording, std::span<const std::int16_t> source_loop,
                          int sample_rate) {
  if (source_loop.empty()) throw Error(errc::invalid_argument, "find_source: the source loop is empty");
  if (sample_rate <= 0)
    throw Error(errc::invalid_argument,
                "find_source: sample rate " + std::to_string(sample_rate) + " is not positive");
  const auto block = static_cast<std::size_t>(block_s * sample_rate);
  const auto search = static_cast<std::size_t>(search_s * sample_rate);
  SourceHearing result;
  if (recording.size() < block) return result;
  const std::vector<double> x = whiten(recording, false);
  const std::vector<double> loop = whiten(source_loop, true);
  const std::size_t length = loop.size();
  const double loop_block_energy = energy(loop) / static_cast<double>(length) * static_cast<double>(block);
  if (energy(x) <= 0 || loop_block_energy <= 0) return result;

  const std::size_t offset = global_offset(x, loop);
  result.delay_ms = static_cast<double>(offset) * 1000.0 / sample_rate;
  const std::size_t fft_size = next_power_of_two(block + 2 * search);
  std::vector<BlockMatch> blocks;
  for (std::size_t at = 0; at + block <= x.size(); at += block) {
    const std::span<const double> xb(x.data() + at, block);
    const double xb_energy = energy(xb);
    // The loop around where this block should be: offset + at, +-search.
    const std::size_t start = (offset + at + length * (search / length + 1) - search) % length;
    const std::vector<double> segment = loop_window(loop, start, block + 2 * search);
    const std::vector<double> window = energy_prefix(segment);
    BlockMatch match;
    match.speaking = window[search + block] - window[search] >= active_share * loop_block_energy;
    const std::vector<double> corr = correlate(xb, segment, fft_size);
    double best_c = -1;
    for (std::size_t d = 0; d < corr.size(); ++d) {
      const double e = window[d + block] - window[d];
      if (e <= 0 || xb_energy <= 0) continue;
      const double c = corr[d] / std::sqrt(e * xb_energy);
      if (c > best_c) {
        best_c = c;
        match.matches = c >= min_correlation && corr[d] / e >= min_gain && corr[d] / e <= max_gain;
      }
    }
    blocks.push_back(match);
  }
  std::size_t active = 0, found = 0;
  for (const BlockMatch& b : blocks) {
    active += b.speaking ? 1 : 0;
    found += b.speaking && b.matches ? 1 : 0;
  }
  result.speaking_s = static_cast<double>(active * block) / sample_rate;
  result.score = active == 0 ? 0.0 : static_cast<double>(found) / static_cast<double>(active);
  result.heard = result.score >= heard_threshold;
  return result;
}

}  // namespace callsup::demo
