// callsup: the periodic beep that tells the parties a call is being monitored.
#pragma once

#include <cstdint>
#include <span>

namespace callsup {

/// The monitoring (recording warning) tone. The default is the common US practice: a 1,400 Hz
/// beep of 200 ms every 15 s, at -20 dBFS, the first one as soon as monitoring starts.
struct MonitoringToneConfig {
  /// The beep's pitch.
  double frequency_hz = 1400.0;
  /// How long one beep lasts.
  int beep_ms = 200;
  /// From the start of one beep to the start of the next.
  int period_ms = 15000;
  /// The beep's level relative to full scale (negative).
  double level_dbfs = -20.0;
};
void validate(const MonitoringToneConfig&);  ///< throws Error(invalid_argument) naming the bad field

/// Generates the tone for one call: `add_to` mixes the next frame of it into a listener's frame.
/// Every listener of a call hears the same beep at the same time; the phase is kept per call.
class MonitoringTone {
 public:
  /// The tone `config` describes, at `sample_rate` Hz. Throws Error(invalid_argument) naming a bad field.
  explicit MonitoringTone(const MonitoringToneConfig& config = {}, int sample_rate = 8000);
  /// Adds this tick's part of the tone (saturating) to `frame` (mono, `channels` interleaved).
  void add_to(std::span<std::int16_t> frame, int channels = 1) const noexcept;
  /// Moves on by one frame of `samples` samples per channel; call once per tick.
  void advance(std::size_t samples) noexcept;
  /// True while this tick carries part of a beep.
  bool sounding(std::size_t samples) const noexcept;
  /// Starts over: the next tick begins a beep.
  void restart() noexcept { position_ = 0; }

 private:
  MonitoringToneConfig config_;
  int sample_rate_;
  std::uint64_t position_ = 0;  ///< samples since the tone (re)started
  std::uint64_t beep_samples_;
  std::uint64_t period_samples_;
  double amplitude_;
};

}  // namespace callsup
