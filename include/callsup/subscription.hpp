// callsup: Subscription, the handle that undoes a registration (a sink, an observer, a handler).
#pragma once

#include <functional>
#include <utility>

namespace callsup {

/// Owns one registration (`add_event_sink`, `subscribe`, `on_dtmf`, ...): destroying it, or
/// calling reset(), unsubscribes. After reset() returns, the callback is not called again;
/// a call already under way on another thread is waited for, and a callback may reset its
/// own subscription. A Subscription may outlive what it subscribed to (reset() then does
/// nothing). Move-only; keep it as long as the registration should last.
class [[nodiscard]] Subscription {
 public:
  /// An empty handle (active() is false).
  Subscription() = default;
  /// Takes the action that unsubscribes; called at most once.
  explicit Subscription(std::function<void()> unsubscribe) : unsubscribe_(std::move(unsubscribe)) {}
  /// Takes over `other`'s subscription; `other` becomes empty.
  Subscription(Subscription&& other) noexcept : unsubscribe_(std::exchange(other.unsubscribe_, {})) {}
  /// Unsubscribes what this handle held, then takes over `other`'s subscription.
  Subscription& operator=(Subscription&& other) noexcept {
    if (this != &other) {
      reset();
      unsubscribe_ = std::exchange(other.unsubscribe_, {});
    }
    return *this;
  }
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }

  /// Unsubscribes now; idempotent.
  void reset() noexcept {
    if (auto unsubscribe = std::exchange(unsubscribe_, {})) unsubscribe();
  }
  /// Lets go of the handle but keeps the registration for as long as its source lives
  /// (the Python bindings' default when a handle is dropped unclosed).
  void release() noexcept { unsubscribe_ = {}; }
  /// True until reset() or release() (or a move out of it).
  bool active() const noexcept { return static_cast<bool>(unsubscribe_); }

 private:
  std::function<void()> unsubscribe_;
};

}  // namespace callsup
