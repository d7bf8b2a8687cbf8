#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"
#include "callsup/dialplan/validate.hpp"
#include "support/plan_context.hpp"

using namespace callsup;
using callsup::test::three_or_four;

namespace {

/// Feeds a whole code and returns the last outcome (earlier digits must all be pending).
DtmfResult feed_code(DtmfSwitch& sw, const std::string& digits) {
  for (std::size_t i = 0; i + 1 < digits.size(); ++i)
    REQUIRE(sw.feed(digits[i]).kind == DtmfResult::Kind::pending);
  return sw.feed(digits.back());
}

void check_dial(const FeatureCodePlan& plan, const std::string& dialled, Mode mode,
                const std::string& target) {
  CAPTURE(dialled);
  auto request = DialParser(plan).parse(dialled);
  REQUIRE(request.has_value());
  CHECK(request->mode == mode);
  CHECK(request->target == target);
  CHECK_FALSE(request->any_call);
}

void check_any(const FeatureCodePlan& plan, const std::string& dialled, Mode mode) {
  CAPTURE(dialled);
  auto request = DialParser(plan).parse(dialled);
  REQUIRE(request.has_value());
  CHECK(request->any_call);
  CHECK(request->target.empty());
  CHECK(request->mode == mode);
  CHECK(request->code == dialled);
}

void check_dtmf(const FeatureCodePlan& plan, const std::string& digits, DtmfCommand expected) {
  CAPTURE(digits);
  ManualClock clock;
  DtmfSwitch sw(plan, clock);
  DtmfResult result = feed_code(sw, digits);
  CHECK(result.kind == DtmfResult::Kind::command);
  CHECK(result.digits == digits);
  CHECK(result.command == expected);
  CHECK(sw.pending().empty());
}

std::vector<std::string> dtmf_digits(const FeatureCodePlan& plan) {
  std::vector<std::string> out;
  for (const auto& code : plan.dtmf_codes) out.push_back(code.digits);
  return out;
}

const auto cmd_listen = DtmfCommand::switch_to(Mode::listen);
const auto cmd_whisper = DtmfCommand::switch_to(Mode::whisper);
const auto cmd_barge = DtmfCommand::switch_to(Mode::barge);
const auto cmd_next = DtmfCommand::next();
const auto cmd_leave = DtmfCommand::leave();

}  // namespace

TEST_CASE("dialplan presets: every preset is valid for 3- and 4-digit extensions and named after itself") {
  const std::vector<std::string> expected{"portaswitch", "star91",           "stratus",
                                          "tronic",      "asterisk_chanspy", "freeswitch_eavesdrop"};
  CHECK(preset_names() == expected);
  for (const auto& name : preset_names()) {
    CAPTURE(name);
    FeatureCodePlan plan = preset(name);
    CHECK(plan.name == name);
    CHECK(plan_problems(plan, three_or_four).empty());
    CHECK_NOTHROW(validate(plan, three_or_four));
    CHECK(plan.inter_digit_timeout == std::chrono::milliseconds(2000));
  }
  CHECK(preset("portaswitch") == portaswitch_plan());
  CHECK(preset("star91") == star91_plan());
  CHECK(preset("stratus") == stratus_plan());
  CHECK(preset("tronic") == tronic_plan());
  CHECK(preset("asterisk_chanspy") == asterisk_chanspy_plan());
  CHECK(preset("freeswitch_eavesdrop") == freeswitch_eavesdrop_plan());
}

TEST_CASE("dialplan presets: unknown preset name names it and lists the valid ones") {
  try {
    (void)preset("vicidial");
    FAIL("expected an Error");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_argument);
    const std::string what = error.what();
    CHECK(what.find("'vicidial'") != std::string::npos);
    for (const auto& name : preset_names()) CHECK(what.find(name) != std::string::npos);
  }
  CHECK_THROWS_AS((void)preset(""), Error);
  CHECK_THROWS_AS((void)preset("PortaSwitch"), Error);  // names are exact
}

TEST_CASE("dialplan presets: portaswitch table") {
  const auto plan = portaswitch_plan();
  check_dial(plan, "*90744", Mode::listen, "744");
  check_dial(plan, "*91744", Mode::whisper, "744");
  check_dial(plan, "*921234", Mode::barge, "1234");
  CHECK(plan.spy_any_code.empty());
  CHECK_THROWS_AS((void)DialParser(plan).parse("*90"), Error);  // no spy-all
  check_dtmf(plan, "0", cmd_listen);
  check_dtmf(plan, "1", cmd_whisper);
  check_dtmf(plan, "2", cmd_barge);
  check_dtmf(plan, "#", cmd_leave);
  CHECK(dtmf_digits(plan) == std::vector<std::string>{"0", "1", "2", "#"});  // no next-target key
}

// Asterisk ChanSpy's keys, shared by star91, tronic and asterisk_chanspy: exactly these.
static void check_chanspy_keys(const FeatureCodePlan& plan) {
  check_dtmf(plan, "4", cmd_listen);
  check_dtmf(plan, "5", cmd_whisper);
  check_dtmf(plan, "6", cmd_barge);
  check_dtmf(plan, "*", cmd_next);
  check_dtmf(plan, "#", cmd_leave);
  CHECK(dtmf_digits(plan).size() == 5);
}

TEST_CASE("dialplan presets: star91 table") {
  const auto plan = star91_plan();
  check_dial(plan, "*91744", Mode::listen, "744");
  check_dial(plan, "*92744", Mode::whisper, "744");
  check_dial(plan, "*93744", Mode::barge, "744");
  CHECK(plan.spy_any_code.empty());
  check_chanspy_keys(plan);
}

TEST_CASE("dialplan presets: stratus table") {
  const auto plan = stratus_plan();
  check_dial(plan, "007100", Mode::listen, "100");
  CHECK(plan.dial_codes.size() == 1);
  CHECK(plan.spy_any_code.empty());
  check_dtmf(plan, "*80", cmd_listen);
  check_dtmf(plan, "*81", cmd_whisper);
  check_dtmf(plan, "*82", cmd_barge);
  check_dtmf(plan, "#", cmd_leave);
  CHECK(dtmf_digits(plan) == std::vector<std::string>{"*80", "*81", "*82", "#"});  // no "*" next key
}

TEST_CASE("dialplan presets: tronic table") {
  const auto plan = tronic_plan();
  check_dial(plan, "*95103", Mode::listen, "103");
  check_any(plan, "*95", Mode::listen);
  check_chanspy_keys(plan);
}

TEST_CASE("dialplan presets: asterisk_chanspy table") {
  const auto plan = asterisk_chanspy_plan();
  check_dial(plan, "5551001", Mode::listen, "1001");
  check_any(plan, "555", Mode::listen);
  check_chanspy_keys(plan);
  // Sessions default to ChanSpy() without options.
  CHECK(plan.session_defaults.exit_on_target_hangup == false);
  CHECK(plan.session_defaults.stop_when_none_left == false);
  CHECK(plan.session_defaults.announce == true);
}

TEST_CASE("dialplan presets: session defaults only where the vendor differs from callsup's") {
  CHECK(tronic_plan().session_defaults.exit_on_target_hangup == false);
  CHECK_FALSE(tronic_plan().session_defaults.stop_when_none_left.has_value());
  for (const auto& name : {"portaswitch", "star91", "stratus", "freeswitch_eavesdrop"}) {
    CAPTURE(name);
    CHECK(preset(name).session_defaults.empty());
  }
}

TEST_CASE("dialplan presets: freeswitch_eavesdrop table") {
  const auto plan = freeswitch_eavesdrop_plan();
  check_dial(plan, "88744", Mode::listen, "744");
  check_any(plan, "779", Mode::listen);
  CHECK_FALSE(DialParser(plan).parse("7791").has_value());  // spy-all takes no extension
  check_dtmf(plan, "0", cmd_listen);
  check_dtmf(plan, "1", DtmfCommand::switch_to(Mode::whisper, WhisperTo::target));
  check_dtmf(plan, "2", DtmfCommand::switch_to(Mode::whisper, WhisperTo::other_party));
  check_dtmf(plan, "3", cmd_barge);
  check_dtmf(plan, "*", cmd_next);
  check_dtmf(plan, "#", cmd_leave);
  CHECK(dtmf_digits(plan).size() == 6);
}

TEST_CASE("dialplan presets: string forms of the command enums") {
  CHECK(to_string(WhisperTo::target) == "target");
  CHECK(to_string(WhisperTo::other_party) == "other_party");
  CHECK(to_string(DtmfCommand::Action::switch_mode) == "switch_mode");
  CHECK(to_string(DtmfCommand::Action::next_target) == "next_target");
  CHECK(to_string(DtmfCommand::Action::exit) == "exit");
  CHECK(cmd_next.action == DtmfCommand::Action::next_target);
  CHECK(cmd_leave.action == DtmfCommand::Action::exit);
  CHECK(DtmfCommand{} == cmd_listen);
}
