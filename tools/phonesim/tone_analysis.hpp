// callsup: which sine frequencies are in a block of PCM (Goertzel), to tell who heard whom.
#pragma once

#include <cstdint>
#include <span>

namespace callsup::sim {

/// Power of the frequency `hz` in `pcm`, by a Hann-windowed Goertzel filter, normalised to
/// full scale: a sine of peak amplitude A gives about (A / 32768)^2, so a full-scale sine
/// gives ~1.0 and a sine of peak 8000 about 0.06. The window keeps a neighbouring tone from
/// leaking in when the block is not a whole number of its periods. Returns 0 for fewer than
/// two samples. Throws Error(invalid_argument) when sample_rate is not positive or hz is not
/// in [0, sample_rate / 2].
double tone_power(std::span<const std::int16_t> pcm, double hz, int sample_rate = 8000);

/// The share of the block's energy that the sine at `hz` carries: tone_power relative to the
/// power a pure sine of the block's energy would have. A pure sine gives ~1.0, one of three
/// equally loud sines ~0.33, a tone absent from the block ~0 (G.711 quantisation noise stays
/// far below 0.01). Returns 0 for a silent block (mean power below -70 dBFS), so silence
/// holds no tone. Same preconditions as tone_power.
double tone_fraction(std::span<const std::int16_t> pcm, double hz, int sample_rate = 8000);

/// Is a sine at `hz` clearly present? tone_fraction(pcm, hz) >= threshold. The default 0.05
/// (the tone carries at least 5 % of the energy, -13 dB) accepts a tone mixed with a few
/// others of similar level and rejects leakage, codec noise and silence. Throws
/// Error(invalid_argument) for a threshold outside (0, 1], and as tone_power.
bool tone_present(std::span<const std::int16_t> pcm, double hz, int sample_rate = 8000,
                  double threshold = 0.05);

}  // namespace callsup::sim
