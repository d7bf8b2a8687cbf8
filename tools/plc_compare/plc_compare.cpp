// plc_compare: drops 20 ms frames of 8 kHz speech and conceals them three ways -- callsup's
// LossConcealer, spandsp's plc_rx()/plc_fillin(), silence -- writing each result for an
// objective score (score_plc.py runs PESQ on them) and printing, per condition, the segmental
// SNR over the affected frames and the CPU time per concealed and per received frame.
// A measurement tool, built by hand (not by CMake, not in CI); see docs/media.md,
// "Packet loss concealment: measured":
//
//   g++ -std=c++20 -O2 -DNDEBUG -I include -o build/plc_compare
//       tools/plc_compare/plc_compare.cpp lib/media/jitter/loss_concealer.cpp -lspandsp   (one line)
//   build/plc_compare SPEECH.raw OUTDIR SEEDS    # SPEECH.raw: 16-bit native-endian, 8 kHz, mono
//
// Output: OUTDIR/<method>_<pattern>_<percent>_<seed>.raw, and CSV lines on stdout:
//   method,pattern,percent,seed,lost_frames,frames,segsnr_db,ns_per_concealed,ns_per_received
#include <spandsp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "callsup/media/loss_concealer.hpp"

namespace {

constexpr std::size_t frame_samples = 160;  // 20 ms at 8 kHz
using Samples = std::vector<std::int16_t>;
using Clock = std::chrono::steady_clock;

enum class Pattern { random, burst3 };
const char* name(Pattern p) { return p == Pattern::random ? "random" : "burst3"; }

/// Which frames are lost: independent losses with probability p, or bursts of exactly three
/// frames started with the probability that makes the expected loss rate p.
std::vector<bool> loss_pattern(std::size_t frames, Pattern pattern, double p, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<bool> lost(frames, false);
  if (pattern == Pattern::random) {
    for (std::size_t i = 0; i < frames; ++i) lost[i] = uniform(random) < p;
    return lost;
  }
  const double start = p / (3.0 - 2.0 * p);  // loss rate 3q / (1 + 2q) = p
  for (std::size_t i = 0; i < frames;) {
    if (uniform(random) < start) {
      for (std::size_t k = 0; k < 3 && i < frames; ++k) lost[i++] = true;
    } else {
      ++i;
    }
  }
  return lost;
}

/// One concealment method: receive() sees each good frame (and may change it: spandsp blends
/// the first frame after a loss), conceal() fills a lost one.
struct Method {
  virtual ~Method() = default;
  virtual const char* name() const = 0;
  virtual void receive(std::span<std::int16_t> frame) = 0;
  virtual void conceal(std::span<std::int16_t> frame) = 0;
};

struct Callsup final : Method {
  callsup::LossConcealer concealer{frame_samples};
  const char* name() const override { return "callsup"; }
  void receive(std::span<std::int16_t> frame) override { concealer.on_frame(frame); }
  void conceal(std::span<std::int16_t> frame) override { concealer.conceal(frame); }
};

struct Spandsp final : Method {
  plc_state_t* state = plc_init(nullptr);
  ~Spandsp() override { plc_free(state); }
  const char* name() const override { return "spandsp"; }
  void receive(std::span<std::int16_t> frame) override {
    plc_rx(state, frame.data(), static_cast<int>(frame.size()));
  }
  void conceal(std::span<std::int16_t> frame) override {
    plc_fillin(state, frame.data(), static_cast<int>(frame.size()));
  }
};

struct Silence final : Method {
  const char* name() const override { return "silence"; }
  void receive(std::span<std::int16_t>) override {}
  void conceal(std::span<std::int16_t> frame) override { std::fill(frame.begin(), frame.end(), 0); }
};

using Factory = std::unique_ptr<Method> (*)();
template <class M>
std::unique_ptr<Method> make_method() {
  return std::make_unique<M>();
}

constexpr int passes = 5;

struct Run {
  Samples out;
  double concealed_ns = 0, received_ns = 0;
};

Run conceal_all(Method& method, const Samples& speech, const std::vector<bool>& lost) {
  Run run{speech, 0, 0};
  for (std::size_t f = 0; f < lost.size(); ++f) {
    const std::span<std::int16_t> frame(run.out.data() + f * frame_samples, frame_samples);
    const auto before = Clock::now();
    if (lost[f]) {
      method.conceal(frame);
    } else {
      method.receive(frame);
    }
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - before).count();
    (lost[f] ? run.concealed_ns : run.received_ns) += ns;
  }
  return run;
}

/// Mean per-frame SNR (dB, each clamped to [-10, 35]) over the lost frames, skipping frames
/// whose original is near silence (below -50 dBFS), where an SNR means nothing. Silence scores
/// 0 dB; a waveform that is right in pitch but not in phase can score below it.
double segmental_snr(const Samples& original, const Samples& concealed, const std::vector<bool>& lost) {
  double sum = 0;
  std::size_t counted = 0;
  for (std::size_t f = 0; f < lost.size(); ++f) {
    if (!lost[f]) continue;
    double signal = 0, noise = 0;
    for (std::size_t i = f * frame_samples; i < (f + 1) * frame_samples; ++i) {
      const double s = original[i], e = s - concealed[i];
      signal += s * s;
      noise += e * e;
    }
    const double floor = std::pow(32768.0 * std::pow(10.0, -50.0 / 20.0), 2) * frame_samples;
    if (signal < floor) continue;
    const double snr = noise == 0 ? 35.0 : 10.0 * std::log10(signal / noise);
    sum += std::clamp(snr, -10.0, 35.0);
    ++counted;
  }
  return counted == 0 ? 0.0 : sum / static_cast<double>(counted);
}

Samples read_raw(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  Samples samples(bytes.size() / 2 / frame_samples * frame_samples);  // whole frames only
  std::copy_n(bytes.data(), samples.size() * 2, reinterpret_cast<char*>(samples.data()));
  return samples;
}

void write_raw(const std::string& path, const Samples& samples) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(samples.data()), static_cast<std::streamsize>(samples.size() * 2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s SPEECH.raw OUTDIR SEEDS\n", argv[0]);
    return 2;
  }
  const Samples speech = read_raw(argv[1]);
  const std::string outdir = argv[2];
  const unsigned seeds = static_cast<unsigned>(std::stoul(argv[3]));
  if (speech.empty()) {
    std::fprintf(stderr, "%s: no whole 20 ms frame\n", argv[1]);
    return 1;
  }
  const std::size_t frames = speech.size() / frame_samples;
  std::printf("method,pattern,percent,seed,lost_frames,frames,segsnr_db,ns_per_concealed,ns_per_received\n");
  for (const Pattern pattern : {Pattern::random, Pattern::burst3}) {
    for (const int percent : {1, 5, 10, 20}) {
      for (unsigned seed = 1; seed <= seeds; ++seed) {
        const std::vector<bool> lost = loss_pattern(frames, pattern, percent / 100.0, seed);
        const auto lost_frames = static_cast<std::size_t>(std::count(lost.begin(), lost.end(), true));
        for (const Factory make : {make_method<Callsup>, make_method<Spandsp>, make_method<Silence>}) {
          // The output of the first pass; the CPU times of the fastest of `passes` (other
          // processes and interrupts only ever add time).
          const std::unique_ptr<Method> method = make();
          Run run = conceal_all(*method, speech, lost);
          for (int pass = 1; pass < passes; ++pass) {
            const Run again = conceal_all(*make(), speech, lost);
            run.concealed_ns = std::min(run.concealed_ns, again.concealed_ns);
            run.received_ns = std::min(run.received_ns, again.received_ns);
          }
          const std::string file = outdir + "/" + method->name() + "_" + name(pattern) + "_" +
                                   std::to_string(percent) + "_" + std::to_string(seed) + ".raw";
          write_raw(file, run.out);
          const std::size_t received = frames - lost_frames;
          std::printf("%s,%s,%d,%u,%zu,%zu,%.2f,%.0f,%.0f\n", method->name(), name(pattern), percent, seed,
                      lost_frames, frames, segmental_snr(speech, run.out, lost),
                      lost_frames ? run.concealed_ns / static_cast<double>(lost_frames) : 0.0,
                      received ? run.received_ns / static_cast<double>(received) : 0.0);
        }
      }
    }
  }
  return 0;
}
