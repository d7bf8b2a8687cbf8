// Feature-code plans: their parts, the presets of common PBXs, and validation.
#include "bindings.hpp"

#include "callsup/dialplan/presets.hpp"
#include "callsup/dialplan/validate.hpp"

namespace callsup::python {

namespace {

void bind_dtmf_command(py::module_& m) {
  py::class_<DtmfCommand> cls(
      m, "DtmfCommand",
      "What a DTMF code asks the running session to do. `whisper_to` (switch_mode to\n"
      "whisper only): who hears it; None: the session's whisper_to option.");
  py::native_enum<DtmfCommand::Action>(cls, "Action", "enum.Enum", "The kind of DTMF command.")
      .value("switch_mode", DtmfCommand::Action::switch_mode, "switch to `mode`")
      .value("next_target", DtmfCommand::Action::next_target, "move on to the next call (spy-all cycling)")
      .value("exit", DtmfCommand::Action::exit, "leave the supervision session")
      .finalize();
  def_struct(cls,
             field("action", &DtmfCommand::action,
                   "What the session is asked to do: switch the mode, move to the next call, or leave."),
             field("mode", &DtmfCommand::mode, "The mode to switch to (switch_mode only)."),
             field("whisper_to", &DtmfCommand::whisper_to,
                   "Switching to whisper only: who hears it; None: the session's whisper_to option."));
  cls.def_static("switch_to", &DtmfCommand::switch_to, py::arg("mode"), py::arg("whisper_to") = py::none(),
                 "Switch to `mode`; a whisper aimed at `whisper_to`, None: as the session's\n"
                 "whisper_to option says.")
      .def_static("next", &DtmfCommand::next, "Move on to the next call to supervise.")
      .def_static("leave", &DtmfCommand::leave, "Leave the supervision session.");
}

}  // namespace

void bind_feature_codes(py::module_& m) {
  bind_dtmf_command(m);

  py::class_<DialCode> dial(m, "DialCode", "A dial prefix: '*90' + extension -> listen to that extension.");
  def_struct(dial, field("prefix", &DialCode::prefix, "The digits dialled before the extension, e.g. '*90'."),
             field("mode", &DialCode::mode, "The mode the supervision starts in."));

  py::class_<DtmfCode> dtmf(m, "DtmfCode", "A DTMF code pressed during a session: '1' -> whisper.");
  def_struct(dtmf, field("digits", &DtmfCode::digits, "The keys pressed, e.g. '1' or '*81'."),
             field("command", &DtmfCode::command, "What pressing them asks the session to do."));

  py::class_<FeatureCodePlan> plan(
      m, "FeatureCodePlan",
      "The supervision codes of one PBX (or tenant), and the session defaults its "
      "sessions start with. Check it with validate(); DialParser and DtmfSwitch "
      "refuse invalid plans.");
  def_struct(
      plan,
      field("name", &FeatureCodePlan::name,
            "The plan's name (a vendor, e.g. 'tronic', or a tenant's own); services look plans up by it."),
      field("dial_codes", &FeatureCodePlan::dial_codes,
            "The dial prefixes that start supervision; several may share a mode."),
      field("spy_any_code", &FeatureCodePlan::spy_any_code,
            "The bare code that supervises any call (spy-all); '' when none."),
      field("spy_any_mode", &FeatureCodePlan::spy_any_mode, "The mode spy-all sessions start in."),
      field("dtmf_codes", &FeatureCodePlan::dtmf_codes,
            "The DTMF codes pressed during a session, next-target and exit keys included."),
      field("inter_digit_timeout", &FeatureCodePlan::inter_digit_timeout,
            "How long to wait for the next digit of an incomplete DTMF code before discarding it."),
      field("session_defaults", &FeatureCodePlan::session_defaults,
            "What sessions started under this plan default to; tenant and extension defaults override it."));
  plan.def("key_for", &FeatureCodePlan::key_for, py::arg("mode"),
           "The DTMF code that switches a running session to `mode` (the first one; a whisper key\n"
           "aimed explicitly at the other party only when there is no other), for a UI to show\n"
           "'press 1 to whisper'; None when the plan has none.")
      .def("dial_code_for", &FeatureCodePlan::dial_code_for, py::arg("mode"),
           "The dial prefix that starts supervision in `mode` ('*91' for whisper on portaswitch);\n"
           "None when no code of the plan starts in that mode.");

  py::class_<PlanContext> context(
      m, "PlanContext",
      "What the PBX around a plan looks like: its extension lengths and the codes "
      "its phones already use.");
  def_struct(context,
             field("extension_lengths", &PlanContext::extension_lengths,
                   "The lengths of the PBX's extensions, e.g. {3, 4}."),
             field("reserved_codes", &PlanContext::reserved_codes,
                   "The codes the integrator uses for its phones (voicemail, pickup...)."));

  m.def("plan_problems", &plan_problems, py::arg("plan"), py::arg("context") = PlanContext{},
        "Every problem of the plan, each naming the codes concerned; empty when valid.");
  m.def("validate", &validate, py::arg("plan"), py::arg("context") = PlanContext{},
        "Raises InvalidArgumentError (invalid_plan) listing every problem, joined with '; '.");

  m.def("preset_names", &preset_names, "Names accepted by preset(), in a stable order.");
  m.def("preset", &preset, py::arg("name"),
        "The preset plan called `name`; InvalidArgumentError naming it and the valid names otherwise.");
  m.def("portaswitch_plan", &portaswitch_plan, "Dial *90/*91/*92 + ext; DTMF 0/1/2 switch, # exits.");
  m.def("star91_plan", &star91_plan, "Dial *91/*92/*93 + ext; DTMF 4/5/6, * next target, # exits.");
  m.def("stratus_plan", &stratus_plan, "Dial 007 + ext to listen; DTMF *80/*81/*82, # exits.");
  m.def("tronic_plan", &tronic_plan, "*95 + ext, bare *95 for any call; DTMF 4/5/6, * next, # exits.");
  m.def("asterisk_chanspy_plan", &asterisk_chanspy_plan,
        "555 + ext, bare 555 for any call; DTMF 4/5/6, *, #.");
  m.def("freeswitch_eavesdrop_plan", &freeswitch_eavesdrop_plan,
        "88 + ext, 779 for any call; DTMF 0 listen, 1/2 whisper to agent/other party, 3 barge, *, #.");
}

}  // namespace callsup::python
