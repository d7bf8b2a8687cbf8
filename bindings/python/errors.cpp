// ErrorCode and the translation of callsup::Error into callsup.Error (python/callsup/_errors.py).
#include "bindings.hpp"

#include <exception>

#include "callsup/error.hpp"

namespace callsup::python {

namespace {

enum class ErrorClass { error, invalid_argument, not_found };

// Which Python class carries a code: a bad value is also a ValueError, an unknown id
// also a LookupError, so plain Python code can catch them the usual way.
ErrorClass class_of(errc code) {
  switch (code) {
  case errc::invalid_argument:
  case errc::malformed_dial_string:
  case errc::invalid_plan:
  case errc::malformed_directory: return ErrorClass::invalid_argument;
  case errc::unknown_extension:
  case errc::unknown_tenant:
  case errc::unknown_group:
  case errc::unknown_call:
  case errc::unknown_leg:
  case errc::unknown_session: return ErrorClass::not_found;
  case errc::duplicate_id:
  case errc::session_ended:
  case errc::io_error: return ErrorClass::error;
  }
  return ErrorClass::error;
}

// The classes, set once at import and kept for the life of the process (the module that
// defines them is never unloaded).
PyObject* error_classes[3] = {};

void raise_python_error(const Error& error) {
  PyObject* cls = error_classes[static_cast<int>(class_of(error.code()))];
  py::object instance = py::reinterpret_borrow<py::object>(cls)(error.code(), error.what());
  PyErr_SetObject(cls, instance.ptr());
}

}  // namespace

void bind_errors(py::module_& m) {
  py::native_enum<errc>(m, "ErrorCode", "enum.Enum", "What a callsup.Error is about (C++ callsup::errc).")
      .value("invalid_argument", errc::invalid_argument, "a value outside its domain (empty id, bad name)")
      .value("unknown_extension", errc::unknown_extension, "no profile for this extension in the directory")
      .value("unknown_tenant", errc::unknown_tenant, "no settings for this tenant in the directory")
      .value("unknown_group", errc::unknown_group, "no group of this name in the directory")
      .value("unknown_call", errc::unknown_call, "no live call with this id")
      .value("unknown_leg", errc::unknown_leg, "no leg with this id")
      .value("unknown_session", errc::unknown_session, "no session with this id")
      .value("duplicate_id", errc::duplicate_id, "an id that already exists was added again")
      .value("malformed_dial_string", errc::malformed_dial_string,
             "a dialled string that matched a code but is not well formed")
      .value("invalid_plan", errc::invalid_plan, "a feature-code plan that is empty, ambiguous or collides")
      .value("session_ended", errc::session_ended, "an operation on a session that has already ended")
      .value("malformed_directory", errc::malformed_directory, "a directory document that cannot be loaded")
      .value("io_error", errc::io_error, "a file could not be opened or written")
      .finalize();

  py::module_ errors = py::module_::import("callsup._errors");
  auto keep = [&](ErrorClass which, const char* name) {
    error_classes[static_cast<int>(which)] = py::object(errors.attr(name)).release().ptr();
  };
  keep(ErrorClass::error, "Error");
  keep(ErrorClass::invalid_argument, "InvalidArgumentError");
  keep(ErrorClass::not_found, "NotFoundError");

  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const Error& error) {
      raise_python_error(error);
    }
  });
}

}  // namespace callsup::python
