// Monotonic clocks: the real one, and a manual one that tests drive (DTMF timeouts).
#include "bindings.hpp"

#include "callsup/dialplan/clock.hpp"

namespace callsup::python {

void bind_clocks(py::module_& m) {
  // Times are datetime.timedelta since the clock's epoch; only differences are meaningful.
  py::class_<Clock, std::shared_ptr<Clock>>(m, "Clock",
                                            "A monotonic clock (abstract: SteadyClock or ManualClock).")
      .def("now", &Clock::now, "The current time, as a timedelta since the clock's epoch.");

  py::class_<SteadyClock, Clock, std::shared_ptr<SteadyClock>>(m, "SteadyClock", "The real monotonic clock.")
      .def(py::init<>());

  py::class_<ManualClock, Clock, std::shared_ptr<ManualClock>>(
      m, "ManualClock",
      "A clock that moves only when told to. Safe to drive from one thread while others read it.")
      .def(py::init<ManualClock::time_point>(), py::arg("start") = ManualClock::time_point{})
      .def("advance", &ManualClock::advance, py::arg("step"),
           "Moves forward by `step` (a timedelta, whole milliseconds); InvalidArgumentError when negative.")
      .def("set", &ManualClock::set, py::arg("when"), "Jumps to `when` (forwards or backwards).");
}

}  // namespace callsup::python
