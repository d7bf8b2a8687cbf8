// callsup: LossConcealer, repetition of the last frame with a linear fade.

#include "callsup/media/loss_concealer.hpp"

#include <algorithm>

#include "callsup/error.hpp"

namespace callsup {
namespace {

constexpr std::int32_t unity_q15 = 1 << 15;

/// Gain at the start of the k-th consecutive loss (k from 0): 1, 1/2, 1/4, then 0.
constexpr std::int32_t gain_before_loss(std::size_t k) noexcept {
  return k >= LossConcealer::concealed_frames ? 0 : unity_q15 >> k;
}

}  // namespace

LossConcealer::LossConcealer(std::size_t samples_per_frame) {
  if (samples_per_frame == 0) {
    throw Error(errc::invalid_argument, "loss concealer samples_per_frame 0 must be positive");
  }
  last_.assign(samples_per_frame, 0);
}

void LossConcealer::on_frame(std::span<const std::int16_t> frame) noexcept {
  const std::size_t n = std::min(frame.size(), last_.size());
  std::copy_n(frame.begin(), n, last_.begin());
  std::fill(last_.begin() + static_cast<std::ptrdiff_t>(n), last_.end(), std::int16_t{0});
  losses_ = 0;
}

void LossConcealer::conceal(std::span<std::int16_t> out) noexcept {
  const std::int32_t from = gain_before_loss(losses_);
  const std::int32_t to = gain_before_loss(losses_ + 1);
  ++losses_;
  if (from == 0) {
    std::fill(out.begin(), out.end(), std::int16_t{0});
    return;
  }
  // Linear ramp from `from` (first sample) towards `to` (reached by the next frame's first
  // sample), so consecutive concealed frames join without a gain step.
  const auto n = static_cast<std::int64_t>(out.size());
  const std::size_t period = last_.size();
  for (std::int64_t i = 0; i < n; ++i) {
    const auto gain = static_cast<std::int32_t>(from + (to - from) * i / n);
    const std::int32_t sample = last_[static_cast<std::size_t>(i) % period];
    // |sample * gain| <= 2^15 * 2^15 and gain <= 1: the result stays in int16.
    out[static_cast<std::size_t>(i)] = static_cast<std::int16_t>((sample * gain) / unity_q15);
  }
}

void LossConcealer::reset() noexcept {
  std::fill(last_.begin(), last_.end(), std::int16_t{0});
  losses_ = 0;
}

}  // namespace callsup
