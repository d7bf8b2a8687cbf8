// callsup Python bindings: waiting for C++ with the GIL released, with a Python timeout.
#pragma once

#include <pybind11/pybind11.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "bindings.hpp"

namespace callsup::python {

/// A wait limit from seconds (a number) or a datetime.timedelta; None: no limit.
/// TypeError for another type, ValueError naming a negative or NaN value.
inline std::optional<std::chrono::nanoseconds> wait_limit(const py::object& timeout, const char* what) {
  if (timeout.is_none()) return std::nullopt;
  const auto timedelta = py::module_::import("datetime").attr("timedelta");
  double seconds = 0;
  if (py::isinstance(timeout, timedelta)) {
    seconds = timeout.attr("total_seconds")().cast<double>();
  } else if (py::isinstance<py::float_>(timeout) || py::isinstance<py::int_>(timeout)) {
    seconds = timeout.cast<double>();
  } else {
    throw py::type_error(std::string(what) + " timeout must be None, seconds or a timedelta, got " +
                         python::repr(timeout));
  }
  if (std::isnan(seconds) || seconds < 0)
    throw py::value_error(std::string(what) + " timeout must not be negative, got " + python::repr(timeout));
  const double capped = std::min(seconds, 1e9);  // ~31 years: "forever" without overflowing
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(capped));
}

/// Calls attempt(slice) without the GIL, in slices of at most 100 ms, until it returns
/// true (then true) or `limit` has passed (then false). Between slices the GIL is taken
/// to run Python's signal handlers, so Ctrl-C interrupts a long wait.
template <class Attempt>
bool wait_interruptibly(std::optional<std::chrono::nanoseconds> limit, Attempt attempt) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = limit ? Clock::now() + *limit : Clock::time_point::max();
  for (;;) {
    const auto left =
        limit ? std::max(deadline - Clock::now(), Clock::duration::zero()) : Clock::duration::max();
    const auto slice = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::min<Clock::duration>(left, std::chrono::milliseconds(100)));
    bool done = false;
    {
      py::gil_scoped_release release;
      done = attempt(slice);
    }
    if (done) return true;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (limit && Clock::now() >= deadline) return false;
  }
}

}  // namespace callsup::python
