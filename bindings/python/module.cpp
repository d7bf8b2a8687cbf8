// The extension module callsup._core; the callsup package re-exports its public names.
#include "bindings.hpp"

#ifndef CALLSUP_VERSION_STRING
#error "CALLSUP_VERSION_STRING must be defined by the build (bindings/python/CMakeLists.txt)"
#endif

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  using namespace callsup::python;
  m.doc() = "callsup's C++ SDK (pybind11). Use it through the callsup package.";
  m.attr("__version__") = CALLSUP_VERSION_STRING;

  bind_errors(m);
  bind_enums(m);
  bind_mode_set(m);
  bind_channel_set(m);
  bind_session_defaults(m);  // before the records and plans that hold one
  bind_model(m);
  bind_subscriptions(m);  // before what returns them
  bind_call_registry(m);
  bind_profiles(m);
  bind_directory(m);
  bind_feature_codes(m);
  bind_clocks(m);
  bind_dialplan(m);
  // --- P2: policy, routes, audit, events, service ---
  bind_routes(m);
  bind_policy(m);
  bind_audit(m);
  bind_events(m);
  bind_service(m);
  bind_vendor(m);
  bind_testing(m);
  // --- end P2 ---
  // --- P3: media ---
  bind_mixer(m);  // before bind_media: MediaEngineConfig.mixer is a MixerBackend
  bind_media(m);
  // --- end P3 ---

  // Every public name, for `from callsup._core import *` in the package. A tuple, so
  // that the package's `__all__ += (...)` cannot change it.
  py::list names;
  for (py::handle name : m.attr("__dict__").attr("keys")())
    if (!name.cast<std::string>().starts_with("_")) names.append(name);
  names.attr("sort")();
  m.attr("__all__") = py::tuple(names);
}
