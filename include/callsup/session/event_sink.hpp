// callsup: receivers of supervision events.
#pragma once

#include <functional>
#include <memory>

#include "callsup/audit/event.hpp"
#include "callsup/error.hpp"

namespace callsup {

/// Receives every event, in sequence order, after the service's locks are released.
/// on_event may call back into the service; events caused by such a call are
/// delivered after the current one returns.
class EventSink {
 public:
  virtual ~EventSink() = default;
  /// Receives one event (see the class comment for the order and reentrancy).
  virtual void on_event(const Event& event) = 0;
};

/// An EventSink calling a function.
class FunctionEventSink final : public EventSink {
 public:
  /// Calls `fn` with each event; Error(invalid_argument) if it is empty.
  explicit FunctionEventSink(std::function<void(const Event&)> fn) : fn_(std::move(fn)) {
    if (!fn_) throw Error(errc::invalid_argument, "FunctionEventSink needs a callable");
  }
  /// Calls the function.
  void on_event(const Event& event) override { fn_(event); }

 private:
  std::function<void(const Event&)> fn_;
};

}  // namespace callsup
