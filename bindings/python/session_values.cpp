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
  def_struct(
      options,
      field("exit_on_target_hangup", &SessionOptions::exit_on_target_hangup,
            "End when the agent leaves; False: move to another call, as ChanSpy without E does."),
      field("stop_when_none_left", &SessionOptions::stop_when_none_left,
            "End when the call is over and no other call is there to move to; False: wait, armed, for one."),
      field("bridged_only", &SessionOptions::bridged_only, "Supervise only bridged calls."),
      field("announce", &SessionOptions::announce,
            "Announce the target before listening (the PBX plays it)."),
      field("private_whisper", &SessionOptions::private_whisper, "While whispering, hear nothing."),
      field("listen_direction", &SessionOptions::listen_direction,
            "In listen: hear both parties, or only the agent or the customer."),
      field("stereo", &SessionOptions::stereo, "Agent on the left, the rest on the right."),
      field("volume_step", &SessionOptions::volume_step,
            "-4..+4, 3 dB per step, on what the supervisor hears."),
      field(
          "agent_leaves_in_barge", &SessionOptions::agent_leaves_in_barge,
          "In barge, when the agent leaves: the PBX is asked to end the call or hand it to the supervisor."),
      field("notify_agent", &SessionOptions::notify_agent,
            "Tell the agent on whisper and barge (never on listen)."),
      field("monitoring_tone", &SessionOptions::monitoring_tone,
            "The parties hear a periodic tone while supervised."),
      field("follow_on_transfer", &SessionOptions::follow_on_transfer,
            "Stay with the customer when the agent transfers it."),
      field("pre_arm", &SessionOptions::pre_arm, "On an idle extension, wait for its next call."),
      field("whisper_to", &SessionOptions::whisper_to,
            "Who hears a whisper: the target (agent) or the other party."));
  options
      .def("validate", &SessionOptions::validate,
           "Raises InvalidArgumentError naming a bad value (volume_step outside -4..4).")
      .def("with_defaults", &SessionOptions::with, "defaults"_a,
           "These options with the fields `defaults` sets replaced (C++ SessionOptions::with).");

  py::classh<ChanSpyOptions> chanspy(m, "ChanSpyOptions", "Session options and the mode to start in.");
  def_struct(chanspy,
             field("options", &ChanSpyOptions::options, "The options the letters set, over the base given."),
             field("initial_mode", &ChanSpyOptions::initial_mode,
                   "The mode the letters ask to start in (w: whisper, B: barge)."));
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
  def_struct(
      request,
      field("supervisor_leg", &StartRequest::supervisor_leg,
            "The supervisor's leg on the PBX, which will hear the call."),
      field("supervisor", &StartRequest::supervisor, "The supervisor's extension."),
      field("target", &StartRequest::target, "The agent to supervise; '' with any_call or call."),
      field("any_call", &StartRequest::any_call, "Spy-all: the service picks the tenant's calls itself."),
      field("mode", &StartRequest::mode, "The mode to start in."),
      field("options", &StartRequest::options,
            "None: ServiceConfig.default_options with the plan's, tenant's and supervisor's session defaults "
            "over it."),
      field("call", &StartRequest::call, "This call only; '' when any."),
      field("channel", &StartRequest::channel, "How the request came in (web consoles say web)."));

  py::classh<StartOutcome> outcome(m, "StartOutcome",
                                   "What a dial or start request led to; true in a boolean context when the\n"
                                   "session started or was armed. `session` is 0 unless it did.");
  py::native_enum<StartOutcome::Status>(outcome, "Status", "enum.Enum", "How a request ended.")
      .value("started", StartOutcome::Status::started)
      .value("armed", StartOutcome::Status::armed, "waiting for a call it may supervise")
      .value("denied", StartOutcome::Status::denied, "see `decision`")
      .value("not_ours", StartOutcome::Status::not_ours, "not a supervision code: nothing happened")
      .finalize();
  def_record(outcome,
             field("status", &StartOutcome::status, "What happened: started, armed, denied or not_ours."),
             field("session", &StartOutcome::session, "The session started or armed; 0 otherwise."),
             field("decision", &StartOutcome::decision, "The policy's decision (for a denial: why)."));
  outcome.def_property_readonly("ok", &StartOutcome::ok, "started or armed")
      .def("__bool__", &StartOutcome::ok);

  py::classh<SessionInfo> info(m, "SessionInfo", "A copy of a session's state, safe to keep.");
  def_record(
      info, field("id", &SessionInfo::id, "The session's id, unique in the service."),
      field("state", &SessionInfo::state, "Armed, active or ended."),
      field("tenant", &SessionInfo::tenant, "The tenant (the supervisor's and the call's)."),
      field("supervisor", &SessionInfo::supervisor, "The supervisor's extension."),
      field("supervisor_leg", &SessionInfo::supervisor_leg, "The supervisor's leg on the PBX."),
      field("any_call", &SessionInfo::any_call,
            "True for a spy-all session, which cycles over the tenant's calls."),
      field("target", &SessionInfo::target, "The agent's extension (for spy-all: of the current call)."),
      field("call", &SessionInfo::call, "The supervised call; '' while armed."),
      field("target_leg", &SessionInfo::target_leg, "The supervised agent's leg; '' while armed."),
      field("whisper_leg", &SessionInfo::whisper_leg,
            "Who hears the whisper (the target or the other party)."),
      field("mode", &SessionInfo::mode, "The current mode."),
      field("allowed_modes", &SessionInfo::allowed_modes, "The modes allowed by the last decision."),
      field("options", &SessionInfo::options, "The options the session runs with."),
      field("channel", &SessionInfo::channel, "How the request that last steered it came in."),
      field("end_reason", &SessionInfo::end_reason, "Why it ended; EndReason.none while it runs."),
      field("end_decision", &SessionInfo::end_decision, "With permission_lost: the policy's reason."));
}

}  // namespace

void bind_session_values(py::module_& m) {
  bind_session_enums(m);
  bind_session_options(m);
  bind_requests(m);
}

}  // namespace callsup::python
