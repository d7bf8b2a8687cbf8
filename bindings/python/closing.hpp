// callsup Python bindings: close(), `closed` and the context manager of a closable object.
#pragma once

#include <pybind11/pybind11.h>

namespace callsup::python {

/// Defines close() (calling `close(self)`, documented by `doc`), the `closed` property
/// (`is_closed(self)`, "True after close()."), and __enter__ / __exit__, so that `with obj:`
/// closes it.
template <class T, class... Extra, class Close, class IsClosed>
void def_closing(pybind11::class_<T, Extra...>& cls, Close close, IsClosed is_closed, const char* doc) {
  namespace py = pybind11;
  cls.def("close", close, doc)
      .def_property_readonly("closed", is_closed, "True after close().")
      .def("__enter__", [](const py::object& self) { return self; })
      .def(
          "__exit__",
          [close](T& self, const py::object&, const py::object&, const py::object&) { close(self); },
          py::arg("exc_type"), py::arg("exc_value"), py::arg("traceback"));
}

}  // namespace callsup::python
