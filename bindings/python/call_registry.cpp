// CallRegistry and the RegistryEvent its subscribers receive.
#include "bindings.hpp"

#include "callsup/model/call_registry.hpp"

namespace callsup::python {

namespace {

std::vector<Call> copies(const std::vector<std::shared_ptr<const Call>>& calls) {
  std::vector<Call> out;
  out.reserve(calls.size());
  for (const auto& call : calls) out.push_back(*call);
  return out;
}

void bind_registry_event(py::module_& m) {
  py::class_<RegistryEvent> cls(m, "RegistryEvent",
                                "One change of the CallRegistry, as its subscribers get it.");
  cls.def_readonly("kind", &RegistryEvent::kind, "What changed.")
      .def_property_readonly(
          "call", [](const RegistryEvent& self) { return *self.call; },
          "The call after the change (for call_ended: as it was last).")
      .def_readonly("leg_id", &RegistryEvent::leg_id, "The leg concerned; '' when none.")
      .def_readonly("new_leg_id", &RegistryEvent::new_leg_id,
                    "leg_transferred: the leg that took over; else ''.")
      .def_property_readonly(
          "removed_leg",
          [](const RegistryEvent& self) -> std::optional<Leg> {
            if (self.kind == RegistryEventKind::leg_removed ||
                self.kind == RegistryEventKind::leg_transferred)
              return self.removed_leg;
            return std::nullopt;
          },
          "leg_removed / leg_transferred: the leg that left, as it was; else None.")
      .def_property_readonly(
          "old_state",
          [](const RegistryEvent& self) -> std::optional<LegState> {
            if (self.kind == RegistryEventKind::leg_state_changed) return self.old_state;
            return std::nullopt;
          },
          "leg_state_changed: the state before; else None.")
      .def("__repr__", [](const RegistryEvent& self) {
        std::string out = "RegistryEvent(kind=" + python::repr(py::cast(self.kind)) +
                          ", call_id=" + python::repr(py::str(self.call->id));
        if (!self.leg_id.empty()) out += ", leg_id=" + python::repr(py::str(self.leg_id));
        if (!self.new_leg_id.empty()) out += ", new_leg_id=" + python::repr(py::str(self.new_leg_id));
        return out + ")";
      });
}

}  // namespace

void bind_call_registry(py::module_& m) {
  bind_registry_event(m);

  using Registry = CallRegistry;
  py::class_<Registry, std::shared_ptr<Registry>> cls(
      m, "CallRegistry",
      "The live calls, fed by the PBX's signalling. Thread-safe. Lookups return copies (snapshots).\n\n"
      "Mutators release the GIL and return once every subscriber has seen the change.");
  const auto nogil = py::call_guard<py::gil_scoped_release>();
  cls.def(py::init<>())
      .def("add_call", &Registry::add_call, py::arg("call_id"), py::arg("tenant"), py::arg("group") = "",
           nogil,
           "A new call with no legs. Raises InvalidArgumentError for an empty id or tenant, "
           "Error(duplicate_id) for an id in use.")
      .def(
          "add_leg",
          [](Registry& self, const CallId& call_id, const Leg& leg) {
            without_gil([&, copy = leg]() mutable { self.add_leg(call_id, std::move(copy)); });
          },
          py::arg("call_id"), py::arg("leg"), "Adds a party to the call.")
      .def("answer", &Registry::answer, py::arg("leg_id"), nogil,
           "The leg was answered: its state becomes up.")
      .def("hold", &Registry::hold, py::arg("leg_id"), nogil)
      .def("unhold", &Registry::unhold, py::arg("leg_id"), nogil)
      .def("set_state", &Registry::set_state, py::arg("leg_id"), py::arg("state"), nogil)
      .def("bridge", &Registry::bridge, py::arg("call_id"), py::arg("bridged") = true, nogil,
           "The call's media is bridged (or unbridged) between its parties.")
      .def(
          "transfer",
          [](Registry& self, const CallId& call_id, const LegId& from_leg, const Leg& to) {
            without_gil([&, copy = to]() mutable { self.transfer(call_id, from_leg, std::move(copy)); });
          },
          py::arg("call_id"), py::arg("from_leg"), py::arg("to"),
          "Leg `to` takes the place of leg `from_leg` in the same call.")
      .def("remove_leg", &Registry::remove_leg, py::arg("leg_id"), nogil,
           "The leg hung up and leaves its call.")
      .def("end_call", &Registry::end_call, py::arg("call_id"), nogil)
      .def(
          "find_call",
          [](const Registry& self, const CallId& id) { return copy_or_none(self.find_call(id)); },
          py::arg("call_id"), "The call, or None.")
      .def(
          "call", [](const Registry& self, const CallId& id) { return *self.call(id); }, py::arg("call_id"),
          "The call; raises NotFoundError (unknown_call).")
      .def(
          "find_call_of_leg",
          [](const Registry& self, const LegId& leg_id) {
            return copy_or_none(self.find_call_of_leg(leg_id));
          },
          py::arg("leg_id"), "The call this leg is in, or None.")
      .def(
          "calls_of_extension",
          [](const Registry& self, const std::string& extension) {
            return copies(self.calls_of_extension(extension));
          },
          py::arg("extension"), "Calls in which this extension has a leg, oldest first.")
      .def(
          "all_calls", [](const Registry& self) { return copies(self.all_calls()); },
          "Every live call, oldest first.")
      .def("__len__", &Registry::size)
      .def(
          "__contains__",
          [](const Registry& self, const py::object& call_id) {
            return py::isinstance<py::str>(call_id) && self.find_call(call_id.cast<std::string>()) != nullptr;
          },
          py::arg("call_id"));
  def_subscriptions(cls, "RegistryEvent");
}

}  // namespace callsup::python
