// callsup (internal): hands a call's newest RouteSet to its media thread without a lock.
#pragma once

#include <atomic>
#include <memory>

#include "callsup/routing/route_set.hpp"

namespace callsup::detail {

/// One slot, written by the control side and emptied by one media thread at its tick. A newer
/// set replaces one not yet taken (only the newest matters). Lock-free: one atomic exchange
/// per put and per take; a tick with nothing new costs one relaxed load.
class RouteMailbox {
 public:
  using Routes = std::shared_ptr<const RouteSet>;
  RouteMailbox() = default;
  RouteMailbox(const RouteMailbox&) = delete;
  RouteMailbox& operator=(const RouteMailbox&) = delete;
  ~RouteMailbox() { delete slot_.load(std::memory_order_acquire); }

  void put(Routes routes) {
    auto* fresh = new Routes(std::move(routes));
    delete slot_.exchange(fresh, std::memory_order_acq_rel);
  }
  /// The newest set since the last take, or null.
  Routes take() noexcept {
    if (slot_.load(std::memory_order_relaxed) == nullptr) return nullptr;
    std::unique_ptr<Routes> taken(slot_.exchange(nullptr, std::memory_order_acq_rel));
    return taken ? std::move(*taken) : nullptr;
  }

 private:
  std::atomic<Routes*> slot_{nullptr};
};

}  // namespace callsup::detail
