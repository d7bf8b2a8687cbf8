// ChannelSet: the request channels an extension may supervise through, as a small mutable
// set of RequestChannel (add/remove change it in place, like a Python set).
#include "bindings.hpp"

#include <optional>

#include "callsup/channel.hpp"

namespace callsup::python {

namespace {

std::optional<RequestChannel> as_channel(py::handle item) {
  try {
    return item.cast<RequestChannel>();
  } catch (const py::cast_error&) {
    return std::nullopt;
  }
}

ChannelSet from_iterable(const py::iterable& channels) {
  ChannelSet set;
  for (py::handle item : channels) {
    auto channel = as_channel(item);
    if (!channel)
      throw py::type_error("ChannelSet takes callsup.RequestChannel members, not " + python::repr(item));
    set.add(*channel);
  }
  return set;
}

// `other` as a ChannelSet when it is one or an iterable of channels; nullopt otherwise
// (the operators then return NotImplemented).
std::optional<ChannelSet> as_channel_set(const py::object& other) {
  if (py::isinstance<ChannelSet>(other)) return other.cast<ChannelSet>();
  if (py::isinstance<py::str>(other) || !py::isinstance<py::iterable>(other)) return std::nullopt;
  try {
    return from_iterable(other);
  } catch (const py::type_error&) {
    return std::nullopt;
  }
}

py::list members(ChannelSet set) {
  py::list out;
  for (RequestChannel channel : all_request_channels)
    if (set.contains(channel)) out.append(py::cast(channel));
  return out;
}

template <class Op>
auto binary(Op op) {
  return [op](const ChannelSet& self, const py::object& other) -> py::object {
    auto that = as_channel_set(other);
    return that ? py::cast(op(self, *that)) : py::reinterpret_borrow<py::object>(Py_NotImplemented);
  };
}

}  // namespace

void bind_channel_set(py::module_& m) {
  py::class_<ChannelSet> cls(
      m, "ChannelSet",
      "The request channels an extension may start or steer supervision through. A small set of\n"
      "RequestChannel: `in`, iteration in channel order, len, |, &, == with sets. add() and remove()\n"
      "change it in place (so `profile.channels.remove(RequestChannel.web)` changes the profile);\n"
      "it is therefore unhashable. Any iterable of RequestChannel converts to one.");
  cls.def(py::init(&from_iterable), py::arg("channels") = py::tuple(), "The set of the given channels.")
      .def_static("none", &ChannelSet::none, "The empty set.")
      .def_static("all", &ChannelSet::all, "feature_code, dtmf, api and web.")
      .def_static("phone", &ChannelSet::phone, "What a desk phone can do: feature_code and dtmf.")
      .def_static("from_bits", &ChannelSet::from_bits, py::arg("bits"),
                  "From a bit mask (bit 0 feature_code, 1 dtmf, 2 api, 3 web); other bits are ignored.")
      .def_property_readonly("bits", &ChannelSet::bits, "The bit mask (bit 0 feature_code ... 3 web).")
      .def(
          "add", [](ChannelSet& self, RequestChannel channel) { self.add(channel); }, py::arg("channel"),
          "Adds `channel` (nothing happens when it is there already).")
      .def(
          "remove", [](ChannelSet& self, RequestChannel channel) { self.remove(channel); },
          py::arg("channel"), "Removes `channel`; unlike set.remove, no error when it is absent (as C++).")
      .def("__contains__",
           [](const ChannelSet& self, const py::object& item) {
             auto channel = as_channel(item);
             return channel && self.contains(*channel);
           })
      .def("__iter__", [](const ChannelSet& self) { return members(self).attr("__iter__")(); })
      .def("__len__", [](const ChannelSet& self) { return py::len(members(self)); })
      .def("__bool__", [](const ChannelSet& self) { return !self.empty(); })
      .def("__or__",
           binary([](ChannelSet a, ChannelSet b) { return ChannelSet::from_bits(a.bits() | b.bits()); }))
      .def("__ror__",
           binary([](ChannelSet a, ChannelSet b) { return ChannelSet::from_bits(a.bits() | b.bits()); }))
      .def("__and__",
           binary([](ChannelSet a, ChannelSet b) { return ChannelSet::from_bits(a.bits() & b.bits()); }))
      .def("__rand__",
           binary([](ChannelSet a, ChannelSet b) { return ChannelSet::from_bits(a.bits() & b.bits()); }))
      .def("__eq__", binary([](ChannelSet a, ChannelSet b) { return a == b; }))
      .def("__repr__",
           [](const ChannelSet& self) {
             std::string out;
             for (py::handle channel : members(self))
               out += (out.empty() ? "" : ", ") + python::repr(channel);
             return "ChannelSet([" + out + "])";
           })
      .def("__str__", &ChannelSet::to_string, "'feature_code|dtmf'; 'none' when empty.")
      .def("__reduce__", [](const py::object& self) {
        return py::make_tuple(py::type::of(self), py::make_tuple(members(self.cast<ChannelSet>())));
      });
  cls.attr("__hash__") = py::none();
  py::implicitly_convertible<py::iterable, ChannelSet>();
}

}  // namespace callsup::python
