// callsup: SoftwareMixer — int32 accumulate with Q14 gains, clamp once, no allocation per tick.
#include "callsup/media/software_mixer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace callsup {

namespace {

// Accumulators live on the stack in blocks of this many samples per channel (2 x 1.9 KB),
// so any frame up to max_mix_samples is mixed without heap or shared scratch.
constexpr std::size_t block_samples = 480;
constexpr int q_shift = 14;
constexpr std::int32_t q_round = unity_gain_q / 2;

// The kernels are plain counted loops over restrict pointers: GCC and Clang vectorise them
// at -O2/-O3 (int16 widened to int32 lanes). `(s * g + q_round) >> 14` is exact for g = 1.0.
// They are always inlined into mix_listener(), which on x86-64 is compiled twice, for AVX2
// and for the baseline, and picked once by CPU (baseline SSE2 has no 32-bit min/max, so
// its clamp costs about 4x more instructions per sample). A function pointer rather than
// target_clones: an ifunc resolver runs before sanitizer runtimes start and crashes TSan.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CALLSUP_MIX_AVX2 1
#endif
#define CALLSUP_MIX_KERNEL [[gnu::always_inline]] inline

CALLSUP_MIX_KERNEL std::int32_t scaled(std::int16_t s, std::int32_t gain_q) {
  return (std::int32_t{s} * gain_q + q_round) >> q_shift;
}

CALLSUP_MIX_KERNEL std::int16_t clamp16(std::int32_t v) {
  return static_cast<std::int16_t>(std::clamp<std::int32_t>(v, INT16_MIN, INT16_MAX));
}

CALLSUP_MIX_KERNEL void set_unity(std::int32_t* __restrict acc, const std::int16_t* __restrict in,
                                  std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) acc[i] = in[i];
}
CALLSUP_MIX_KERNEL void set_gain(std::int32_t* __restrict acc, const std::int16_t* __restrict in,
                                 std::int32_t g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) acc[i] = scaled(in[i], g);
}
CALLSUP_MIX_KERNEL void add_unity(std::int32_t* __restrict acc, const std::int16_t* __restrict in,
                                  std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) acc[i] += in[i];
}
CALLSUP_MIX_KERNEL void add_gain(std::int32_t* __restrict acc, const std::int16_t* __restrict in,
                                 std::int32_t g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) acc[i] += scaled(in[i], g);
}
CALLSUP_MIX_KERNEL void store_mono(std::int16_t* __restrict out, const std::int32_t* __restrict acc,
                                   std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = clamp16(acc[i]);
}
CALLSUP_MIX_KERNEL void store_stereo(std::int16_t* __restrict out, const std::int32_t* __restrict left,
                                     const std::int32_t* __restrict right, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = clamp16(left[i]);
    out[2 * i + 1] = clamp16(right[i]);
  }
}
// The commonest mix (a listening supervisor, a whispered agent): two unity sources, one pass.
CALLSUP_MIX_KERNEL void mix_two_unity(std::int16_t* __restrict out, const std::int16_t* __restrict a,
                                      const std::int16_t* __restrict b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = clamp16(std::int32_t{a[i]} + b[i]);
}

CALLSUP_MIX_KERNEL void accumulate(std::int32_t* acc, bool& started, const std::int16_t* in, std::int32_t g,
                                   std::size_t n) {
  if (g == unity_gain_q) {
    started ? add_unity(acc, in, n) : set_unity(acc, in, n);
  } else {
    started ? add_gain(acc, in, g, n) : set_gain(acc, in, g, n);
  }
  started = true;
}

struct Tick {
  const MixFrames& frames;
  std::size_t n;
  const std::int16_t* input(const MixSource& s) const { return frames.inputs[s.slot]; }
};

CALLSUP_MIX_KERNEL void mix_mono_blocks(const Tick& tick, const MixListener& listener, std::int16_t* out) {
  alignas(64) std::array<std::int32_t, block_samples> acc;
  for (std::size_t at = 0; at < tick.n; at += block_samples) {
    const std::size_t n = std::min(block_samples, tick.n - at);
    bool started = false;
    for (const MixSource& s : listener.sources)
      if (const std::int16_t* in = tick.input(s)) accumulate(acc.data(), started, in + at, s.gain_q, n);
    if (!started) std::fill_n(acc.begin(), n, 0);  // not reached by mix_mono; keeps the store defined
    store_mono(out + at, acc.data(), n);
  }
}

/// Mono listener. Shortcuts first: nothing to mix (silence), one unity source (copied
/// untouched), two unity sources (one fused pass); otherwise the block accumulator.
CALLSUP_MIX_KERNEL void mix_mono(const Tick& tick, const MixListener& listener, std::int16_t* out) {
  const MixSource* active[2] = {nullptr, nullptr};
  std::size_t count = 0;
  for (const MixSource& s : listener.sources)
    if (tick.input(s)) {
      if (count < 2) active[count] = &s;
      ++count;
    }
  const std::size_t bytes = tick.n * sizeof(std::int16_t);
  if (count == 0) {
    std::memset(out, 0, bytes);
  } else if (count == 1 && active[0]->gain_q == unity_gain_q) {
    std::memcpy(out, tick.input(*active[0]), bytes);
  } else if (count == 2 && active[0]->gain_q == unity_gain_q && active[1]->gain_q == unity_gain_q) {
    mix_two_unity(out, tick.input(*active[0]), tick.input(*active[1]), tick.n);
  } else {
    mix_mono_blocks(tick, listener, out);
  }
}

/// Stereo listener: planar left/right accumulators, interleaved when stored. A mono source
/// counts on both sides; a side nobody lands on stays silent.
CALLSUP_MIX_KERNEL void mix_stereo(const Tick& tick, const MixListener& listener, std::int16_t* out) {
  alignas(64) std::array<std::int32_t, block_samples> left;
  alignas(64) std::array<std::int32_t, block_samples> right;
  for (std::size_t at = 0; at < tick.n; at += block_samples) {
    const std::size_t n = std::min(block_samples, tick.n - at);
    bool left_started = false;
    bool right_started = false;
    for (const MixSource& s : listener.sources) {
      const std::int16_t* in = tick.input(s);
      if (!in) continue;
      if (s.channel != Channel::right) accumulate(left.data(), left_started, in + at, s.gain_q, n);
      if (s.channel != Channel::left) accumulate(right.data(), right_started, in + at, s.gain_q, n);
    }
    if (!left_started) std::fill_n(left.begin(), n, 0);
    if (!right_started) std::fill_n(right.begin(), n, 0);
    store_stereo(out + 2 * at, left.data(), right.data(), n);
  }
}

/// Writes one listener's output; returns what it produced (1 mono, 2 stereo).
CALLSUP_MIX_KERNEL std::uint8_t mix_listener(const Tick& tick, const MixListener& listener,
                                             std::int16_t* out) {
  if (listener.stereo) {
    mix_stereo(tick, listener, out);
    return 2;
  }
  mix_mono(tick, listener, out);
  return 1;
}

using MixListenerFn = std::uint8_t (*)(const Tick&, const MixListener&, std::int16_t*);

std::uint8_t mix_listener_baseline(const Tick& tick, const MixListener& listener, std::int16_t* out) {
  return mix_listener(tick, listener, out);
}

#ifdef CALLSUP_MIX_AVX2
[[gnu::target("avx2")]] std::uint8_t mix_listener_avx2(const Tick& tick, const MixListener& listener,
                                                       std::int16_t* out) {
  return mix_listener(tick, listener, out);
}
#endif

MixListenerFn pick_mix_listener() noexcept {
#ifdef CALLSUP_MIX_AVX2
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return mix_listener_avx2;
#endif
  return mix_listener_baseline;
}

bool frames_fit(const MixPlan& plan, const MixFrames& frames) {
  const std::size_t slots = plan.slots.size();
  return frames.samples > 0 && frames.samples <= max_mix_samples && frames.inputs.size() >= slots &&
         frames.outputs.size() >= slots && frames.produced.size() >= slots &&
         (frames.skip.empty() || frames.skip.size() >= slots);
}

}  // namespace

void SoftwareMixer::mix(const MixPlan& plan, const MixFrames& frames) noexcept {
  std::fill(frames.produced.begin(), frames.produced.end(), std::uint8_t{0});
  if (!frames_fit(plan, frames)) return;
  static const MixListenerFn mix_one = pick_mix_listener();
  const Tick tick{frames, frames.samples};
  for (const MixListener& listener : plan.listeners) {
    if (!frames.skip.empty() && frames.skip[listener.slot]) continue;
    std::int16_t* out = frames.outputs[listener.slot];
    if (!out) continue;
    frames.produced[listener.slot] = mix_one(tick, listener, out);
  }
}

}  // namespace callsup
