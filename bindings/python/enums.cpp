// The SDK's enums as Python enum.Enum classes; member names are the C++ names, which
// are also the stable strings of the JSON formats (Mode["whisper"] parses one).
#include "bindings.hpp"

#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/mode.hpp"
#include "callsup/model/leg.hpp"
#include "callsup/model/profile.hpp"
#include "callsup/model/registry_event.hpp"

namespace callsup::python {

void bind_enums(py::module_& m) {
  py::native_enum<Mode>(m, "Mode", "enum.Enum",
                        "Supervision mode. Ordered by value: listen (0) < whisper (1) < barge (2).")
      .value("listen", Mode::listen, "hears both parties, nobody hears the supervisor")
      .value("whisper", Mode::whisper, "the agent hears the supervisor, the customer does not")
      .value("barge", Mode::barge, "everybody hears everybody")
      .finalize();

  py::native_enum<Network>(m, "Network", "enum.Enum",
                           "Whether a leg is a PBX extension or an external number.")
      .value("on_net", Network::on_net, "one of the PBX's own extensions")
      .value("off_net", Network::off_net, "an external number")
      .finalize();

  py::native_enum<LegState>(m, "LegState", "enum.Enum",
                            "Signalling state of a leg. Only `up` legs carry audio.")
      .value("ringing", LegState::ringing)
      .value("up", LegState::up)
      .value("held", LegState::held)
      .value("gone", LegState::gone)
      .finalize();

  py::native_enum<Role>(m, "Role", "enum.Enum",
                        "What an extension is to the organisation; decides its scope.")
      .value("agent", Role::agent, "answers calls; no scope of its own")
      .value("supervisor", Role::supervisor, "supervises the members of the groups that name it a supervisor")
      .value("site_manager", Role::site_manager, "every extension of the sites it manages")
      .value("tenant_admin", Role::tenant_admin, "every extension of its tenant")
      .finalize();

  py::native_enum<RegistryEventKind>(m, "RegistryEventKind", "enum.Enum", "What changed in the CallRegistry.")
      .value("call_added", RegistryEventKind::call_added)
      .value("leg_added", RegistryEventKind::leg_added)
      .value("leg_state_changed", RegistryEventKind::leg_state_changed)
      .value("bridge_changed", RegistryEventKind::bridge_changed)
      .value("leg_transferred", RegistryEventKind::leg_transferred,
             "`leg_id` left, `new_leg_id` took its place in the same call")
      .value("leg_removed", RegistryEventKind::leg_removed)
      .value("call_ended", RegistryEventKind::call_ended)
      .finalize();

  py::native_enum<WhisperTo>(m, "WhisperTo", "enum.Enum", "Which party a whisper is aimed at.")
      .value("target", WhisperTo::target, "the supervised agent")
      .value("other_party", WhisperTo::other_party, "the other party of the call")
      .finalize();
}

}  // namespace callsup::python
