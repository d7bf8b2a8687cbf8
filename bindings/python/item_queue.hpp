// callsup Python bindings: a queue that C++ threads fill without touching Python.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace callsup::python {

/// Unbounded FIFO filled by any thread (no GIL, no Python object) and emptied by the
/// thread that delivers to Python. Nothing is ever dropped while the queue is open.
template <typename Item>
class ItemQueue {
 public:
  using Timeout = std::optional<std::chrono::nanoseconds>;  ///< nullopt: wait as long as it takes

  /// Any thread. False (the item is dropped and counted) once the queue is closed.
  bool push(Item item) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) {
        ++dropped_;
        return false;
      }
      items_.push_back(std::move(item));
      ++pushed_;
    }
    ready_.notify_one();
    return true;
  }

  /// Up to `max` items (0: all), waiting up to `timeout` for the first one. Empty on
  /// timeout, or when the queue is closed and empty. Call without the GIL.
  std::vector<Item> pop(std::size_t max, Timeout timeout) {
    std::unique_lock lock(mutex_);
    auto ready = [&] { return !items_.empty() || closed_; };
    if (!timeout) {
      ready_.wait(lock, ready);
    } else if (!ready_.wait_for(lock, *timeout, ready)) {
      return {};
    }
    const std::size_t count = max == 0 ? items_.size() : std::min(max, items_.size());
    std::vector<Item> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      out.push_back(std::move(items_.front()));
      items_.pop_front();
    }
    return out;
  }

  /// Puts items back at the front, in order (a consumer that could not hand them on).
  void unpop(std::vector<Item> items) {
    std::lock_guard lock(mutex_);
    for (auto it = items.rbegin(); it != items.rend(); ++it) items_.push_front(std::move(*it));
  }

  /// Wakes every waiter; later pushes are dropped. Items already queued stay poppable.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  /// Items accepted since the queue was made.
  std::uint64_t pushed() const {
    std::lock_guard lock(mutex_);
    return pushed_;
  }
  /// Items refused because the queue was closed.
  std::uint64_t dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Item> items_;
  bool closed_ = false;
  std::uint64_t pushed_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace callsup::python
