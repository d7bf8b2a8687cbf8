#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"
#include "callsup/dialplan/validate.hpp"
#include "support/plan_context.hpp"

using namespace callsup;
using callsup::test::three_or_four;
using namespace std::chrono_literals;

namespace {

/// A valid plan to break one rule at a time.
FeatureCodePlan base_plan() {
  FeatureCodePlan plan;
  plan.name = "custom";
  plan.dial_codes = {{"*21", Mode::listen}, {"*22", Mode::whisper}, {"*23", Mode::barge}};
  plan.dtmf_codes = {{"1", DtmfCommand::switch_to(Mode::listen)},
                     {"2", DtmfCommand::switch_to(Mode::whisper)},
                     {"3", DtmfCommand::switch_to(Mode::barge)},
                     {"#", DtmfCommand::leave()}};
  return plan;
}

/// validate() must throw invalid_plan with exactly `expected` (the only problem), and
/// plan_problems() must report it.
void check_single_problem(const FeatureCodePlan& plan, const PlanContext& context,
                          const std::string& expected) {
  auto problems = plan_problems(plan, context);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front() == expected);
  try {
    validate(plan, context);
    FAIL("validate accepted an invalid plan");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_plan);
    CHECK(std::string(error.what()) == expected);
  }
}

}  // namespace

TEST_CASE("dialplan validate: the custom *21/*22/*23 + 1/2/3 plan is valid") {
  CHECK(plan_problems(base_plan()).empty());
  CHECK(plan_problems(base_plan(), three_or_four).empty());
  CHECK_NOTHROW(validate(base_plan(), three_or_four));
}

TEST_CASE("dialplan validate: plan name must not be empty") {
  auto plan = base_plan();
  plan.name.clear();
  check_single_problem(plan, {}, "plan name is empty");
}

TEST_CASE("dialplan validate: a plan needs a dial code or a spy-all code") {
  auto plan = base_plan();
  plan.dial_codes.clear();
  check_single_problem(plan, {}, "plan has no dial code and no spy-all code");
  plan.spy_any_code = "*99";
  CHECK(plan_problems(plan).empty());  // spy-all alone is enough
}

TEST_CASE("dialplan validate: dial and spy-all codes are non-empty and made of 0-9 * #") {
  auto plan = base_plan();
  plan.dial_codes[1].prefix.clear();
  check_single_problem(plan, {}, "dial code for whisper is empty");

  plan = base_plan();
  plan.dial_codes[0].prefix = "*2A";
  check_single_problem(plan, {}, "dial code '*2A' has character 'A' (allowed: 0-9 * #)");

  plan = base_plan();
  plan.dial_codes[0].prefix = "*2\x01";
  check_single_problem(plan, {}, "dial code '*2\\x01' has character '\\x01' (allowed: 0-9 * #)");

  plan = base_plan();
  plan.spy_any_code = "+99";
  check_single_problem(plan, {}, "spy-all code '+99' has character '+' (allowed: 0-9 * #)");
}

TEST_CASE("dialplan validate: DTMF codes are non-empty and made of 0-9 * # A-D") {
  auto plan = base_plan();
  plan.dtmf_codes[3].digits.clear();
  check_single_problem(plan, {}, "DTMF code for exit is empty");

  plan = base_plan();
  plan.dtmf_codes[0].digits = "E";
  check_single_problem(plan, {}, "DTMF code 'E' has character 'E' (allowed: 0-9 * # A-D)");

  plan = base_plan();
  plan.dtmf_codes[0].digits = "a";  // plans spell A-D in upper case; feed() folds case
  check_single_problem(plan, {}, "DTMF code 'a' has character 'a' (allowed: 0-9 * # A-D)");

  plan = base_plan();
  plan.dtmf_codes[0].digits = "A";
  plan.dtmf_codes[1].digits = "*D";
  CHECK(plan_problems(plan).empty());
}

TEST_CASE("dialplan validate: dial codes are unique") {
  auto plan = base_plan();
  plan.dial_codes[1].prefix = "*21";
  check_single_problem(plan, {}, "dial code '*21' is used twice (listen and whisper)");

  plan = base_plan();
  plan.dial_codes.push_back({"*24", Mode::listen});  // two codes for one mode are fine
  CHECK(plan_problems(plan).empty());
}

TEST_CASE("dialplan validate: no dial code is a prefix of another") {
  auto plan = base_plan();
  plan.dial_codes = {{"*90", Mode::listen}, {"*9", Mode::whisper}};
  check_single_problem(plan, {}, "dial code '*9' is a prefix of '*90'");
  plan.dial_codes = {{"*9", Mode::listen}, {"*90", Mode::listen}};  // same mode: still ambiguous
  check_single_problem(plan, {}, "dial code '*9' is a prefix of '*90'");
}

TEST_CASE("dialplan validate: spy-all code equal to a dial code only with the same mode") {
  auto plan = tronic_plan();
  CHECK(plan_problems(plan, three_or_four).empty());
  plan.spy_any_mode = Mode::barge;
  check_single_problem(plan, three_or_four,
                       "spy-all code '*95' equals dial code '*95' for listen but the spy-all mode is barge");
}

TEST_CASE("dialplan validate: spy-all code must not read as a dial code plus an extension") {
  auto plan = base_plan();
  plan.dial_codes = {{"*9", Mode::listen}};
  plan.spy_any_code = "*95";
  check_single_problem(plan, {{1, 3}, {}}, "spy-all code '*95' could be '*9' + extension '5'");
  check_single_problem(plan, {{4, 1}, {}}, "spy-all code '*95' could be '*9' + extension '5'");
  // Not ambiguous when no extension has that length, or when the rest is not all digits.
  CHECK(plan_problems(plan, three_or_four).empty());
  CHECK(plan_problems(plan).empty());
  plan.spy_any_code = "*9#";
  CHECK(plan_problems(plan, {{1}, {}}).empty());
  // A spy-all code that is a prefix of a dial code is fine: it only matches exactly.
  plan.dial_codes = {{"*950", Mode::listen}};
  plan.spy_any_code = "*95";
  CHECK(plan_problems(plan, three_or_four).empty());
}

TEST_CASE("dialplan validate: DTMF codes are unique and prefix-free") {
  auto plan = base_plan();
  plan.dtmf_codes[1].digits = "1";
  check_single_problem(plan, {}, "DTMF code '1' is used twice");

  plan = stratus_plan();
  plan.dtmf_codes.push_back({"*", DtmfCommand::next()});
  auto problems = plan_problems(plan);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0] == "DTMF code '*' is a prefix of '*80'");
  CHECK(problems[1] == "DTMF code '*' is a prefix of '*81'");
  CHECK(problems[2] == "DTMF code '*' is a prefix of '*82'");

  plan = base_plan();
  plan.dtmf_codes.push_back({"*1", DtmfCommand::switch_to(Mode::listen)});  // same command twice: fine
  CHECK(plan_problems(plan).empty());
}

TEST_CASE("dialplan validate: dial and spy-all codes must not collide with reserved codes") {
  auto plan = portaswitch_plan();
  check_single_problem(plan, {{3, 4}, {"*90"}}, "dial code '*90' collides with reserved code '*90'");
  // Either one being a prefix of the other collides too.
  check_single_problem(plan, {{3, 4}, {"*901"}}, "dial code '*90' collides with reserved code '*901'");
  auto problems = plan_problems(plan, {{3, 4}, {"*9"}});
  REQUIRE(problems.size() == 3);
  CHECK(problems[0] == "dial code '*90' collides with reserved code '*9'");
  CHECK(problems[2] == "dial code '*92' collides with reserved code '*9'");
  CHECK(plan_problems(plan, {{3, 4}, {"*97", "*72", "9"}}).empty());

  plan = tronic_plan();
  problems = plan_problems(plan, {{3, 4}, {"*95"}});
  REQUIRE(problems.size() == 2);
  CHECK(problems[0] == "dial code '*95' collides with reserved code '*95'");
  CHECK(problems[1] == "spy-all code '*95' collides with reserved code '*95'");

  // DTMF codes live in another namespace (in-call digits), so they never collide.
  CHECK(plan_problems(portaswitch_plan(), {{}, {"0", "#"}}).empty());

  // The seed example: a plan using *90 is rejected when *90 is reserved; the message names it.
  try {
    validate(portaswitch_plan(), {{3, 4}, {"*90"}});
    FAIL("expected invalid_plan");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_plan);
    CHECK(std::string(error.what()).find("'*90'") != std::string::npos);
  }
}

TEST_CASE("dialplan validate: reserved codes and extension lengths must be sensible") {
  check_single_problem(base_plan(), {{3}, {"*97", ""}}, "reserved code #2 is empty");
  check_single_problem(base_plan(), {{0, 3}, {}}, "extension length '0' is out of range (1..15)");
  check_single_problem(base_plan(), {{16}, {}}, "extension length '16' is out of range (1..15)");
}

TEST_CASE("dialplan validate: inter-digit timeout is in (0, 10 s]") {
  auto plan = base_plan();
  plan.inter_digit_timeout = 0ms;
  check_single_problem(plan, {}, "inter-digit timeout '0ms' is out of range (1ms..10000ms)");
  plan.inter_digit_timeout = -5ms;
  check_single_problem(plan, {}, "inter-digit timeout '-5ms' is out of range (1ms..10000ms)");
  plan.inter_digit_timeout = 10001ms;
  check_single_problem(plan, {}, "inter-digit timeout '10001ms' is out of range (1ms..10000ms)");
  plan.inter_digit_timeout = 10s;
  CHECK(plan_problems(plan).empty());
  plan.inter_digit_timeout = 1ms;
  CHECK(plan_problems(plan).empty());
}

TEST_CASE("dialplan validate: all problems are reported, joined with '; '") {
  FeatureCodePlan plan;  // no name, no codes, and a few broken DTMF codes
  plan.dtmf_codes = {{"1", DtmfCommand::leave()}, {"1", DtmfCommand::next()}};
  plan.inter_digit_timeout = 0ms;
  auto problems = plan_problems(plan);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0] == "plan name is empty");
  CHECK(problems[1] == "plan has no dial code and no spy-all code");
  CHECK(problems[2] == "DTMF code '1' is used twice");
  CHECK(problems[3] == "inter-digit timeout '0ms' is out of range (1ms..10000ms)");
  CHECK_THROWS_WITH_AS(
      validate(plan),
      "plan name is empty; plan has no dial code and no spy-all code; DTMF code '1' is used twice; "
      "inter-digit timeout '0ms' is out of range (1ms..10000ms)",
      Error);
}

TEST_CASE("dialplan validate: DialParser and DtmfSwitch refuse invalid plans") {
  auto plan = base_plan();
  plan.dial_codes = {{"*9", Mode::listen}, {"*90", Mode::whisper}};
  ManualClock clock;
  CHECK_THROWS_WITH_AS(DialParser{plan}, "dial code '*9' is a prefix of '*90'", Error);
  CHECK_THROWS_WITH_AS(DtmfSwitch(plan, clock), "dial code '*9' is a prefix of '*90'", Error);
  try {
    DialParser parser{plan};
    FAIL("expected invalid_plan");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_plan);
  }
}
