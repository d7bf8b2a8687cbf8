// callsup: PCM-domain packet loss concealment for one leg (fills the gap of a lost frame).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace callsup {

/// Replaces lost frames of one leg's decoded audio. The jitter buffer reports a missing frame;
/// the engine asks conceal() for a substitute instead of inserting silence, because a short
/// gap filled with the previous sound is far less audible than a hole.
///
/// Policy: the last real frame is repeated with a gain that falls linearly, sample by sample,
/// through 1 -> 1/2 -> 1/4 -> 0 over the first three consecutive losses (about -6 dB per
/// frame, and no step at frame boundaries); from the fourth loss on the output is silence
/// (60 ms at the usual 20 ms ptime), because repeating stale audio longer sounds like a
/// machine-gun buzz. Single-threaded (one per leg, on its media thread); no allocation after
/// construction.
class LossConcealer {
 public:
  /// Consecutive losses that are concealed with faded audio; later ones are silence.
  static constexpr std::size_t concealed_frames = 3;

  /// `samples_per_frame`: samples of one frame, all channels counted (AudioFormat::samples()).
  /// Throws Error(invalid_argument) when it is 0.
  explicit LossConcealer(std::size_t samples_per_frame);

  /// A real frame was played: remember it (its first samples_per_frame() samples; a shorter
  /// frame is padded with silence) and end the run of losses.
  void on_frame(std::span<const std::int16_t> frame) noexcept;

  /// Writes a replacement for one lost frame into `out` (normally samples_per_frame() long;
  /// a longer `out` repeats the remembered frame cyclically). Silence before any real frame.
  void conceal(std::span<std::int16_t> out) noexcept;

  /// Forgets the remembered frame and the run of losses (a new stream).
  void reset() noexcept;

  /// Lost frames since the last real one (0 after on_frame() and reset()).
  std::size_t consecutive_losses() const noexcept { return losses_; }

  /// Samples of one frame, all channels counted (as constructed).
  std::size_t samples_per_frame() const noexcept { return last_.size(); }

 private:
  std::vector<std::int16_t> last_;
  std::size_t losses_ = 0;
};

}  // namespace callsup
