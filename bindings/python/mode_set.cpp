// ModeSet: an immutable set of modes that behaves like a frozenset of Mode.
#include "bindings.hpp"

#include <optional>

#include "callsup/mode.hpp"

namespace callsup::python {

namespace {

std::optional<Mode> as_mode(py::handle item) {
  try {
    return item.cast<Mode>();
  } catch (const py::cast_error&) {
    return std::nullopt;
  }
}

ModeSet from_iterable(const py::iterable& modes) {
  ModeSet set;
  for (py::handle item : modes) {
    auto mode = as_mode(item);
    if (!mode) throw py::type_error("ModeSet takes callsup.Mode members, not " + python::repr(item));
    set.add(*mode);
  }
  return set;
}

// `other` as a ModeSet when it is one or an iterable of modes; nullopt otherwise (for
// the operators, which then return NotImplemented).
std::optional<ModeSet> as_mode_set(const py::object& other) {
  if (py::isinstance<ModeSet>(other)) return other.cast<ModeSet>();
  if (py::isinstance<py::str>(other) || !py::isinstance<py::iterable>(other)) return std::nullopt;
  try {
    return from_iterable(other);
  } catch (const py::type_error&) {
    return std::nullopt;
  }
}

py::list members(ModeSet set) {
  py::list out;
  for (Mode mode : all_modes)
    if (set.contains(mode)) out.append(py::cast(mode));
  return out;
}

py::object not_implemented() { return py::reinterpret_borrow<py::object>(Py_NotImplemented); }

template <class Op>
auto binary(Op op) {
  return [op](ModeSet self, const py::object& other) -> py::object {
    auto that = as_mode_set(other);
    return that ? py::cast(op(self, *that)) : not_implemented();
  };
}

}  // namespace

void bind_mode_set(py::module_& m) {
  py::class_<ModeSet> cls(m, "ModeSet",
                          "An immutable set of modes: what a supervisor is granted, what a decision "
                          "allows. Behaves like a frozenset of Mode; any iterable of Mode converts to it.");
  cls.def(py::init(&from_iterable), py::arg("modes") = py::tuple(), "The set of the given modes.")
      .def_static("none", &ModeSet::none, "The empty set.")
      .def_static("all", &ModeSet::all, "listen, whisper and barge.")
      .def_static("up_to", &ModeSet::up_to, py::arg("highest"),
                  "The hierarchical grant: up_to(Mode.whisper) = {listen, whisper}.")
      .def_static("from_bits", &ModeSet::from_bits, py::arg("bits"),
                  "From a bit mask (bit 0 listen, 1 whisper, 2 barge); other bits are ignored.")
      .def_property_readonly("bits", &ModeSet::bits, "The bit mask (bit 0 listen, 1 whisper, 2 barge).")
      .def_property_readonly("highest", &ModeSet::highest, "The highest mode in the set; None when empty.")
      .def("__contains__",
           [](ModeSet self, const py::object& item) {
             auto mode = as_mode(item);
             return mode && self.contains(*mode);
           })
      .def("__iter__", [](ModeSet self) { return members(self).attr("__iter__")(); })
      .def("__len__", [](ModeSet self) { return py::len(members(self)); })
      .def("__bool__", [](ModeSet self) { return !self.empty(); })
      .def("__or__", binary([](ModeSet a, ModeSet b) { return a | b; }))
      .def("__ror__", binary([](ModeSet a, ModeSet b) { return a | b; }))
      .def("__and__", binary([](ModeSet a, ModeSet b) { return a & b; }))
      .def("__rand__", binary([](ModeSet a, ModeSet b) { return a & b; }))
      .def("__eq__", binary([](ModeSet a, ModeSet b) { return a == b; }))
      // Equal to the frozenset of the same modes, so it hashes like one.
      .def("__hash__", [](ModeSet self) { return py::hash(py::frozenset(members(self))); })
      .def("__repr__",
           [](ModeSet self) {
             std::string out;
             for (py::handle mode : members(self)) out += (out.empty() ? "" : ", ") + python::repr(mode);
             return "ModeSet([" + out + "])";
           })
      .def("__str__", &ModeSet::to_string, "'listen|whisper'; 'none' when empty.")
      .def("__reduce__", [](const py::object& self) {
        return py::make_tuple(py::type::of(self), py::make_tuple(members(self.cast<ModeSet>())));
      });
  py::implicitly_convertible<py::iterable, ModeSet>();
}

}  // namespace callsup::python
