// callsup Python bindings: the values around a session — options (and ChanSpy letters),
// start requests and outcomes, session snapshots.
#include "bindings.hpp"

#include "callsup/session/service_types.hpp"
#include "callsup/session/session_options.hpp"
#include "service_bindings.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

void bind_session_enums(py::module_& m) {
  py::native_enum<SessionState>(
      m, "SessionState", "enum.Enum",
      "armed: waiting for the target's next call; active: supervising; ended: for good.")
      .value("armed", SessionState::armed)
      .value("active", SessionState::active)
      .value("ended", SessionState::ended)
      .finalize();
}

void bind_session_options(py::module_& m) {
  m.attr("min_volume_step") = min_volume_step;
  m.attr("max_volume_step") = max_volume_step;

  py::classh<SessionOptions> options(
      m, "SessionOptions",
      "Options of one supervision session (docs/sessions.md). The defaults are what a\n"
      "PBX engineer expects from 'listen to extension X'.");
  def_struct(options, field("exit_on_target_hangup", &SessionOptions::exit_on_target_hangup),
             field("stop_when_none_left", &SessionOptions::stop_when_none_left),
             field("bridged_only", &SessionOptions::bridged_only),
             field("announce", &SessionOptions::announce),
             field("private_whisper", &SessionOptions::private_whisper),
             field("listen_direction", &SessionOptions::listen_direction),
             field("stereo", &SessionOptions::stereo), field("volume_step", &SessionOptions::volume_step),
             field("agent_leaves_in_barge", &SessionOptions::agent_leaves_in_barge),
             field("notify_agent", &SessionOptions::notify_agent),
             field("monitoring_tone", &SessionOptions::monitoring_tone),
             field("follow_on_transfer", &SessionOptions::follow_on_transfer),
             field("pre_arm", &SessionOptions::pre_arm), field("whisper_to", &SessionOptions::whisper_to));
  options
      .def("validate", &SessionOptions::validate,
           "Raises InvalidArgumentError naming a bad value (volume_step outside -4..4).")
      .def("with_defaults", &SessionOptions::with, "defaults"_a,
           "These options with the fields `defaults` sets replaced (C++ SessionOptions::with).");

  py::classh<ChanSpyOptions> chanspy(m, "ChanSpyOptions", "Session options and the mode to start in.");
  def_struct(chanspy, field("options", &ChanSpyOptions::options),
             field("initial_mode", &ChanSpyOptions::initial_mode));
  m.def("parse_chanspy_options", &parse_chanspy_options, "letters"_a, "base"_a = SessionOptions(),
        "Applies Asterisk ChanSpy option letters (E S b q s W w B o n(...) v(N) d) to `base`;\n"
        "raises InvalidArgumentError naming an unknown letter or a bad argument.");
  m.def("chanspy_defaults", &chanspy_defaults, "letters"_a,
        "The SessionDefaults ChanSpy option letters stand for (a user's SPY_PARAMS): every field the\n"
        "letters control is set, absent letters meaning ChanSpy's defaults (no E, no S, announce\n"
        "on). The mode letters (w, W, B) are not defaults: the dialled code decides the mode.");
}

void bind_requests(py::module_& m) {
  py::classh<StartRequest> request(m, "StartRequest",
                                   "An API request to supervise `target` (the agent's extension) or, with\n"
                                   "`any_call`, the tenant's calls (spy-all). `options` None: the service's\n"
                                   "default options with the plan's, the tenant's and the supervisor's\n"
                                   "session defaults over them; `call`: this call only (with no target:\n"
                                   "the call's agent, its first on-net party that is up and supervises\n"
                                   "nothing); `channel`: how the request came in (web consoles say web).");
  def_struct(request, field("supervisor_leg", &StartRequest::supervisor_leg),
             field("supervisor", &StartRequest::supervisor), field("target", &StartRequest::target),
             field("any_call", &StartRequest::any_call), field("mode", &StartRequest::mode),
             field("options", &StartRequest::options), field("call", &StartRequest::call),
             field("channel", &StartRequest::channel));

  py::classh<StartOutcome> outcome(m, "StartOutcome",
                                   "What a dial or start request led to; true in a boolean context when the\n"
                                   "session started or was armed. `session` is 0 unless it did.");
  py::native_enum<StartOutcome::Status>(outcome, "Status", "enum.Enum", "How a request ended.")
      .value("started", StartOutcome::Status::started)
      .value("armed", StartOutcome::Status::armed, "waiting for a call it may supervise")
      .value("denied", StartOutcome::Status::denied, "see `decision`")
      .value("not_ours", StartOutcome::Status::not_ours, "not a supervision code: nothing happened")
      .finalize();
  def_record(outcome, field("status", &StartOutcome::status), field("session", &StartOutcome::session),
             field("decision", &StartOutcome::decision));
  outcome.def_property_readonly("ok", &StartOutcome::ok, "started or armed")
      .def("__bool__", &StartOutcome::ok);

  py::classh<SessionInfo> info(m, "SessionInfo", "A copy of a session's state, safe to keep.");
  def_record(info, field("id", &SessionInfo::id), field("state", &SessionInfo::state),
             field("tenant", &SessionInfo::tenant), field("supervisor", &SessionInfo::supervisor),
             field("supervisor_leg", &SessionInfo::supervisor_leg), field("any_call", &SessionInfo::any_call),
             field("target", &SessionInfo::target), field("call", &SessionInfo::call),
             field("target_leg", &SessionInfo::target_leg), field("whisper_leg", &SessionInfo::whisper_leg),
             field("mode", &SessionInfo::mode), field("allowed_modes", &SessionInfo::allowed_modes),
             field("options", &SessionInfo::options), field("channel", &SessionInfo::channel),
             field("end_reason", &SessionInfo::end_reason),
             field("end_decision", &SessionInfo::end_decision));
}

}  // namespace

void bind_session_values(py::module_& m) {
  bind_session_enums(m);
  bind_session_options(m);
  bind_requests(m);
}

}  // namespace callsup::python
