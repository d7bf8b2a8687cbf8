// callsup Python bindings: how a media thread hands one mixing tick to a Python mixer's thread
// and waits for it with a deadline. Nothing here touches Python; the runner does, on the
// mixing thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "py_dispatcher.hpp"

namespace callsup::python {

/// Samples a Python mixer sees through memoryviews (zero-copy). Shared with the Python objects
/// that expose it, so a view Python keeps past its call still points at live memory.
struct SampleBuffer {
  SampleBuffer(std::size_t count, bool read_only)
      : data(new std::int16_t[count]()), size(count), readonly(read_only) {}
  std::unique_ptr<std::int16_t[]> data;
  std::size_t size;
  bool readonly;
};

/// One tick of one call as the mixing thread gets it: the engine's input frames copied into
/// buffers the mixer owns, and room for the outputs, which the media thread copies back.
struct TickJob {
  std::shared_ptr<MixPlan> plan;  ///< the mixer's own copy of the engine's plan
  std::size_t samples = 0;        ///< per channel
  std::size_t slots = 0;
  std::shared_ptr<SampleBuffer> inputs;       ///< slot i at i * samples (read-only to Python)
  std::shared_ptr<SampleBuffer> outputs;      ///< slot i at i * 2 * samples
  std::vector<std::uint8_t> has_input;        ///< per slot: 1 when inputs holds a frame, 0 silent
  std::vector<std::uint8_t> output_channels;  ///< per slot: 0 no output wanted, 1 mono, 2 stereo
  std::vector<std::uint8_t> skip;             ///< per slot: 1 = the engine forwards it itself
  std::vector<std::uint8_t> produced;         ///< per slot, set by the runner: 0, 1 or 2
};

/// The exchange between the engine's media threads and one mixing thread. A media thread's
/// mix() copies its tick into the job, wakes the mixing thread and waits until the result is
/// in or the deadline passes; a late result is thrown away (the tick produces nothing) and
/// counted. One tick is in flight at a time: other media threads wait for it within their own
/// deadline. Per tick the media thread only copies and waits; it allocates when a call's
/// routes or legs change (a copy of its plan) or a bigger call needs bigger buffers.
class MixHandoff final : public ClosableDispatcher {
 public:
  /// Mixes one job on the mixing thread (it calls Python); returns "" or what went wrong.
  using Runner = std::function<std::string(TickJob&)>;

  struct Counters {
    std::uint64_t mixed = 0;     ///< ticks whose result came back in time
    std::uint64_t late = 0;      ///< ticks given up at the deadline
    std::uint64_t failures = 0;  ///< ticks the runner failed (an exception, a bad `produced`)
    std::string last_failure;
  };

  /// Starts the mixing thread. `budget`: how long a media thread waits for one tick.
  static std::shared_ptr<MixHandoff> start(std::chrono::nanoseconds budget, Runner runner);
  MixHandoff(std::chrono::nanoseconds budget, Runner runner) : budget_(budget), runner_(std::move(runner)) {}
  MixHandoff(const MixHandoff&) = delete;
  MixHandoff& operator=(const MixHandoff&) = delete;
  ~MixHandoff() override;

  /// Media thread: MixerBackend::mix. Sets frames.produced; never throws.
  void mix(const MixPlan& plan, const MixFrames& frames) noexcept;
  /// Media thread: the call ended; drop its plan.
  void forget(const CallId& call) noexcept;
  /// Stops the mixing thread (after the tick it is running); later ticks produce nothing.
  /// Idempotent; from the mixing thread itself it only stops accepting.
  void close() override;
  Counters counters() const;

 private:
  enum class State { idle, pending, running, done, abandoned };

  void prepare(const MixPlan& plan, const MixFrames& frames);
  void deliver(const MixFrames& frames) noexcept;
  void run();

  const std::chrono::nanoseconds budget_;
  const Runner runner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::idle;
  bool closed_ = false;
  TickJob job_;  // the media thread's while idle, the mixing thread's while running
  std::unordered_map<CallId, std::shared_ptr<MixPlan>> plans_;
  Counters counters_;
  std::thread::id worker_id_;
  std::mutex join_mutex_;
  std::thread thread_;
};

}  // namespace callsup::python
