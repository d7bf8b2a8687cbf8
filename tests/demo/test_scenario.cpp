// callsup-demo: the scenario: the built-in story in every preset's codes, and the JSON form.
#include <doctest/doctest.h>

#include "callsup/dialplan/presets.hpp"
#include "callsup/error.hpp"
#include "scenario.hpp"

using namespace callsup;
using namespace callsup::demo;

namespace {

std::string error_of(const std::string& json) {
  try {
    parse_scenario(json, "s.json");
  } catch (const Error& e) {
    CHECK(e.code() == errc::invalid_argument);
    return e.what();
  }
  return "no error";
}

constexpr const char* parties = R"("parties": [{"name": "customer", "number": "+1555"},
                                                {"name": "agent", "extension": "744"}])";

}  // namespace

TEST_CASE("demo: the built-in scenario speaks each preset's codes") {
  const Scenario portaswitch = default_scenario(portaswitch_plan());
  REQUIRE(portaswitch.steps.size() == 6);
  CHECK(portaswitch.steps[1].digits == "*90744");
  CHECK(portaswitch.steps[2].digits == "1");
  CHECK(portaswitch.steps[3].digits == "2");
  const Scenario stratus = default_scenario(stratus_plan());
  CHECK(stratus.steps[1].digits == "007744");
  CHECK(stratus.steps[2].digits == "*81");
  CHECK(stratus.steps[3].digits == "*82");
  const Scenario eavesdrop = default_scenario(freeswitch_eavesdrop_plan());
  CHECK(eavesdrop.steps[1].digits == "88744");
  CHECK(eavesdrop.steps[2].digits == "1");  // whisper to the agent, not "2" (to the other party)
  CHECK(eavesdrop.steps[3].digits == "3");
  for (const std::string& name : preset_names()) CHECK_NOTHROW(default_scenario(preset(name)));
  FeatureCodePlan no_barge = portaswitch_plan();
  no_barge.dtmf_codes.erase(no_barge.dtmf_codes.begin() + 2);
  CHECK_THROWS_WITH_AS(default_scenario(no_barge), doctest::Contains("no DTMF key for barge"), Error);
}

TEST_CASE("demo: phases run from their step to the next step") {
  const Scenario s = default_scenario(portaswitch_plan(), "744", "700", 4.0);
  const auto phases = s.phases();
  REQUIRE(phases.size() == 4);
  CHECK(phases[0].name == "call");
  CHECK(phases[1].name == "listen");
  CHECK(phases[1].start_s == 4.0);
  CHECK(phases[1].end_s == 8.0);
  CHECK(phases[3].name == "barge");
  CHECK(phases[3].end_s == 16.0);  // the hangup closes it
  CHECK(s.duration_s() == 17.0);
}

TEST_CASE("demo: a scenario survives its JSON form") {
  const Scenario s = default_scenario(star91_plan());
  const Scenario back = parse_scenario(to_json(s));
  REQUIRE(back.steps.size() == s.steps.size());
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    CHECK(back.steps[i].at_s == s.steps[i].at_s);
    CHECK(back.steps[i].kind == s.steps[i].kind);
    CHECK(back.steps[i].digits == s.steps[i].digits);
    CHECK(back.steps[i].phase == s.steps[i].phase);
  }
  REQUIRE(back.parties.size() == 3);
  CHECK(back.party("agent").extension == "744");
  CHECK(back.party("customer").number == "+15551230000");
}

TEST_CASE("demo: a scenario without an end step ends a second after its last step") {
  const Scenario s =
      parse_scenario(std::string("{") + parties +
                     R"(, "steps": [{"at": 0, "call": {"id": "c", "from": "customer", "to": "agent"},
                                                     "phase": "talk"}, {"at": 3, "hangup": {"party": "agent"}}]})");
  REQUIRE(s.steps.size() == 3);
  CHECK(s.steps.back().kind == Step::Kind::end);
  CHECK(s.duration_s() == 4.0);
  REQUIRE(s.phases().size() == 1);
  CHECK(s.party("customer").voice == "customer.wav");  // the default voice is the party's name
}

TEST_CASE("demo: bad scenarios are errors naming the path and the value") {
  const std::string p = std::string("{") + parties + ", ";
  CHECK(error_of("{nope").find("s.json: invalid JSON") != std::string::npos);
  CHECK(error_of(R"({"parties": [], "steps": []})").find("\"parties\" must be a non-empty array") !=
        std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": 0, "hangup": {"party": "bob"}}]})").find("no party named 'bob'") !=
        std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": 0, "hnagup": {"party": "agent"}}]})")
            .find("steps[0]: unknown key 'hnagup'") != std::string::npos);
  CHECK(
      error_of(p + R"("steps": [{"at": 2, "end": {}}, {"at": 1, "end": {}}]})").find("time goes backwards") !=
      std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": -1, "end": {}}]})").find("steps[0].at: expected seconds") !=
        std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": 0, "dtmf": {"party": "agent", "digits": "1x"}}]})")
            .find("not a DTMF digit in '1x'") != std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": 0, "call": {"id": "c", "from": "agent", "to": "agent"}}]})")
            .find("cannot call itself") != std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": 0, "end": {}, "hangup": {"party": "agent"}}]})")
            .find("exactly one of") != std::string::npos);
  CHECK(error_of(R"({"parties": [{"name": "a/b", "extension": "1"}], "steps": [{"at": 0, "end": {}}]})")
            .find("party name 'a/b'") != std::string::npos);
  CHECK(
      error_of(
          R"({"parties": [{"name": "a", "extension": "1", "number": "2"}], "steps": [{"at": 0, "end": {}}]})")
          .find("exactly one of \"extension\"") != std::string::npos);
  CHECK(error_of(R"({"parties": [{"name": "a", "extension": "1"}, {"name": "a", "extension": "2"}],
                     "steps": [{"at": 0, "end": {}}]})")
            .find("named twice") != std::string::npos);
  CHECK(error_of(p + R"("steps": [{"at": 0, "hangup": {"party": "agent"}, "phase": "x"},
                                  {"at": 1, "hangup": {"party": "customer"}, "phase": "x"}]})")
            .find("phase 'x' is named twice") != std::string::npos);
  CHECK_THROWS_WITH_AS(load_scenario_file("/nonexistent/scenario.json"),
                       doctest::Contains("/nonexistent/scenario.json"), Error);
}
