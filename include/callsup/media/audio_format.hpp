// callsup: the shape of a PCM frame (sample rate, channels, packet time).
#pragma once

#include <cstddef>
#include <string>

#include "callsup/error.hpp"

namespace callsup {

/// Packet time used when nothing else was negotiated (a=ptime absent): 20 ms.
inline constexpr int default_ptime_ms = 20;

/// The format of the 16-bit PCM frames that flow between decode, mixing and encode. A frame
/// holds `ptime_ms` of audio; stereo frames are interleaved (L R L R ...).
struct AudioFormat {
  int sample_rate = 8000;           ///< 8000, 16000, 32000 or 48000 Hz
  int channels = 1;                 ///< 1 or 2 (interleaved)
  int ptime_ms = default_ptime_ms;  ///< 10, 20, 30 or 40

  /// Samples in one frame for one channel: sample_rate * ptime_ms / 1000 (160 for 8 kHz, 20 ms).
  constexpr std::size_t samples_per_channel() const noexcept {
    return static_cast<std::size_t>(sample_rate) * static_cast<std::size_t>(ptime_ms) / 1000;
  }
  /// Samples in one frame, all channels together: the size of the frame buffer.
  constexpr std::size_t samples() const noexcept {
    return samples_per_channel() * static_cast<std::size_t>(channels);
  }

  /// Member-wise equality.
  friend bool operator==(const AudioFormat&, const AudioFormat&) = default;
};

/// Throws Error(invalid_argument) naming the first field outside its domain (see the field
/// comments), so that a bad configuration fails where it is set, not in the media thread.
inline void validate(const AudioFormat& format) {
  const int rate = format.sample_rate;
  if (rate != 8000 && rate != 16000 && rate != 32000 && rate != 48000) {
    throw Error(errc::invalid_argument,
                "audio sample_rate " + std::to_string(rate) + " is not 8000, 16000, 32000 or 48000");
  }
  if (format.channels != 1 && format.channels != 2) {
    throw Error(errc::invalid_argument,
                "audio channels " + std::to_string(format.channels) + " is not 1 or 2");
  }
  const int ptime = format.ptime_ms;
  if (ptime != 10 && ptime != 20 && ptime != 30 && ptime != 40) {
    throw Error(errc::invalid_argument,
                "audio ptime_ms " + std::to_string(ptime) + " is not 10, 20, 30 or 40");
  }
}

}  // namespace callsup
