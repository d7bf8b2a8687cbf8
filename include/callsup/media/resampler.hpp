// callsup: sample-rate conversion between legs at different rates (libspeexdsp underneath).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace callsup {

/// Streaming sample-rate converter for one direction of one leg: it keeps filter history
/// between calls, so consecutive frames join without clicks. A real polyphase resampler
/// (speexdsp), not linear interpolation, which would alias. Equal rates copy the samples
/// unfiltered (no delay, no cost). Movable, not copyable; not thread-safe.
class Resampler {
 public:
  /// Rates 8000..192000 Hz, channels 1 or 2 (interleaved), quality 0 (fastest) .. 10 (best);
  /// 3 is speexdsp's VoIP setting. Throws Error(invalid_argument) naming the bad value.
  Resampler(int input_rate, int output_rate, int channels = 1, int quality = 3);
  ~Resampler();
  /// Takes over the filter state; the moved-from object may only be destroyed or assigned to.
  Resampler(Resampler&&) noexcept;
  /// Takes over the filter state; the moved-from object may only be destroyed or assigned to.
  Resampler& operator=(Resampler&&) noexcept;
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  /// Converts `in` (interleaved, a whole number of sample frames); returns samples written to
  /// `out` (all channels). No allocation. Over a stream the output is in.size() * output_rate /
  /// input_rate samples; one call writes at most max_output(in.size()). Throws
  /// Error(invalid_argument) on misuse: `in` not a multiple of channels(), or `out` too small to
  /// take all of `in` (the part that did not fit is lost), or a moved-from object.
  std::size_t process(std::span<const std::int16_t> in, std::span<std::int16_t> out);

  /// Upper bound of what process() writes for `input_samples` samples: size `out` with it.
  std::size_t max_output(std::size_t input_samples) const noexcept;

  /// The rate of what process() reads, in Hz.
  int input_rate() const noexcept { return input_rate_; }
  /// The rate of what process() writes, in Hz.
  int output_rate() const noexcept { return output_rate_; }
  /// Interleaved channels: 1 or 2.
  int channels() const noexcept { return channels_; }

  /// Forgets the filter history, for a new stream (e.g. after an SSRC change).
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int input_rate_;
  int output_rate_;
  int channels_;
};

}  // namespace callsup
