// Dialled strings and DTMF digits: DialParser, DtmfSwitch and what they return.
#include "bindings.hpp"

#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"

namespace callsup::python {

namespace {

// The clock of a DtmfSwitch built without one.
const Clock& steady_clock() {
  static const SteadyClock clock;
  return clock;
}

char one_digit(const std::string& digit) {
  if (digit.size() != 1)
    throw Error(errc::invalid_argument,
                "DTMF digit " + quoted_text(digit) + " is not a single character (0-9 * # A-D)");
  return digit[0];
}

void bind_results(py::module_& m) {
  py::class_<DialRequest> request(m, "DialRequest", "A recognised supervision request.");
  def_struct(request, field("mode", &DialRequest::mode, "The mode the dial code asks for."),
             field("target", &DialRequest::target, "The extension to supervise; '' when any_call."),
             field("any_call", &DialRequest::any_call, "True when the spy-all code was dialled."),
             field("code", &DialRequest::code, "The dial code or spy-all code that matched."));

  py::class_<DtmfResult> result(m, "DtmfResult", "The outcome of one DtmfSwitch.feed or poll.");
  py::native_enum<DtmfResult::Kind>(result, "Kind", "enum.Enum", "What a DTMF digit led to.")
      .value("pending", DtmfResult::Kind::pending, "nothing decided yet (digits: what is buffered)")
      .value("command", DtmfResult::Kind::command, "a code was completed (digits: the code)")
      .value("unrecognised", DtmfResult::Kind::unrecognised, "digits that match no code were discarded")
      .value("timed_out", DtmfResult::Kind::timed_out, "an incomplete code was discarded after the timeout")
      .finalize();
  def_struct(result, field("kind", &DtmfResult::kind, "What was decided; the other fields say about what."),
             field("command", &DtmfResult::command, "The command, when kind is command."),
             field("digits", &DtmfResult::digits,
                   "The digits consumed by this outcome (the code, or the discarded sequence)."));
}

}  // namespace

void bind_dialplan(py::module_& m) {
  bind_results(m);

  py::class_<DialParser>(m, "DialParser", "Recognises supervision codes in dialled strings. Immutable.")
      .def(py::init<FeatureCodePlan>(), py::arg("plan"),
           "Raises InvalidArgumentError (invalid_plan) for a bad plan.")
      .def("parse", &DialParser::parse, py::arg("dialled"),
           "The request, or None when the string is not a supervision code. Raises "
           "InvalidArgumentError (malformed_dial_string) naming the string when it starts with a "
           "dial code but the rest is not an extension, or has characters other than 0-9 * # +.")
      .def_property_readonly("plan", &DialParser::plan, "The plan it parses against.");

  py::class_<DtmfSwitch>(
      m, "DtmfSwitch", "Turns one supervisor's DTMF digits into commands. Not thread-safe: one per session.")
      .def(py::init([](FeatureCodePlan plan, const Clock* clock) {
             return DtmfSwitch(std::move(plan), clock ? *clock : steady_clock());
           }),
           py::arg("plan"), py::arg("clock") = py::none(), py::keep_alive<1, 3>(),
           "Raises InvalidArgumentError (invalid_plan) for a bad plan. `clock` (default: the steady "
           "clock) times the inter-digit timeout; the switch keeps it alive.")
      .def(
          "feed", [](DtmfSwitch& self, const std::string& digit) { return self.feed(one_digit(digit)); },
          py::arg("digit"),
          "Feeds one digit (0-9 * # A-D; a-d accepted); InvalidArgumentError naming anything else.")
      .def_static(
          "check_digit",
          [](const std::string& digit) { return std::string(1, DtmfSwitch::check_digit(one_digit(digit))); },
          py::arg("digit"),
          "The digit as feed() takes it (a-d as A-D); InvalidArgumentError naming anything that is\n"
          "not one of 0-9 * # A-D.")
      .def("poll", &DtmfSwitch::poll, "Discards pending digits once the inter-digit timeout has passed.")
      .def("reset", &DtmfSwitch::reset, "Forgets any buffered digits.")
      .def_property_readonly(
          "pending", [](const DtmfSwitch& self) { return std::string(self.pending()); },
          "The digits buffered towards an incomplete code.")
      .def_property_readonly("plan", &DtmfSwitch::plan, "The plan whose codes it recognises.");
}

}  // namespace callsup::python
