// callsup Python bindings: ServiceConfig, with the clock and the wall clock it needs alive.
#include "bindings.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gil_safe.hpp"
#include "py_time.hpp"
#include "service_bindings.hpp"
#include "service_handle.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

void set_clock(PyServiceConfig& c, std::shared_ptr<Clock> clock) {
  c.config.clock = clock.get();
  c.clock = std::move(clock);
}

// The service stamps event times under its lock, in the middle of a change: a failing
// wall_clock must not abort that change. Its error goes to sys.unraisablehook and the
// system clock stands in.
void set_wall_clock(PyServiceConfig& c, const py::object& callable) {
  if (callable.is_none()) {
    c.wall_clock.reset();
    c.config.wall_clock = nullptr;
    return;
  }
  if (!PyCallable_Check(callable.ptr()))
    throw py::type_error(
        "ServiceConfig.wall_clock must be a callable returning an aware datetime, or None; got " +
        python::repr(callable));
  c.wall_clock = share_py(callable);
  c.config.wall_clock = [held = c.wall_clock] {
    py::gil_scoped_acquire gil;
    const LockedCallbackScope locked;
    const SdkCallbackScope in_callback;
    try {
      return from_datetime((*held)(), "ServiceConfig.wall_clock()");
    } catch (py::error_already_set& error) {
      error.discard_as_unraisable("callsup ServiceConfig.wall_clock");
    } catch (py::builtin_exception& error) {
      error.set_error();
      py::error_already_set().discard_as_unraisable("callsup ServiceConfig.wall_clock");
    }
    return std::chrono::system_clock::now();
  };
}

}  // namespace

void bind_service_config(py::module_& m) {
  const ServiceConfig d;
  py::classh<PyServiceConfig>(
      m, "ServiceConfig",
      "How a SupervisionService is set up. `plans` add to (or replace) the presets that\n"
      "tenants name; `default_plan` is for supervisors the directory does not know;\n"
      "`reserved_codes` are your phones' own codes; `ended_sessions_kept` ended sessions stay\n"
      "answerable by session(), and routes() answers the final route set of the last\n"
      "`ended_calls_kept` ended calls. `clock` (a Clock, None: the steady clock) times DTMF digits;\n"
      "`wall_clock` (a callable returning an aware datetime, None: the system clock) stamps\n"
      "events; it runs under the service's lock and must not call the service.")
      .def(py::init([](const SessionOptions& default_options, const std::vector<FeatureCodePlan>& plans,
                       const std::string& default_plan, const std::vector<std::string>& reserved_codes,
                       std::size_t ended_sessions_kept, std::size_t ended_calls_kept,
                       std::shared_ptr<Clock> clock, const py::object& wall_clock) {
             PyServiceConfig c;
             c.config.default_options = default_options;
             c.config.plans = plans;
             c.config.default_plan = default_plan;
             c.config.reserved_codes = reserved_codes;
             c.config.ended_sessions_kept = ended_sessions_kept;
             c.config.ended_calls_kept = ended_calls_kept;
             set_clock(c, std::move(clock));
             set_wall_clock(c, wall_clock);
             return c;
           }),
           "default_options"_a = d.default_options, "plans"_a = d.plans, "default_plan"_a = d.default_plan,
           "reserved_codes"_a = d.reserved_codes, "ended_sessions_kept"_a = d.ended_sessions_kept,
           "ended_calls_kept"_a = d.ended_calls_kept, "clock"_a = py::none(), "wall_clock"_a = py::none())
      .def_property(
          "default_options", [](PyServiceConfig& c) -> SessionOptions& { return c.config.default_options; },
          [](PyServiceConfig& c, const SessionOptions& value) { c.config.default_options = value; },
          py::return_value_policy::reference_internal,
          "The options of a session whose request gives none, under the plan's, tenant's and supervisor's "
          "defaults.")
      .def_property(
          "plans", [](const PyServiceConfig& c) { return py::tuple(py::cast(c.config.plans)); },
          [](PyServiceConfig& c, std::vector<FeatureCodePlan> value) { c.config.plans = std::move(value); },
          "Feature code plans besides (or replacing) the presets.")
      .def_property(
          "default_plan", [](const PyServiceConfig& c) { return c.config.default_plan; },
          [](PyServiceConfig& c, std::string value) { c.config.default_plan = std::move(value); },
          "The plan for supervisors the directory does not know.")
      .def_property(
          "reserved_codes",
          [](const PyServiceConfig& c) { return py::tuple(py::cast(c.config.reserved_codes)); },
          [](PyServiceConfig& c, std::vector<std::string> value) {
            c.config.reserved_codes = std::move(value);
          },
          "The integrator's own phone codes.")
      .def_property(
          "ended_sessions_kept", [](const PyServiceConfig& c) { return c.config.ended_sessions_kept; },
          [](PyServiceConfig& c, std::size_t value) { c.config.ended_sessions_kept = value; },
          "How many ended sessions session() still answers.")
      .def_property(
          "ended_calls_kept", [](const PyServiceConfig& c) { return c.config.ended_calls_kept; },
          [](PyServiceConfig& c, std::size_t value) { c.config.ended_calls_kept = value; },
          "How many ended calls routes() still answers the final routes of.")
      .def_property(
          "clock", [](const PyServiceConfig& c) { return c.clock; }, &set_clock,
          "The clock that times DTMF digits; None: the steady clock.")
      .def_property(
          "wall_clock",
          [](const PyServiceConfig& c) -> py::object { return c.wall_clock ? *c.wall_clock : py::none(); },
          &set_wall_clock,
          "A callable returning an aware datetime that stamps events; None: the system clock.")
      .def("__repr__", [](const py::object& self) {
        std::string out = "ServiceConfig(";
        const char* names[] = {
            "default_options",  "plans", "default_plan", "reserved_codes", "ended_sessions_kept",
            "ended_calls_kept", "clock", "wall_clock"};
        for (const char* name : names)
          out += std::string(name == names[0] ? "" : ", ") + name + "=" + python::repr(self.attr(name));
        return out + ")";
      });
}

}  // namespace callsup::python
