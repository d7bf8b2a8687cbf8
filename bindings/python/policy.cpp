// callsup Python bindings: permission policy — requests, decisions, StandardPolicy,
// AllOfPolicy, and PermissionPolicy subclasses written in Python.
#include "bindings.hpp"

#include <memory>
#include <string>
#include <vector>

#include "callsup/policy/standard_policy.hpp"
#include "gil_safe.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

/// Lets Python subclasses implement decide(). The service calls it under its lock from
/// whichever thread made the service call; the GIL is taken for the call only.
class PyPermissionPolicy final : public PermissionPolicy, public py::trampoline_self_life_support {
 public:
  Decision decide(const SupervisionRequest& request, const Call& call,
                  const Directory& directory) const override {
    py::gil_scoped_acquire gil;
    const LockedCallbackScope locked;
    const SdkCallbackScope in_callback;
    const py::function override = py::get_override(static_cast<const PermissionPolicy*>(this), "decide");
    if (!override)
      throw py::type_error("PermissionPolicy subclass " + std::string(py::str(py::type::of(py::cast(this)))) +
                           " does not implement decide(request, call, directory)");
    // The request and call are copies (the call is a snapshot that dies with this
    // decision); the directory is the live one, as the service sees it.
    const py::object result =
        override(request, call, py::cast(&directory, py::return_value_policy::reference));
    if (!py::isinstance<Decision>(result))
      throw py::type_error("PermissionPolicy.decide() must return a callsup.Decision, got " +
                           std::string(py::repr(result)));
    return result.cast<Decision>();
  }
};

void bind_request(py::module_& m) {
  py::classh<SupervisionRequest> request(
      m, "SupervisionRequest",
      "A request by `supervisor` to supervise `target` (an agent of the call\n"
      "handed to the policy with it) in `mode`. `any_call`: reached through\n"
      "a spy-all code; `bridged_only`: the session's own option;\n"
      "`other_supervisors` / `other_bargers`: the sessions on the call that\n"
      "count against the tenant's caps; `channel`: how the request came in (a\n"
      "re-check carries the channel the session last used).");
  def_struct(
      request, field("supervisor", &SupervisionRequest::supervisor, "The supervisor's extension."),
      field("target", &SupervisionRequest::target, "The supervised agent's extension."),
      field("mode", &SupervisionRequest::mode, "The mode asked for."),
      field("any_call", &SupervisionRequest::any_call,
            "True when reached through a spy-all code (informative)."),
      field("bridged_only", &SupervisionRequest::bridged_only,
            "The session's own bridged-only option (on top of the tenant's)."),
      field("other_supervisors", &SupervisionRequest::other_supervisors,
            "Sessions on the call that count against the cap."),
      field("other_bargers", &SupervisionRequest::other_bargers, "Of the other sessions, the ones barging."),
      field(
          "channel", &SupervisionRequest::channel,
          "How the request came in (dialled code, key, API or web console); re-checks carry the last one."));
}

void bind_decision(py::module_& m) {
  py::classh<Decision> decision(m, "Decision",
                                "A policy's answer: allowed or denied, the modes the supervisor may use on\n"
                                "this call, the reason and the name of the rule that decided. True in a\n"
                                "boolean context when allowed.");
  def_struct(
      decision, field("allowed", &Decision::allowed, "True when the supervision may go ahead."),
      field("modes", &Decision::modes,
            "The modes the supervisor may use on this call (may be non-empty on a denial)."),
      field("reason", &Decision::reason, "Why; Reason.allowed when allowed."),
      field("rule", &Decision::rule, "The name of the rule that decided (rules.*, or an integrator's own)."));
  decision.def_static("allow", &Decision::allow, "modes"_a, "rule"_a = "allowed", "An allowing decision.")
      .def_static("deny", &Decision::deny, "reason"_a, "rule"_a, "modes"_a = ModeSet::none(),
                  "A denying decision with its reason and rule.")
      .def("__bool__", [](const Decision& d) { return d.allowed; });
}

void bind_policies(py::module_& m) {
  py::classh<PermissionPolicy, PyPermissionPolicy>(
      m, "PermissionPolicy",
      "Decides who may supervise whom. Subclass it and implement\n"
      "decide(request, call, directory) -> Decision.\n\n"
      "The service calls decide() synchronously, under its lock, on the thread that made\n"
      "the service call (or changed the registry or directory), with the GIL held for the\n"
      "call only. decide() must not call back into the SupervisionService, nor change the\n"
      "registry or directory; an exception it raises denies the request (reason custom,\n"
      "rule 'policy_error: ...').")
      .def(py::init<>())
      .def("decide", &PermissionPolicy::decide, "request"_a, "call"_a, "directory"_a,
           py::call_guard<py::gil_scoped_release>(), "The decision for `request` on `call`.");

  std::vector<std::string> rule_names;
  for (auto rule : {rules::directory, rules::tenant_enabled, rules::same_tenant, rules::may_supervise,
                    rules::channel, rules::not_self, rules::privacy, rules::scope, rules::mode_granted,
                    rules::bridged_only, rules::whisper_topology, rules::caps})
    rule_names.emplace_back(rule);

  py::classh<StandardPolicy, PermissionPolicy>(
      m, "StandardPolicy", py::is_final(),
      "The standard rules of docs/policy.md, checked in order; the first that fails decides.")
      .def(py::init<>())
      .def(
          "decide",
          [](const StandardPolicy& policy, const SupervisionRequest& request, const Call& call,
             const Directory& directory) { return policy.decide(request, call, directory); },
          "request"_a, "call"_a, "directory"_a, py::call_guard<py::gil_scoped_release>(),
          "The decision for `request` on `call`.")
      .def_static(
          "in_scope",
          [](const ExtensionProfile& supervisor, const ExtensionProfile& target, const Call& call,
             const Directory& directory) {
            return StandardPolicy::in_scope(supervisor, target, call, directory);
          },
          "supervisor"_a, "target"_a, "call"_a, "directory"_a,
          "Whether `target` (on `call`) is within `supervisor`'s scope.")
      .def_static("agent_talks_to_outside", &StandardPolicy::agent_talks_to_outside, "call"_a, "agent"_a,
                  "The whisper topology: the agent is on-net and every other party off-net.")
      .def("__repr__", [](const StandardPolicy&) { return "StandardPolicy()"; });
  py::type::of<StandardPolicy>().attr("rules") = py::tuple(py::cast(rule_names));

  py::classh<AllOfPolicy, PermissionPolicy>(
      m, "AllOfPolicy", py::is_final(),
      "Every policy must allow; the first denial wins and the allowed modes are the\n"
      "intersection. Composes StandardPolicy with rules of your own (Python or C++).")
      .def(py::init([](const std::vector<std::shared_ptr<PermissionPolicy>>& policies) {
             // Each element keeps its Python object (and a Python subclass's methods) alive.
             return std::make_shared<AllOfPolicy>(
                 std::vector<std::shared_ptr<const PermissionPolicy>>(policies.begin(), policies.end()));
           }),
           "policies"_a)
      .def(
          "decide",
          [](const AllOfPolicy& policy, const SupervisionRequest& request, const Call& call,
             const Directory& directory) { return policy.decide(request, call, directory); },
          "request"_a, "call"_a, "directory"_a, py::call_guard<py::gil_scoped_release>(),
          "The combined decision for `request` on `call`.");
}

}  // namespace

void bind_policy(py::module_& m) {
  py::native_enum<Reason> reason(
      m, "Reason", "enum.Enum", "Why a request was allowed or denied; the names are stable (audit records).");
  for (Reason value : all_reasons) reason.value(std::string(to_string(value)).c_str(), value);
  reason.finalize();

  bind_request(m);
  bind_decision(m);
  bind_policies(m);
}

}  // namespace callsup::python
