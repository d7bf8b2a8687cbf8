// callsup-demo: is a party's voice in what a phone recorded? Measured, not assumed.
#pragma once

#include <cstdint>
#include <span>

namespace callsup::demo {

/// How much of one source was found in a recording.
struct SourceHearing {
  double score = 0;     ///< share of the blocks where the source speaks in which it was found, 0..1
  double delay_ms = 0;  ///< where in its loop the source was found (loop-relative delay)
  /// Seconds of the recording in which the source was speaking (the blocks the score is
  /// about): too little of it decides nothing either way.
  double speaking_s = 0;
  bool heard = false;   ///< score >= heard_threshold
};

/// A source is heard when it is found in at least half of the blocks where it speaks. Measured
/// on 400 synthetic recordings of 3-5 s (the bundled voices, alone or in pairs, G.711, random
/// delays, a 60-100 ms delay jump in a third of them): present sources scored >= 0.83, absent
/// ones <= 0.25. On 2-5 s the margins shrink (0.5 / 0.33): decide on at least 2 s of speech.
/// The demo's measured phases are 4.4 s; its recordings score 1.00 and 0.00.
inline constexpr double heard_threshold = 0.5;

/// Is `source_loop` (the PCM a phone plays in a loop from its sample 0) audible in `recording`
/// (what another phone received, G.711-decoded: a unity-gain mix of 0, 1 or 2 voices, each at
/// its own unknown delay, which may jump a few frames once)?
///
/// Both are whitened (pre-emphasis) so that speech's strong low frequencies do not make
/// unrelated voices look alike. The whole recording is cross-correlated (by FFT) with the loop
/// at every loop offset to find the source's delay; then, block by block (0.5 s), the delay is
/// refined within +-200 ms and the block asks two things of the source at that delay: does it
/// explain the block (normalised correlation >= 0.25), and at unity gain (the least-squares gain
/// in [0.6, 1.6])? The engine mixes at unity gain, so a voice that is really in the mix passes
/// both; a chance alignment of another voice passes neither. Blocks where the source's loop is
/// quiet (a pause) say nothing and are left out. The score is the share of the other blocks
/// that passed. A recording shorter than one block, silent, or where the source never speaks
/// scores 0. Throws Error(invalid_argument) for an empty source_loop or sample_rate <= 0.
SourceHearing find_source(std::span<const std::int16_t> recording, std::span<const std::int16_t> source_loop,
                          int sample_rate = 8000);

}  // namespace callsup::demo
