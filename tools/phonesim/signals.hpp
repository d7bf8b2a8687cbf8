// callsup: what a simulated phone says: PCM generators called once per frame.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace callsup::sim {

/// A phone's voice: fills `frame` (one packet's worth of PCM at the codec's rate) for the
/// `frame_index`-th frame the phone sends (0, 1, 2, ...). Deterministic in the index, so a
/// signal can be precomputed and replayed; called on the PhoneSet thread only.
using SignalFn = std::function<void(std::span<std::int16_t> frame, std::uint64_t frame_index)>;

/// A sine of `hz` with peak `amplitude` (in int16 units), phase-continuous across frames
/// (the phase follows the absolute sample index, so the 20 ms frames join without clicks).
/// Throws Error(invalid_argument) when hz is not in (0, sample_rate / 2), amplitude not in
/// [0, 32767] or sample_rate not positive.
SignalFn sine(double hz, double amplitude = 8000, int sample_rate = 8000);

/// All zeros: a muted phone.
SignalFn silence();

/// Plays `pcm` in a loop (e.g. recorded speech), continuing across frame boundaries.
/// Throws Error(invalid_argument) when `pcm` is empty.
SignalFn samples_loop(std::vector<std::int16_t> pcm);

/// The sum of `parts` (saturated to int16): e.g. two sines for a two-tone test.
/// Throws Error(invalid_argument) when `parts` is empty or one of them is empty.
SignalFn mix(std::vector<SignalFn> parts);

}  // namespace callsup::sim
