// callsup: PCM generators for simulated phones.
#include "signals.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <utility>

#include "callsup/error.hpp"

namespace callsup::sim {

SignalFn sine(double hz, double amplitude, int sample_rate) {
  if (sample_rate <= 0)
    throw Error(errc::invalid_argument,
                "sine: sample rate " + std::to_string(sample_rate) + " is not positive");
  if (!(hz > 0 && hz < sample_rate / 2.0))
    throw Error(errc::invalid_argument, "sine: frequency " + std::to_string(hz) + " Hz is not in (0, " +
                                            std::to_string(sample_rate / 2) + ") Hz");
  if (!(amplitude >= 0 && amplitude <= 32767))
    throw Error(errc::invalid_argument,
                "sine: amplitude " + std::to_string(amplitude) + " is not in [0, 32767]");
  const double step = 2 * std::numbers::pi * hz / sample_rate;
  return [step, amplitude](std::span<std::int16_t> frame, std::uint64_t frame_index) {
    // The phase from the absolute sample index (reduced modulo a large whole number of
    // samples would drift; doubles are exact far beyond any test's length).
    const double first = static_cast<double>(frame_index) * static_cast<double>(frame.size());
    for (std::size_t i = 0; i < frame.size(); ++i)
      frame[i] = static_cast<std::int16_t>(
          std::lround(amplitude * std::sin(step * (first + static_cast<double>(i)))));
  };
}

SignalFn silence() {
  return [](std::span<std::int16_t> frame, std::uint64_t) { std::fill(frame.begin(), frame.end(), 0); };
}

SignalFn samples_loop(std::vector<std::int16_t> pcm) {
  if (pcm.empty()) throw Error(errc::invalid_argument, "samples_loop: the PCM to loop is empty");
  // Shared: a SignalFn is copied into each phone's configuration.
  auto data = std::make_shared<const std::vector<std::int16_t>>(std::move(pcm));
  return [data](std::span<std::int16_t> frame, std::uint64_t frame_index) {
    const std::vector<std::int16_t>& src = *data;
    std::size_t pos = static_cast<std::size_t>((frame_index * frame.size()) % src.size());
    for (std::int16_t& sample : frame) {
      sample = src[pos];
      if (++pos == src.size()) pos = 0;
    }
  };
}

SignalFn mix(std::vector<SignalFn> parts) {
  if (parts.empty()) throw Error(errc::invalid_argument, "mix: no signal to mix");
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!parts[i]) throw Error(errc::invalid_argument, "mix: signal " + std::to_string(i) + " is empty");
  // Scratch buffers captured by value: every copy of the SignalFn (one per phone, maybe on
  // different PhoneSet threads) has its own.
  return [parts = std::move(parts), sum = std::vector<std::int32_t>(), part = std::vector<std::int16_t>()](
             std::span<std::int16_t> frame, std::uint64_t frame_index) mutable {
    sum.assign(frame.size(), 0);
    part.resize(frame.size());
    for (SignalFn& fn : parts) {
      fn(part, frame_index);
      for (std::size_t i = 0; i < frame.size(); ++i) sum[i] += part[i];
    }
    for (std::size_t i = 0; i < frame.size(); ++i)
      frame[i] = static_cast<std::int16_t>(std::clamp<std::int32_t>(sum[i], -32768, 32767));
  };
}

}  // namespace callsup::sim
