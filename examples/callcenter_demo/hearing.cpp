// callsup-demo: finding a looped source voice in a recording (whitened FFT correlation, then
// frame-by-frame gain checks).
#include "hearing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <optional>
#include <string>
#include <vector>

#include <kissfft.hh>

#include "callsup/error.hpp"

namespace callsup::demo {
namespace {

// The tuning below was measured on the bundled voices (see heard_threshold).
constexpr double block_seconds = 0.5;   // each block finds its own alignment (offset jumps)
constexpr double frame_seconds = 0.02;  // the engine's frame: the unit of loss and of jumps
constexpr long max_jump_frames = 5;     // a block's alignment may move +-100 ms from the global one
// A frame of the source speaks when its window holds at least half the loop's mean frame
// energy; quieter frames (pauses, fades) say nothing about the recording.
constexpr double speaking_energy = 0.5;
// A speaking frame is heard when the recording holds it at about unity gain (other voices add
// or remove a little) and it explains a fair part of the recording's frame (so loud noise,
// which can reach any gain by chance, does not count).
constexpr double min_gain = 0.6;
constexpr double max_gain = 1.4;
constexpr double min_frame_correlation = 0.2;
// Correlations are normalised by at least this share of the loop's mean energy for the
// span, so a near-silent stretch of the loop cannot match a short burst of another voice.
constexpr double block_energy_floor = 0.5;
constexpr double global_energy_floor = 1.0;

using Filter = std::array<double, 3>;

std::size_t samples_in(double seconds, int sample_rate) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(seconds * sample_rate)));
}

// loop[i - back], the loop seen as a circle.
double sample_before(std::span<const std::int16_t> loop, std::size_t i, std::size_t back) {
  const std::size_t n = loop.size();
  return loop[(i + n - back % n) % n];
}

// The loop's order-2 LPC prediction-error filter (autocorrelation method, over the loop as a
// circle). Speech has most of its energy in a few low harmonics, and different voices
// correlate there by chance; the residual is nearly white, so chance correlations shrink.
Filter whitening_filter(std::span<const std::int16_t> loop) {
  std::array<double, 3> r{};
  for (std::size_t lag = 0; lag < r.size(); ++lag)
    for (std::size_t i = 0; i < loop.size(); ++i) r[lag] += loop[i] * sample_before(loop, i, lag);
  if (r[0] <= 0) return {1, 0, 0};
  r[0] *= 1 + 1e-4;  // white-noise correction: keeps the filter finite on a pure tone
  const double k1 = -r[1] / r[0];
  const double error = r[0] * (1 - k1 * k1);
  const double k2 = -(r[2] + k1 * r[1]) / error;
  return {1, k1 + k2 * k1, k2};
}

// The source loop and the recording, both whitened by the loop's filter: the filter is linear,
// so "recording = source + others" stays true of the whitened signals.
struct Signals {
  std::vector<double> recording;
  std::vector<double> loop;  // extended circularly to loop + recording - 1 samples
  std::vector<double> loop_energy_prefix;
  std::size_t loop_size = 0;
  std::size_t frame = 0;  // samples per frame
  std::size_t block = 0;  // samples per block

  double loop_energy(std::size_t from, std::size_t to) const {
    return loop_energy_prefix[to] - loop_energy_prefix[from];
  }
  double mean_loop_energy(std::size_t samples) const {
    return loop_energy(0, loop_size) / static_cast<double>(loop_size) * static_cast<double>(samples);
  }
};

Signals whiten(std::span<const std::int16_t> recording, std::span<const std::int16_t> loop, int sample_rate) {
  const Filter a = whitening_filter(loop);
  Signals s;
  s.loop_size = loop.size();
  s.frame = samples_in(frame_seconds, sample_rate);
  s.block = samples_in(block_seconds, sample_rate);
  const std::size_t n = loop.size();
  std::vector<double> one_loop(n);
  for (std::size_t i = 0; i < n; ++i)
    one_loop[i] = a[0] * loop[i] + a[1] * sample_before(loop, i, 1) + a[2] * sample_before(loop, i, 2);
  s.loop.resize(n + recording.size() - 1);
  for (std::size_t i = 0; i < s.loop.size(); ++i) s.loop[i] = one_loop[i % n];
  s.loop_energy_prefix.resize(s.loop.size() + 1);
  for (std::size_t i = 0; i < s.loop.size(); ++i)
    s.loop_energy_prefix[i + 1] = s.loop_energy_prefix[i] + s.loop[i] * s.loop[i];
  s.recording.resize(recording.size());
  for (std::size_t i = 0; i < recording.size(); ++i) {
    double y = a[0] * recording[i];
    if (i >= 1) y += a[1] * recording[i - 1];
    if (i >= 2) y += a[2] * recording[i - 2];
    s.recording[i] = y;
  }
  return s;
}

double dot(const Signals& s, std::size_t from, std::size_t to, std::size_t offset) {
  double sum = 0;
  for (std::size_t t = from; t < to; ++t) sum += s.recording[t] * s.loop[offset + t];
  return sum;
}

double recording_energy(const Signals& s, std::size_t from, std::size_t to) {
  double sum = 0;
  for (std::size_t t = from; t < to; ++t) sum += s.recording[t] * s.recording[t];
  return sum;
}

// The FFT size for n values: the next power of two, KISS FFT's fastest case (radix 4 and 2).
std::size_t fft_size(std::size_t n) {
  std::size_t size = 1;
  while (size < n) size *= 2;
  return size;
}

// sum_t recording[t] * loop[offset + t] for every offset in [0, loop_size), by one complex FFT
// of both real signals at once (recording real, loop imaginary) and one inverse (KISS FFT, in
// double precision: its C++ template, header-only).
std::vector<double> correlate_all_offsets(const Signals& s) {
  const std::size_t n = fft_size(s.loop.size());
  std::vector<std::complex<double>> z(n);
  for (std::size_t i = 0; i < s.recording.size(); ++i) z[i].real(s.recording[i]);
  for (std::size_t i = 0; i < s.loop.size(); ++i) z[i].imag(s.loop[i]);
  std::vector<std::complex<double>> spectrum(n);
  kissfft<double>(n, false).transform(z.data(), spectrum.data());
  // Split the spectrum into those of the two real signals (R[k] = (Z[k] + Z*[n-k]) / 2,
  // E[k] = (Z[k] - Z*[n-k]) / 2i) and replace it by conj(R) E, the correlation's spectrum;
  // k and n - k are done together because each needs the other's original value.
  const std::complex<double> over_two_i(0, -0.5);  // 1 / 2i
  for (std::size_t k = 0; k <= n / 2; ++k) {
    const std::size_t mirror = (n - k) % n;
    const std::complex<double> a = spectrum[k];
    const std::complex<double> b = spectrum[mirror];
    const auto cross = [&](std::complex<double> here, std::complex<double> there) {
      const std::complex<double> recording_spectrum = 0.5 * (here + std::conj(there));
      const std::complex<double> loop_spectrum = (here - std::conj(there)) * over_two_i;
      return std::conj(recording_spectrum) * loop_spectrum;
    };
    spectrum[k] = cross(a, b);
    spectrum[mirror] = cross(b, a);
  }
  kissfft<double>(n, true).transform(spectrum.data(), z.data());  // unscaled: times n
  const double scale = 1.0 / static_cast<double>(n);
  std::vector<double> out(s.loop_size);
  for (std::size_t offset = 0; offset < s.loop_size; ++offset) out[offset] = z[offset].real() * scale;
  return out;
}

// The whole recording's best alignment: the loop offset with the highest normalised
// correlation, or none when there is nothing to match (a silent recording or loop).
std::optional<std::size_t> best_offset(const Signals& s) {
  const std::size_t length = s.recording.size();
  const double energy = recording_energy(s, 0, length);
  if (energy <= 0 || s.loop_energy(0, s.loop_size) <= 0) return std::nullopt;
  const std::vector<double> correlation = correlate_all_offsets(s);
  const double floor = global_energy_floor * s.mean_loop_energy(length);
  std::optional<std::size_t> best;
  double best_correlation = 0;
  for (std::size_t offset = 0; offset < s.loop_size; ++offset) {
    const double normalised =
        correlation[offset] / std::sqrt(energy * std::max(s.loop_energy(offset, offset + length), floor));
    if (normalised > best_correlation) {
      best_correlation = normalised;
      best = offset;
    }
  }
  return best;
}

// Each block's alignment: the global one moved by a whole number of frames (at most
// max_jump_frames), whichever correlates best with the block.
std::vector<std::size_t> block_offsets(const Signals& s, std::size_t global) {
  const std::size_t length = s.recording.size();
  const long size = static_cast<long>(s.loop_size);
  std::vector<std::size_t> offsets;
  for (std::size_t from = 0; from < length; from += s.block) {
    const std::size_t to = std::min(length, from + s.block);
    const double energy = recording_energy(s, from, to);
    const double floor = block_energy_floor * s.mean_loop_energy(to - from);
    std::size_t best = global;
    double best_correlation = 0;
    for (long jump = -max_jump_frames; energy > 0 && jump <= max_jump_frames; ++jump) {
      const long moved = static_cast<long>(global) + jump * static_cast<long>(s.frame);
      const auto offset = static_cast<std::size_t>((moved % size + size) % size);
      const double correlation =
          dot(s, from, to, offset) /
          std::sqrt(energy * std::max(s.loop_energy(offset + from, offset + to), floor));
      if (correlation > best_correlation) {
        best_correlation = correlation;
        best = offset;
      }
    }
    offsets.push_back(best);
  }
  return offsets;
}

// How the frame [from, from + frame) of the recording compares with the source at `offset`.
struct FrameMatch {
  double source_energy = 0;
  double gain = 0;         // the source's amplitude in the recording (1: as in the loop)
  double correlation = 0;  // normalised; 0 when either side is silent
};

FrameMatch match_frame(const Signals& s, std::size_t from, std::size_t offset) {
  const std::size_t to = from + s.frame;
  FrameMatch match;
  match.source_energy = s.loop_energy(offset + from, offset + to);
  const double frame_energy = recording_energy(s, from, to);
  if (match.source_energy <= 0 || frame_energy <= 0) return match;
  const double product = dot(s, from, to, offset);
  match.gain = product / match.source_energy;
  match.correlation = product / std::sqrt(match.source_energy * frame_energy);
  return match;
}

struct FrameCount {
  std::size_t speaking = 0;  // frames in which the source speaks
  std::size_t heard = 0;     // of those, the ones the recording holds
};

// The source's speaking frames and those heard at this global alignment. Each frame is judged
// at the alignment of its own block or of a neighbour, whichever matches it best, so that a
// jump inside a block costs nothing.
FrameCount count_frames(const Signals& s, std::size_t global) {
  const std::vector<std::size_t> offsets = block_offsets(s, global);
  const double speaking_level = speaking_energy * s.mean_loop_energy(s.frame);
  FrameCount count;
  for (std::size_t from = 0; from + s.frame <= s.recording.size(); from += s.frame) {
    const std::size_t block = from / s.block;
    FrameMatch best = match_frame(s, from, offsets[block]);
    const std::size_t first = block == 0 ? 0 : block - 1;
    const std::size_t last = std::min(offsets.size() - 1, block + 1);
    for (std::size_t other = first; other <= last; ++other) {
      if (offsets[other] == offsets[block]) continue;
      const FrameMatch match = match_frame(s, from, offsets[other]);
      if (match.correlation > best.correlation) best = match;
    }
    if (best.source_energy < speaking_level) continue;  // the source pauses: nothing to hear
    ++count.speaking;
    if (best.gain >= min_gain && best.gain <= max_gain && best.correlation >= min_frame_correlation)
      ++count.heard;
  }
  return count;
}

}  // namespace

SourceHearing find_source(std::span<const std::int16_t> recording, std::span<const std::int16_t> source_loop,
                          int sample_rate) {
  if (source_loop.empty()) throw Error(errc::invalid_argument, "find_source: the source loop is empty");
  if (sample_rate <= 0)
    throw Error(errc::invalid_argument,
                "find_source: sample rate " + std::to_string(sample_rate) + " is not positive");
  if (recording.size() < samples_in(block_seconds, sample_rate)) return {};  // too short to tell

  const Signals signals = whiten(recording, source_loop, sample_rate);
  const std::optional<std::size_t> offset = best_offset(signals);
  if (!offset) return {};
  const FrameCount frames = count_frames(signals, *offset);
  SourceHearing result;
  if (frames.speaking > 0)
    result.score = static_cast<double>(frames.heard) / static_cast<double>(frames.speaking);
  result.speaking_s = static_cast<double>(frames.speaking * signals.frame) / sample_rate;
  result.delay_ms = 1000.0 * static_cast<double>(*offset) / sample_rate;
  result.heard = result.score >= heard_threshold;
  return result;
}

}  // namespace callsup::demo
