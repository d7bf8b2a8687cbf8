// callsup Python bindings: a thread that hands queued items to a Python callable.
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gil_safe.hpp"
#include "item_queue.hpp"

namespace callsup::python {

/// What the interpreter's exit hook closes: a dispatcher thread must not still want
/// the GIL while the interpreter shuts down.
class ClosableDispatcher {
 public:
  virtual ~ClosableDispatcher() = default;
  virtual void close() = 0;
};

/// Dispatchers still alive, closed by close_live_dispatchers() at interpreter exit.
inline void track_dispatcher(const std::shared_ptr<ClosableDispatcher>& dispatcher);
inline void close_live_dispatchers();

namespace detail {
struct LiveDispatchers {
  std::mutex mutex;
  std::vector<std::weak_ptr<ClosableDispatcher>> list;
};
inline LiveDispatchers& live_dispatchers() {
  static auto* live = new LiveDispatchers();  // never destroyed: used until the very end
  return *live;
}

/// Runs `fn` without the GIL when the calling thread holds it (joining a thread that
/// may be waiting for the GIL), as it is otherwise.
template <typename Fn>
void release_gil_if_held(Fn&& fn) {
  if (Py_IsInitialized() && PyGILState_Check()) {
    pybind11::gil_scoped_release release;
    fn();
  } else {
    fn();
  }
}
}  // namespace detail

inline void track_dispatcher(const std::shared_ptr<ClosableDispatcher>& dispatcher) {
  auto& live = detail::live_dispatchers();
  std::lock_guard lock(live.mutex);
  std::erase_if(live.list, [](const auto& weak) { return weak.expired(); });
  live.list.push_back(dispatcher);
}

inline void close_live_dispatchers() {
  std::vector<std::shared_ptr<ClosableDispatcher>> alive;
  {
    auto& live = detail::live_dispatchers();
    std::lock_guard lock(live.mutex);
    for (const auto& weak : live.list)
      if (auto dispatcher = weak.lock()) alive.push_back(std::move(dispatcher));
    live.list.clear();
  }
  for (const auto& dispatcher : alive) dispatcher->close();
  detail::release_gil_if_held([&] { alive.clear(); });  // a last reference may join a thread
}

/// Hands the items pushed from any thread to a Python callable, in push order, on a
/// thread of its own that takes the GIL for each batch. The pushing threads never
/// touch Python. An exception raised by the callable is counted (failures(),
/// last_failure()) and delivery goes on with the next item.
///
/// The queue, counters and callable live in a State that the worker thread shares: when the
/// callable drops the last reference to the dispatcher, the destructor runs on the worker,
/// detaches it, and the worker finishes on the State it still owns.
template <typename Item>
class PyDispatcher final : public ClosableDispatcher {
 public:
  using Timeout = typename ItemQueue<Item>::Timeout;

  explicit PyDispatcher(SharedPyObject callback)
      : state_(std::make_shared<State>(std::move(callback))), thread_([state = state_] { run(*state); }) {
    worker_id_ = thread_.get_id();  // the worker reads it only after a push (ordered by the queue's lock)
  }
  PyDispatcher(const PyDispatcher&) = delete;
  PyDispatcher& operator=(const PyDispatcher&) = delete;

  ~PyDispatcher() override {
    state_->queue.close();
    if (!thread_.joinable()) return;
    if (on_own_thread()) {
      thread_.detach();  // the callable dropped the last reference: the loop ends on its own State
    } else {
      detail::release_gil_if_held([&] { thread_.join(); });
    }
  }

  /// Any thread. False once closed: the item is dropped and counted in dropped().
  bool push(Item item) { return state_->queue.push(std::move(item)); }

  /// How many items have been pushed so far: the mark flush() waits for.
  std::uint64_t pushed() const { return state_->queue.pushed(); }

  /// Waits until the first `mark` items pushed have been handed to the callable. False
  /// on timeout. Call without the GIL; refused from the dispatcher's own thread, which
  /// would wait for itself.
  bool flush(std::uint64_t mark, Timeout timeout) {
    if (on_own_thread())
      throw std::logic_error("flush() called from the dispatcher's own callback would wait for itself");
    State& s = *state_;
    std::unique_lock lock(s.mutex);
    auto done = [&] { return s.delivered >= mark; };
    if (!timeout) {
      s.delivered_cv.wait(lock, done);
      return true;
    }
    return s.delivered_cv.wait_for(lock, *timeout, done);
  }

  /// Stops accepting items, delivers those already queued and ends the thread.
  /// Idempotent; from the callable itself it only stops accepting.
  void close() override {
    state_->queue.close();
    if (on_own_thread()) return;
    std::lock_guard lock(join_mutex_);
    if (thread_.joinable()) detail::release_gil_if_held([&] { thread_.join(); });
  }

  /// True on the dispatcher's own thread (inside the callable).
  bool on_own_thread() const { return std::this_thread::get_id() == worker_id_; }
  bool closed() const { return state_->queue.closed(); }
  std::size_t pending() const { return state_->queue.size(); }
  std::uint64_t dropped() const { return state_->queue.dropped(); }
  std::uint64_t delivered() const {
    std::lock_guard lock(state_->mutex);
    return state_->delivered;
  }
  std::uint64_t failures() const {
    std::lock_guard lock(state_->mutex);
    return state_->failures;
  }
  std::string last_failure() const {
    std::lock_guard lock(state_->mutex);
    return state_->last_failure;
  }

 private:
  struct State {
    explicit State(SharedPyObject cb) : callback(std::move(cb)) {}
    SharedPyObject callback;
    ItemQueue<Item> queue;
    mutable std::mutex mutex;
    std::condition_variable delivered_cv;
    std::uint64_t delivered = 0;
    std::uint64_t failures = 0;
    std::string last_failure;
  };

  static void run(State& s) {
    for (;;) {
      std::vector<Item> batch = s.queue.pop(0, std::nullopt);
      if (batch.empty()) return;  // closed and drained
      pybind11::gil_scoped_acquire gil;
      for (Item& item : batch) {
        std::string failure;
        try {
          (*s.callback)(pybind11::cast(std::move(item)));
        } catch (pybind11::error_already_set& error) {
          failure = error.what();
        } catch (const std::exception& error) {
          failure = error.what();
        }
        std::lock_guard lock(s.mutex);
        ++s.delivered;
        if (!failure.empty()) {
          ++s.failures;
          s.last_failure = std::move(failure);
        }
        s.delivered_cv.notify_all();
      }
    }
  }

  std::shared_ptr<State> state_;
  std::mutex join_mutex_;
  std::thread::id worker_id_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace callsup::python
