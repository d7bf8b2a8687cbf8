// SessionDefaults: per-layer session defaults (a plan's, a tenant's, an extension's), every
// SessionOptions field as an optional value (None: the layer below decides).
#include "bindings.hpp"

#include "callsup/model/session_defaults.hpp"

namespace callsup::python {

void bind_session_defaults(py::module_& m) {
  py::class_<SessionDefaults> defaults(
      m, "SessionDefaults",
      "Session defaults one layer sets (ChanSpy's per-user SPY_PARAMS, a tenant's usual options):\n"
      "each field that is not None overrides the layer below (service < plan < tenant <\n"
      "extension); a request's own SessionOptions replace them all. The fields mean what the\n"
      "SessionOptions fields of the same name mean.");
  def_struct(defaults, field("exit_on_target_hangup", &SessionDefaults::exit_on_target_hangup),
             field("stop_when_none_left", &SessionDefaults::stop_when_none_left),
             field("bridged_only", &SessionDefaults::bridged_only),
             field("announce", &SessionDefaults::announce),
             field("private_whisper", &SessionDefaults::private_whisper),
             field("listen_direction", &SessionDefaults::listen_direction),
             field("stereo", &SessionDefaults::stereo), field("volume_step", &SessionDefaults::volume_step),
             field("agent_leaves_in_barge", &SessionDefaults::agent_leaves_in_barge),
             field("notify_agent", &SessionDefaults::notify_agent),
             field("monitoring_tone", &SessionDefaults::monitoring_tone),
             field("follow_on_transfer", &SessionDefaults::follow_on_transfer),
             field("pre_arm", &SessionDefaults::pre_arm), field("whisper_to", &SessionDefaults::whisper_to));
  defaults.def("empty", &SessionDefaults::empty, "True when no field is set.")
      .def("validate", &SessionDefaults::validate,
           "Raises InvalidArgumentError naming a volume_step outside -4..4.")
      .def("over", &SessionDefaults::over, py::arg("below"),
           "These defaults layered over `below`: the fields set here win, the others are below's.");
}

}  // namespace callsup::python
