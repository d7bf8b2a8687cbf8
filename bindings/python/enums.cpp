// The SDK's enums as Python enum.Enum classes; member names are the C++ names, which
// are also the stable strings of the JSON formats (Mode["whisper"] parses one).
#include "bindings.hpp"

#include "callsup/channel.hpp"
#include "callsup/mode.hpp"
#include "callsup/model/leg.hpp"
#include "callsup/model/profile.hpp"
#include "callsup/model/registry_event.hpp"
#include "callsup/session_choices.hpp"

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

  py::native_enum<SupervisionScope>(
      m, "SupervisionScope", "enum.Enum",
      "How far an extension's supervision reaches beyond what its roles, sites, groups and allow-list "
      "give it.")
      .value("assigned", SupervisionScope::assigned,
             "only what it is assigned: groups it supervises, sites it manages, its allow-list")
      .value("tenant", SupervisionScope::tenant,
             "any extension of its tenant ('monitor any call'), without being an administrator")
      .finalize();

  py::native_enum<RequestChannel>(
      m, "RequestChannel", "enum.Enum",
      "How a supervision request reached the service; policies may scope by it (ChannelSet).")
      .value("feature_code", RequestChannel::feature_code,
             "a dialled code ('*90744'), SupervisionService.dial")
      .value("dtmf", RequestChannel::dtmf, "a key pressed during a session (RFC 4733, SIP INFO)")
      .value("api", RequestChannel::api, "the integrator's own code")
      .value("web", RequestChannel::web, "a web console (a person clicking in a browser)")
      .finalize();

  // The choices of a session (callsup/session_choices.hpp): the model, routing, dial
  // plans and sessions all name them.
  py::native_enum<WhisperTo>(m, "WhisperTo", "enum.Enum", "Which party a whisper is aimed at.")
      .value("target", WhisperTo::target, "the supervised agent")
      .value("other_party", WhisperTo::other_party, "the other party of the call")
      .finalize();
  py::native_enum<ListenDirection>(m, "ListenDirection", "enum.Enum",
                                   "Which parties a listening or whispering supervisor hears.")
      .value("both", ListenDirection::both)
      .value("agent_only", ListenDirection::agent_only)
      .value("customer_only", ListenDirection::customer_only)
      .finalize();
  py::native_enum<AgentLeavesInBarge>(m, "AgentLeavesInBarge", "enum.Enum",
                                      "What happens when the agent hangs up while a supervisor is barging.")
      .value("end_call", AgentLeavesInBarge::end_call, "the PBX is asked to end the call")
      .value("supervisor_takes_over", AgentLeavesInBarge::supervisor_takes_over,
             "the PBX is asked to hand the call to the supervisor")
      .finalize();

  m.def("parse_request_channel", &parse_request_channel, py::arg("text"),
        "The channel named `text`; InvalidArgumentError naming it and the valid names otherwise.");
  m.def("request_channel_from_string", &request_channel_from_string, py::arg("text"),
        "The channel named `text`, or None.");
  m.def("parse_supervision_scope", &parse_supervision_scope, py::arg("text"),
        "The scope named `text` ('assigned', 'tenant'); InvalidArgumentError otherwise.");
}

}  // namespace callsup::python
