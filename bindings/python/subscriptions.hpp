// callsup Python bindings: a Subscription as Python holds it.
//
// In C++ a dropped handle unsubscribes ([[nodiscard]] catches the mistake). Python has no such
// check and `service.add_event_sink(sink)` without keeping the result is the natural spelling,
// so a Python handle that is garbage-collected unclosed keeps the registration (release());
// close() or a `with` block ends it.
#pragma once

#include <pybind11/pybind11.h>

#include <utility>

#include "callsup/subscription.hpp"

namespace callsup::python {

struct PySubscription {
  explicit PySubscription(Subscription s) : subscription(std::move(s)) {}
  PySubscription(const PySubscription&) = delete;
  PySubscription& operator=(const PySubscription&) = delete;
  ~PySubscription() { subscription.release(); }
  Subscription subscription;
};

}  // namespace callsup::python
