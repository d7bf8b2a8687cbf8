// callsup internal: delivers queued items in order, outside the producer's locks.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace callsup::detail {

/// Producers enqueue items while holding their own state lock (so queue order is
/// state order), release it, then call deliver_until(). One thread at a time drains
/// the queue; other producers wait until their own items are out, so a public call
/// returns only after its events were delivered. A callback that calls back into the
/// producer enqueues and returns at once: the draining loop delivers its items next.
template <typename Item>
class OrderedDispatcher {
 public:
  using Ticket = std::uint64_t;

  explicit OrderedDispatcher(std::function<void(Item&)> deliver) : deliver_(std::move(deliver)) {}

  /// Call with the producer's state lock held.
  Ticket enqueue(Item item) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(item));
    return ++enqueued_;
  }
  Ticket last_ticket() const {
    std::lock_guard lock(mutex_);
    return enqueued_;
  }

  /// Call without the producer's lock: returns once every item up to `ticket` has
  /// been delivered (or at once when called from inside a delivery). With
  /// `wait_for_other_drainer` false it also returns at once when another thread is
  /// delivering (that thread delivers these items too): for callers that hold a lock
  /// a sink might need, such as the registry's while it notifies its observers.
  void deliver_until(Ticket ticket, bool wait_for_other_drainer = true) {
    std::unique_lock lock(mutex_);
    if (draining_) {
      if (drainer_ == std::this_thread::get_id() || !wait_for_other_drainer) return;
      done_.wait(lock, [&] { return delivered_ >= ticket || !draining_; });
      if (delivered_ >= ticket) return;
    }
    draining_ = true;
    drainer_ = std::this_thread::get_id();
    while (!queue_.empty()) {
      Item item = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      deliver_(item);  // must not throw: the producer's deliver function catches
      lock.lock();
      ++delivered_;
      done_.notify_all();
    }
    draining_ = false;
    drainer_ = {};
    done_.notify_all();
  }

 private:
  std::function<void(Item&)> deliver_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::deque<Item> queue_;
  Ticket enqueued_ = 0;
  Ticket delivered_ = 0;
  bool draining_ = false;
  std::thread::id drainer_;
};

}  // namespace callsup::detail
