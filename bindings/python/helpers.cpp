// Definitions of the shared helpers declared in bindings.hpp.
#include "bindings.hpp"

#include <pybind11/gil_safe_call_once.h>

namespace callsup::python {

std::string repr(py::handle value) {
  // Looked up once; gil_safe_call_once_and_store avoids a deadlock between the GIL and
  // the guard of a plain function-local static.
  PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> enum_type;
  const py::object& enum_class =
      enum_type
          .call_once_and_store_result([] { return py::object(py::module_::import("enum").attr("Enum")); })
          .get_stored();
  if (py::isinstance(value, enum_class)) {
    // Mode.listen rather than <Mode.listen: 0>; nested enums keep their owner (DtmfResult.Kind.command).
    return py::type::handle_of(value).attr("__qualname__").cast<std::string>() + "." +
           value.attr("name").cast<std::string>();
  }
  return py::repr(value).cast<std::string>();
}

}  // namespace callsup::python
