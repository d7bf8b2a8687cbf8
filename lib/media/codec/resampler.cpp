// callsup: Resampler over speexdsp's SpeexResamplerState.

#include "callsup/media/resampler.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <string>

#include "callsup/error.hpp"

namespace callsup {

struct Resampler::Impl {
  SpeexResamplerState* state = nullptr;  // null when the rates are equal (plain copy)

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (state != nullptr) speex_resampler_destroy(state);
  }
};

namespace {

constexpr int min_rate = 8000;
constexpr int max_rate = 192000;

void check_rate(const char* which, int rate) {
  if (rate < min_rate || rate > max_rate) {
    throw Error(errc::invalid_argument, std::string("resampler ") + which + " rate " + std::to_string(rate) +
                                            " is outside 8000..192000 Hz");
  }
}

}  // namespace

Resampler::Resampler(int input_rate, int output_rate, int channels, int quality)
    : input_rate_(input_rate), output_rate_(output_rate), channels_(channels) {
  check_rate("input", input_rate);
  check_rate("output", output_rate);
  if (channels != 1 && channels != 2) {
    throw Error(errc::invalid_argument, "resampler channels " + std::to_string(channels) + " is not 1 or 2");
  }
  if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX) {
    throw Error(errc::invalid_argument, "resampler quality " + std::to_string(quality) + " is outside 0..10");
  }
  impl_ = std::make_unique<Impl>();
  if (input_rate != output_rate) {
    int error = RESAMPLER_ERR_SUCCESS;
    impl_->state =
        speex_resampler_init(static_cast<spx_uint32_t>(channels), static_cast<spx_uint32_t>(input_rate),
                             static_cast<spx_uint32_t>(output_rate), quality, &error);
    if (impl_->state == nullptr) {
      // Only allocation failure is left once the arguments are checked.
      throw Error(errc::invalid_argument,
                  std::string("resampler could not be created: ") + speex_resampler_strerror(error));
    }
  }
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

std::size_t Resampler::max_output(std::size_t input_samples) const noexcept {
  const auto channels = static_cast<std::size_t>(channels_);
  const std::size_t frames = input_samples / channels;
  if (input_rate_ == output_rate_) return frames * channels;
  // The filter's fractional position can put one more output instant inside the input span.
  const auto in = static_cast<std::size_t>(input_rate_);
  const auto out = static_cast<std::size_t>(output_rate_);
  return ((frames * out + in - 1) / in + 1) * channels;
}

std::size_t Resampler::process(std::span<const std::int16_t> in, std::span<std::int16_t> out) {
  if (!impl_) throw Error(errc::invalid_argument, "resampler used after it was moved from");
  const auto channels = static_cast<std::size_t>(channels_);
  if (in.size() % channels != 0) {
    throw Error(errc::invalid_argument, "resampler input of " + std::to_string(in.size()) +
                                            " samples is not a whole number of " + std::to_string(channels_) +
                                            "-channel frames");
  }
  const auto too_small = [&] {
    return Error(errc::invalid_argument,
                 "resampler output buffer of " + std::to_string(out.size()) + " samples is too small for " +
                     std::to_string(in.size()) +
                     " input samples (max_output: " + std::to_string(max_output(in.size())) + ")");
  };
  if (impl_->state == nullptr) {
    if (out.size() < in.size()) throw too_small();
    std::copy(in.begin(), in.end(), out.begin());
    return in.size();
  }
  if (in.empty()) return 0;
  auto in_frames = static_cast<spx_uint32_t>(in.size() / channels);
  auto out_frames = static_cast<spx_uint32_t>(out.size() / channels);
  const spx_uint32_t wanted = in_frames;
  speex_resampler_process_interleaved_int(impl_->state, in.data(), &in_frames, out.data(), &out_frames);
  if (in_frames != wanted) throw too_small();
  return static_cast<std::size_t>(out_frames) * channels;
}

void Resampler::reset() {
  if (impl_ && impl_->state != nullptr) speex_resampler_reset_mem(impl_->state);
}

}  // namespace callsup
