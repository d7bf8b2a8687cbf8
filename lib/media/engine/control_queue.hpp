// callsup (internal): the engine's control thread, where user callbacks run.
#pragma once

#include <pthread.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace callsup::detail {

/// Runs posted tasks one by one on its own thread, so that media threads never run user code
/// (DTMF handlers, the SupervisionService). A task that throws is counted and skipped.
class ControlQueue {
 public:
  ControlQueue()
      : thread_([this] {
          ::pthread_setname_np(::pthread_self(), "callsup-control");
          run();
        }) {}
  ~ControlQueue() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  ControlQueue(const ControlQueue&) = delete;
  ControlQueue& operator=(const ControlQueue&) = delete;

  void post(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
      ++posted_;
    }
    wake_.notify_one();
  }
  /// Returns once every task posted before the call has run (not from the control thread).
  void flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = posted_;
    idle_.wait(lock, [&] { return done_ >= target || stopping_; });
  }
  std::uint64_t failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and everything ran
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      bool failed = false;
      try {
        task();
      } catch (...) {
        failed = true;
      }
      task = nullptr;  // destroy captured state outside the lock as well
      lock.lock();
      if (failed) ++failures_;
      ++done_;
      idle_.notify_all();
    }
  }

  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> tasks_;
  std::uint64_t posted_ = 0, done_ = 0, failures_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace callsup::detail
