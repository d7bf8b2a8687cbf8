// callsup-demo: who heard whom, measured: is a looped source voice audible in a recording?
#pragma once

#include <cstdint>
#include <span>

namespace callsup::demo {

/// What find_source measured for one source in one recording.
struct SourceHearing {
  /// How much of the source is in the recording, 0..1: the share of the source's speech
  /// frames (20 ms frames in which its loop is not pausing) that the recording carries at
  /// about unity gain. ~0.9-1 for a source heard all along (alone or mixed with others),
  /// ~0.5 for one heard during half of its speech, ~0 for an absent one.
  double score = 0;
  /// Where in its loop the source was found, in ms: the loop position that plays at the
  /// recording's first sample. With the time the recording started (relative to the source
  /// phone's sample 0) this gives the end-to-end delay, modulo the loop length.
  double delay_ms = 0;
  /// Seconds of the recording in which the source speaks (its 20 ms speaking frames): the
  /// evidence the score rests on; below about 0.5 s it decides little either way.
  double speaking_s = 0;
  bool heard = false;  ///< score >= heard_threshold
};

/// find_source's decision level. Measured on the bundled voices, every listener/source pairing,
/// alone and mixed in twos, through G.711 µ-law both ways, at random loop offsets, with 60 and
/// 100 ms offset jumps and 20 ms dropouts (14,552 recordings while tuning; the same kinds, fewer,
/// in tests/demo/test_hearing.cpp, which prints its margins):
/// - present all along, 2-6 s: >= 0.71 (>= 0.87 without jumps or losses; typically 0.95-1.0);
/// - present all along, 1.5 s: >= 0.77, and >= 0.47 with a jump in the middle;
/// - present only in the second half (silent before), speaking there at least as much as in
///   the first half: >= 0.36;
/// - absent: <= 0.13 (<= 0.11 from 2 s on); silence, white noise, a 1 kHz tone: <= 0.04.
/// 0.25 leaves about 0.11 either side of the hardest cases, and much more for the usual ones.
inline constexpr double heard_threshold = 0.25;

/// Is `source_loop` (the PCM that a phone plays in a loop from its sample 0) audible in
/// `recording` (what another phone received)?
///
/// The recording is the saturating sum, at unity gain, of 0, 1 or 2 voices, each a loop at
/// an unknown offset, through G.711, with possibly a few 20 ms frames lost (silence) and the
/// offset of a source jumping by up to 5 frames (100 ms, the jitter buffer adapting). The
/// method:
/// 1. Both signals go through the source loop's order-2 LPC whitening filter: one fixed
///    linear filter keeps "recording = source + others" true, and the flat spectrum keeps
///    different voices from correlating by chance in their strong low harmonics.
/// 2. An FFT cross-correlation of the whole recording against the circularly extended loop
///    gives the best alignment (loop offset) at once for all offsets.
/// 3. Each 0.5 s block takes, of that alignment moved by -5..+5 whole frames, the one that
///    correlates best: this follows jumps.
/// 4. Each 20 ms frame in which the source speaks (its loop holds at least half its mean
///    frame energy there) is judged at its own block's alignment or a neighbour's, whichever
///    matches best, and counts as heard when the recording holds it at a gain within
///    0.6..1.4 and with a correlation of at least 0.2. A voice that is there passes at unity
///    gain whatever else is mixed in; a chance match of another voice (espeak-ng voices share
///    waveform fragments) or noise does not.
/// The score is the share of the speaking frames heard. Frames where the source pauses say
/// nothing and are not counted.
///
/// A source needs about 0.5 s of speech in the recording for a reliable decision (a 1.5 s
/// stretch of the bundled voices can hold as little as 0.3 s). A recording that is empty,
/// silent, or shorter than one block (sample_rate / 2 samples) hears nobody (score 0).
/// Costs about 20-40 ms for a few seconds of recording at -Og (two FFTs of 2^17 points, KISS FFT).
/// Throws Error(invalid_argument) when `source_loop` is empty or `sample_rate` is not
/// positive.
SourceHearing find_source(std::span<const std::int16_t> recording, std::span<const std::int16_t> source_loop,
                          int sample_rate = 8000);

}  // namespace callsup::demo
