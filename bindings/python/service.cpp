// callsup Python bindings: the SupervisionService, the one entry point of bind_service().
#include "bindings.hpp"

#include <memory>
#include <optional>
#include <string>

#include "callsup/session/supervision_service.hpp"
#include "closing.hpp"
#include "gil_safe.hpp"
#include "service_bindings.hpp"
#include "service_handle.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

void bind_service_calls(py::class_<ServiceHandle, py::smart_holder>& cls) {
  cls.def(
         "add_plan",
         [](const ServiceHandle& h, const FeatureCodePlan& plan) {
           with_service(h, "add_plan", [&](SupervisionService& s) { s.add_plan(plan); });
         },
         "plan"_a,
         "Adds (or replaces) a plan tenants can name; validated against the directory's extension\n"
         "lengths and the reserved codes (InvalidArgumentError, invalid_plan, naming the clash).")
      .def(
          "plan",
          [](const ServiceHandle& h, const std::string& name) {
            return with_service(h, "plan", [&](SupervisionService& s) { return s.plan(name); });
          },
          "name"_a, "The plan called `name` (a preset or one of ServiceConfig.plans / add_plan).")
      .def(
          "plan_for_supervisor",
          [](const ServiceHandle& h, const std::string& supervisor) {
            return with_service(h, "plan_for_supervisor",
                                [&](SupervisionService& s) { return s.plan_for_supervisor(supervisor); });
          },
          "supervisor"_a, "The plan a supervisor's phone dials (its tenant's, or the default plan).")
      .def(
          "dial",
          [](const ServiceHandle& h, const LegId& supervisor_leg, const std::string& supervisor,
             const std::string& dialled, std::optional<SessionOptions> options) {
            return with_service(h, "dial", [&](SupervisionService& s) {
              return s.dial(supervisor_leg, supervisor, dialled, std::move(options));
            });
          },
          "supervisor_leg"_a, "supervisor"_a, "dialled"_a, "options"_a = py::none(),
          "The PBX hands over a dialled string and the supervisor's leg. Not a supervision code:\n"
          "status not_ours and nothing happens; a malformed one ('*90abc'): InvalidArgumentError.")
      .def(
          "start",
          [](const ServiceHandle& h, const StartRequest& request) {
            return with_service(h, "start", [&](SupervisionService& s) { return s.start(request); });
          },
          "request"_a, "Starts supervision through the API.")
      .def(
          "dtmf",
          [](const ServiceHandle& h, SessionId session, const std::string& digits) {
            return with_service(h, "dtmf", [&](SupervisionService& s) { return s.dtmf(session, digits); });
          },
          "session"_a, "digits"_a,
          "Digits the supervisor pressed (RFC 4733, SIP INFO or API): one ('1') or several in a row\n"
          "('*81'), fed one by one; returns the last digit's result. Digits after one that ended the\n"
          "session (the exit key) are ignored. InvalidArgumentError naming a digit that is not\n"
          "0-9 * # A-D (then no digit is fed), or for ''.")
      .def(
          "dtmf_from_leg",
          [](const ServiceHandle& h, const LegId& leg, const std::string& digits) {
            return with_service(h, "dtmf_from_leg",
                                [&](SupervisionService& s) { return s.dtmf_from_leg(leg, digits); });
          },
          "leg"_a, "digits"_a,
          "Digits from a leg (one, or several in a row as a SIP INFO may carry), routed to the\n"
          "session that leg supervises, as dtmf(); None when it supervises nothing (the PBX handles\n"
          "the digits itself). InvalidArgumentError naming a digit that is not 0-9 * # A-D.")
      .def(
          "poll",
          [](const ServiceHandle& h) {
            return with_service(h, "poll", [](SupervisionService& s) { return s.poll(); });
          },
          "Expires DTMF digits pending past the inter-digit timeout; returns how many sessions\n"
          "dropped pending digits.")
      .def(
          "switch_mode",
          [](const ServiceHandle& h, SessionId session, Mode mode, std::optional<WhisperTo> whisper_to,
             RequestChannel channel) {
            return with_service(h, "switch_mode", [&](SupervisionService& s) {
              return s.switch_mode(session, mode, whisper_to, channel);
            });
          },
          "session"_a, "mode"_a, "whisper_to"_a = py::none(), "channel"_a = RequestChannel::api,
          "Switches the mode, re-checking the decision: a mode the supervisor may not use here is\n"
          "refused (the session goes on); a session that lost its right ends. `channel` says where\n"
          "the switch came from (a web console says web); a channel the supervisor may not use is\n"
          "refused too (channel_not_allowed), the session going on. Returns the decision.")
      .def(
          "next",
          [](const ServiceHandle& h, SessionId session) {
            return with_service(h, "next", [&](SupervisionService& s) { return s.next(session); });
          },
          "session"_a,
          "Moves to the next call (spy-all) or the target's next call; False when there is none.")
      .def(
          "set_volume",
          [](const ServiceHandle& h, SessionId session, int step) {
            with_service(h, "set_volume", [&](SupervisionService& s) { s.set_volume(session, step); });
          },
          "session"_a, "step"_a, "Sets the volume step (-4..4) of what the supervisor hears.")
      .def(
          "stop",
          [](const ServiceHandle& h, SessionId session) {
            return with_service(h, "stop", [&](SupervisionService& s) { return s.stop(session); });
          },
          "session"_a, "Ends a session; False when it had already ended, NotFoundError for an unknown id.")
      .def(
          "add_tap",
          [](const ServiceHandle& h, const CallId& call, const Tap& tap) {
            with_service(h, "add_tap", [&](SupervisionService& s) { s.add_tap(call, tap); });
          },
          "call"_a, "tap"_a, "Attaches a recorder or transcriber to a call.")
      .def(
          "remove_tap",
          [](const ServiceHandle& h, const CallId& call, const LegId& tap_id) {
            with_service(h, "remove_tap", [&](SupervisionService& s) { s.remove_tap(call, tap_id); });
          },
          "call"_a, "tap_id"_a, "Detaches a tap (NotFoundError, unknown_leg, when there is none).")
      .def(
          "record_security",
          [](const ServiceHandle& h, std::string what, std::string extension, std::string detail) {
            const SecurityIncident incident{std::move(extension), std::move(what), std::move(detail)};
            with_service(h, "record_security", [&](SupervisionService& s) { s.record_security(incident); });
          },
          py::kw_only(), "what"_a, "extension"_a = "", "detail"_a = "",
          "Writes a security incident (bad credentials, ...) to the event and audit sinks as an\n"
          "EventKind.security record: rule = what, supervisor = the account claimed. ValueError\n"
          "when `what` is empty.");
}

void bind_service_queries(py::class_<ServiceHandle, py::smart_holder>& cls) {
  cls.def(
         "session",
         [](const ServiceHandle& h, SessionId id) {
           return with_service(h, "session", [&](SupervisionService& s) { return s.session(id); });
         },
         "id"_a, "A snapshot of the session, or None (unknown, or ended long ago).")
      .def(
          "sessions",
          [](const ServiceHandle& h) {
            return with_service(h, "sessions", [](SupervisionService& s) { return s.sessions(); });
          },
          "Snapshots of the sessions that have not ended.")
      .def(
          "sessions_on_call",
          [](const ServiceHandle& h, const CallId& call) {
            return with_service(h, "sessions_on_call",
                                [&](SupervisionService& s) { return s.sessions_on_call(call); });
          },
          "call"_a, "Snapshots of the live sessions on `call`.")
      .def(
          "routes",
          [](const ServiceHandle& h, const CallId& call) {
            return with_service(h, "routes",
                                [&](SupervisionService& s) { return copy_or_none(s.routes(call)); });
          },
          "call"_a,
          "A copy of the call's current routes; after the call ended, its final set (`ended` true)\n"
          "for the last ServiceConfig.ended_calls_kept ended calls; None for a call never seen.")
      .def_property_readonly(
          "route_conflicts",
          [](const ServiceHandle& h) {
            return with_service(h, "route_conflicts",
                                [](SupervisionService& s) { return s.route_conflicts(); });
          },
          "Route sets computed without a supervisor or tap whose id a PBX leg reused.")
      .def_property_readonly(
          "sink_failures",
          [](const ServiceHandle& h) {
            return with_service(h, "sink_failures", [](SupervisionService& s) { return s.sink_failures(); });
          },
          "Exceptions raised by sinks and route observers (caught: a sink never breaks the service).")
      .def_property_readonly(
          "last_sink_failure",
          [](const ServiceHandle& h) {
            return with_service(h, "last_sink_failure",
                                [](SupervisionService& s) { return s.last_sink_failure(); });
          },
          "The message of the last sink exception ('' when none).");
}

void bind_service_sinks(py::class_<ServiceHandle, py::smart_holder>& cls) {
  cls.def(
         "add_event_sink",
         [](const ServiceHandle& h, std::shared_ptr<EventSink> sink) {
           return with_service(h, "add_event_sink", [&](SupervisionService& s) {
             return std::make_unique<PySubscription>(s.add_event_sink(std::move(sink)));
           });
         },
         "sink"_a,
         "Every event from now on goes to `sink` (see EventSink for the thread it runs on) until the\n"
         "returned Subscription is closed.")
      .def(
          "add_audit_sink",
          [](const ServiceHandle& h, std::shared_ptr<AuditSink> sink) {
            return with_service(h, "add_audit_sink", [&](SupervisionService& s) {
              return std::make_unique<PySubscription>(s.add_audit_sink(std::move(sink)));
            });
          },
          "sink"_a,
          "Every audit record from now on goes to `sink` until the returned Subscription is closed.")
      .def(
          "add_route_observer",
          [](const ServiceHandle& h, const py::function& callback) {
            auto observer = [held = share_py(callback)](const SupervisionService::OnRoutesParam& p) {
              py::gil_scoped_acquire gil;
              const SdkCallbackScope in_callback;
              (*held)(RouteSet(*p.routes));  // a copy: the media plane shares the original
            };
            return with_service(h, "add_route_observer", [&](SupervisionService& s) {
              return std::make_unique<PySubscription>(s.add_route_observer(std::move(observer)));
            });
          },
          "callback"_a,
          "Calls callback(route_set) with every new RouteSet of every call, synchronously, on the\n"
          "thread that caused the change, after the service's locks are released, in version\n"
          "order per call; the GIL is held for the call only. An exception it raises is counted\n"
          "in sink_failures. Returns a Subscription.");
}

}  // namespace

void bind_supervision_service(py::module_& m) {
  py::class_<ServiceHandle, py::smart_holder> cls(
      m, "SupervisionService",
      "Runs supervision sessions over the PBX's CallRegistry and Directory.\n\n"
      "Every method may be called from any thread; each releases the GIL while the service\n"
      "works. The policy is called synchronously under the service's lock; event sinks,\n"
      "audit sinks and route observers are called after it is released, in order, on the\n"
      "thread that made the call (or the registry / directory change), before that call\n"
      "returns. Use it as a context manager, or close() it, to end its sessions.");
  cls.def(py::init([](std::shared_ptr<CallRegistry> registry, std::shared_ptr<Directory> directory,
                      std::shared_ptr<PermissionPolicy> policy, std::optional<PyServiceConfig> config) {
            std::shared_ptr<const PermissionPolicy> chosen = policy;
            if (!chosen) chosen = std::make_shared<StandardPolicy>();
            return std::make_unique<ServiceHandle>(std::move(registry), std::move(directory),
                                                   std::move(chosen), config.value_or(PyServiceConfig{}));
          }),
          "registry"_a, "directory"_a, "policy"_a = py::none(), "config"_a = py::none(),
          "Runs sessions over `registry` and `directory` (kept alive by the service) with `policy`\n"
          "(None: StandardPolicy()). Raises InvalidArgumentError (invalid_plan) for an unknown\n"
          "default plan or invalid plans.");
  bind_service_calls(cls);
  bind_service_queries(cls);
  bind_service_sinks(cls);
  def_closing(
      cls, [](ServiceHandle& h) { h.close(); }, [](const ServiceHandle& h) { return h.closed(); },
      "Ends the running sessions (reason shutdown, with their events and records) and releases\n"
      "the service; later calls raise RuntimeError. Idempotent; also done by `with` and when\n"
      "the object is collected.");
}

void bind_service(py::module_& m) {
  bind_session_values(m);
  bind_service_config(m);
  bind_supervision_service(m);
}

}  // namespace callsup::python
