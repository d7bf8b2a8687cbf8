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
  def_struct(
      defaults,
      field(
          "exit_on_target_hangup", &SessionDefaults::exit_on_target_hangup,
          "When set, overrides SessionOptions.exit_on_target_hangup; None: inherited from the level below."),
      field("stop_when_none_left", &SessionDefaults::stop_when_none_left,
            "When set, overrides SessionOptions.stop_when_none_left; None: inherited from the level below."),
      field("bridged_only", &SessionDefaults::bridged_only,
            "When set, overrides SessionOptions.bridged_only; None: inherited from the level below."),
      field("announce", &SessionDefaults::announce,
            "When set, overrides SessionOptions.announce; None: inherited from the level below."),
      field("private_whisper", &SessionDefaults::private_whisper,
            "When set, overrides SessionOptions.private_whisper; None: inherited from the level below."),
      field("listen_direction", &SessionDefaults::listen_direction,
            "When set, overrides SessionOptions.listen_direction; None: inherited from the level below."),
      field("stereo", &SessionDefaults::stereo,
            "When set, overrides SessionOptions.stereo; None: inherited from the level below."),
      field("volume_step", &SessionDefaults::volume_step,
            "When set, overrides SessionOptions.volume_step; None: inherited from the level below."),
      field(
          "agent_leaves_in_barge", &SessionDefaults::agent_leaves_in_barge,
          "When set, overrides SessionOptions.agent_leaves_in_barge; None: inherited from the level below."),
      field("notify_agent", &SessionDefaults::notify_agent,
            "When set, overrides SessionOptions.notify_agent; None: inherited from the level below."),
      field("monitoring_tone", &SessionDefaults::monitoring_tone,
            "When set, overrides SessionOptions.monitoring_tone; None: inherited from the level below."),
      field("follow_on_transfer", &SessionDefaults::follow_on_transfer,
            "When set, overrides SessionOptions.follow_on_transfer; None: inherited from the level below."),
      field("pre_arm", &SessionDefaults::pre_arm,
            "When set, overrides SessionOptions.pre_arm; None: inherited from the level below."),
      field("whisper_to", &SessionDefaults::whisper_to,
            "When set, overrides SessionOptions.whisper_to; None: inherited from the level below."));
  defaults.def("empty", &SessionDefaults::empty, "True when no field is set.")
      .def("validate", &SessionDefaults::validate,
           "Raises InvalidArgumentError naming a volume_step outside -4..4.")
      .def("over", &SessionDefaults::over, py::arg("below"),
           "These defaults layered over `below`: the fields set here win, the others are below's.");
}

}  // namespace callsup::python
