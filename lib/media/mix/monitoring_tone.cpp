// callsup: the monitoring tone generator.
#include "callsup/media/monitoring_tone.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "callsup/error.hpp"

namespace callsup {

void validate(const MonitoringToneConfig& config) {
  auto bad = [](const char* field, const std::string& value) {
    throw Error(errc::invalid_argument, std::string("monitoring tone: bad ") + field + " " + value);
  };
  if (!(config.frequency_hz > 0 && config.frequency_hz < 4000))
    bad("frequency_hz", std::to_string(config.frequency_hz) + " (must be in (0, 4000) Hz)");
  if (config.beep_ms <= 0) bad("beep_ms", std::to_string(config.beep_ms));
  if (config.period_ms < config.beep_ms)
    bad("period_ms", std::to_string(config.period_ms) + " (shorter than beep_ms)");
  if (!(config.level_dbfs <= 0 && config.level_dbfs >= -90))
    bad("level_dbfs", std::to_string(config.level_dbfs) + " (must be in [-90, 0])");
}

MonitoringTone::MonitoringTone(const MonitoringToneConfig& config, int sample_rate)
    : config_(config), sample_rate_(sample_rate) {
  validate(config);
  if (sample_rate <= 0)
    throw Error(errc::invalid_argument, "monitoring tone: bad sample rate " + std::to_string(sample_rate));
  beep_samples_ = static_cast<std::uint64_t>(sample_rate) * config.beep_ms / 1000;
  period_samples_ = static_cast<std::uint64_t>(sample_rate) * config.period_ms / 1000;
  amplitude_ = 32767.0 * std::pow(10.0, config.level_dbfs / 20.0);
}

bool MonitoringTone::sounding(std::size_t samples) const noexcept {
  const std::uint64_t phase = position_ % period_samples_;
  return phase < beep_samples_ || phase + samples > period_samples_;
}

void MonitoringTone::add_to(std::span<std::int16_t> frame, int channels) const noexcept {
  if (channels < 1) return;
  const std::size_t samples = frame.size() / static_cast<std::size_t>(channels);
  if (!sounding(samples)) return;
  const double step = 2.0 * std::numbers::pi * config_.frequency_hz / sample_rate_;
  for (std::size_t i = 0; i < samples; ++i) {
    const std::uint64_t at = position_ + i;
    if (at % period_samples_ >= beep_samples_) continue;
    const auto tone = static_cast<int>(
        std::lround(amplitude_ * std::sin(step * static_cast<double>(at % period_samples_))));
    for (int c = 0; c < channels; ++c) {
      std::int16_t& s = frame[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
      s = static_cast<std::int16_t>(std::clamp(s + tone, -32768, 32767));
    }
  }
}

void MonitoringTone::advance(std::size_t samples) noexcept { position_ += samples; }

}  // namespace callsup
