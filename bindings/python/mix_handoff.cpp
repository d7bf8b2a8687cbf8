// callsup Python bindings: MixHandoff — media thread to mixing thread and back, with a deadline.
#include "bindings.hpp"

#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "callsup/error.hpp"
#include "mix_handoff.hpp"

namespace callsup::python {

namespace {

void ensure(std::shared_ptr<SampleBuffer>& buffer, std::size_t size, bool readonly) {
  // A new buffer rather than a resize: Python may still hold views of the old one.
  if (!buffer || buffer->size < size)
    buffer = std::make_shared<SampleBuffer>(std::max<std::size_t>(size, 1), readonly);
}

/// Why the runner's `produced` cannot be sent, or "".
std::string check_produced(const TickJob& job) {
  for (std::size_t slot = 0; slot < job.slots; ++slot) {
    const unsigned produced = job.produced[slot];
    const unsigned room = job.output_channels[slot];
    if (produced <= room) continue;
    const std::string leg = job.plan ? quoted(job.plan->slots[slot]) : std::to_string(slot);
    return "produced[" + std::to_string(slot) + "] is " + std::to_string(produced) + " for leg " + leg +
           ", which " +
           (room == 0 ? "has no output this tick (not a listener, or forwarded by the engine)"
                      : "is a mono listener (produced must be 0 or 1)");
  }
  return {};
}

}  // namespace

std::shared_ptr<MixHandoff> MixHandoff::start(std::chrono::nanoseconds budget, Runner runner) {
  auto handoff = std::make_shared<MixHandoff>(budget, std::move(runner));
  std::lock_guard lock(handoff->mutex_);
  // The thread keeps the handoff alive until it ends, so whoever drops the last reference
  // (possibly the mixing thread itself, from Python) never frees state the loop still uses.
  handoff->thread_ = std::thread([self = handoff] {
    ::pthread_setname_np(::pthread_self(), "callsup-py-mix");
    self->run();
  });
  handoff->worker_id_ = handoff->thread_.get_id();
  return handoff;
}

MixHandoff::~MixHandoff() {
  close();
  if (thread_.joinable()) thread_.detach();  // destroyed by its own thread, which is ending
}

void MixHandoff::mix(const MixPlan& plan, const MixFrames& frames) noexcept {
  std::fill(frames.produced.begin(), frames.produced.end(), std::uint8_t{0});
  const std::size_t slots = plan.slots.size();
  if (!plan.routes || frames.samples == 0 || frames.samples > max_mix_samples ||
      frames.inputs.size() < slots || frames.outputs.size() < slots || frames.produced.size() < slots ||
      (!frames.skip.empty() && frames.skip.size() < slots))
    return;
  const auto deadline = std::chrono::steady_clock::now() + budget_;
  std::unique_lock lock(mutex_);
  if (!changed_.wait_until(lock, deadline, [&] { return state_ == State::idle || closed_; })) {
    ++counters_.late;  // the previous tick (of this call or another) still holds the mixer
    return;
  }
  if (closed_) return;
  try {
    prepare(plan, frames);
  } catch (const std::exception& error) {
    ++counters_.failures;
    counters_.last_failure = std::string("preparing the tick: ") + error.what();
    return;
  }
  state_ = State::pending;
  changed_.notify_all();
  const bool answered = changed_.wait_until(lock, deadline, [&] { return state_ == State::done || closed_; });
  if (answered && state_ == State::done) {
    deliver(frames);
    state_ = State::idle;
  } else {
    // Too late (or closing): a tick not started yet is withdrawn; a running one is left to
    // finish, and its result dropped.
    state_ = state_ == State::pending ? State::idle : State::abandoned;
    if (!closed_) ++counters_.late;
  }
  changed_.notify_all();
}

void MixHandoff::prepare(const MixPlan& plan, const MixFrames& frames) {
  const std::size_t n = plan.slots.size();
  const std::size_t samples = frames.samples;
  auto found = plans_.find(plan.routes->call);
  if (found == plans_.end()) found = plans_.emplace(plan.routes->call, nullptr).first;
  std::shared_ptr<MixPlan>& copy = found->second;
  // The copy holds the plan's RouteSet, so pointer equality cannot be fooled by a reused address.
  if (!copy || copy->routes != plan.routes || copy->slots != plan.slots)
    copy = std::make_shared<MixPlan>(plan);
  job_.plan = copy;
  job_.samples = samples;
  job_.slots = n;
  ensure(job_.inputs, n * samples, /*readonly=*/true);
  ensure(job_.outputs, n * 2 * samples, /*readonly=*/false);
  job_.has_input.assign(n, 0);
  job_.output_channels.assign(n, 0);
  job_.skip.assign(n, 0);
  job_.produced.assign(n, 0);
  for (std::size_t slot = 0; slot < n; ++slot) {
    if (!frames.skip.empty()) job_.skip[slot] = frames.skip[slot];
    if (frames.inputs[slot] == nullptr) continue;
    std::memcpy(job_.inputs->data.get() + slot * samples, frames.inputs[slot],
                samples * sizeof(std::int16_t));
    job_.has_input[slot] = 1;
  }
  for (const MixListener& listener : plan.listeners)
    if (listener.slot < n && frames.outputs[listener.slot] != nullptr && job_.skip[listener.slot] == 0)
      job_.output_channels[listener.slot] = listener.stereo ? 2 : 1;
}

void MixHandoff::deliver(const MixFrames& frames) noexcept {
  for (std::size_t slot = 0; slot < job_.slots; ++slot) {
    const std::uint8_t channels = job_.produced[slot];
    if (channels == 0) continue;
    std::memcpy(frames.outputs[slot], job_.outputs->data.get() + slot * 2 * job_.samples,
                channels * job_.samples * sizeof(std::int16_t));
    frames.produced[slot] = channels;
  }
  ++counters_.mixed;
}

void MixHandoff::forget(const CallId& call) noexcept {
  std::lock_guard lock(mutex_);
  plans_.erase(call);
}

void MixHandoff::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return state_ == State::pending || closed_; });
    if (closed_) return;
    state_ = State::running;
    lock.unlock();
    std::string failure;
    try {
      failure = runner_(job_);
      if (failure.empty()) failure = check_produced(job_);
    } catch (const std::exception& error) {
      failure = error.what();
    }
    if (!failure.empty()) std::fill(job_.produced.begin(), job_.produced.end(), std::uint8_t{0});
    lock.lock();
    if (!failure.empty()) {
      ++counters_.failures;
      counters_.last_failure = std::move(failure);
    }
    state_ = state_ == State::abandoned ? State::idle : State::done;
    changed_.notify_all();
  }
}

void MixHandoff::close() {
  bool own_thread = false;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    own_thread = std::this_thread::get_id() == worker_id_;
  }
  changed_.notify_all();
  if (own_thread) return;  // from the runner: the loop ends when it returns
  std::lock_guard join(join_mutex_);
  if (thread_.joinable()) detail::release_gil_if_held([&] { thread_.join(); });
}

MixHandoff::Counters MixHandoff::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace callsup::python
