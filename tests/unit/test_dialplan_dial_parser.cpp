#include <doctest/doctest.h>

#include <string>

#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/presets.hpp"

#include "support/custom_plan.hpp"

using namespace callsup;
using callsup::testing::custom_plan;

namespace {

/// parse() must throw malformed_dial_string whose message names the dialled string.
void check_malformed(const DialParser& parser, const std::string& dialled) {
  CAPTURE(dialled);
  try {
    (void)parser.parse(dialled);
    FAIL("expected malformed_dial_string");
  } catch (const Error& error) {
    CHECK(error.code() == errc::malformed_dial_string);
    CHECK(std::string(error.what()).find(quoted(dialled)) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("dialplan dial parser: custom *21/*22/*23 plan") {
  const DialParser parser(custom_plan());
  auto listen = parser.parse("*21744");
  REQUIRE(listen);
  CHECK(*listen == DialRequest{Mode::listen, "744", false, "*21"});
  auto whisper = parser.parse("*22744");
  REQUIRE(whisper);
  CHECK(whisper->mode == Mode::whisper);
  CHECK(whisper->target == "744");
  auto barge = parser.parse("*23744");
  REQUIRE(barge);
  CHECK(barge->mode == Mode::barge);
  CHECK(parser.plan().name == "custom");
}

TEST_CASE("dialplan dial parser: seed examples from the presets") {
  auto stratus = DialParser(stratus_plan()).parse("007100");
  REQUIRE(stratus);
  CHECK(*stratus == DialRequest{Mode::listen, "100", false, "007"});

  const DialParser tronic(tronic_plan());
  auto one = tronic.parse("*95103");
  REQUIRE(one);
  CHECK(*one == DialRequest{Mode::listen, "103", false, "*95"});
  auto any = tronic.parse("*95");
  REQUIRE(any);
  CHECK(*any == DialRequest{Mode::listen, "", true, "*95"});

  const DialParser star91(star91_plan());
  auto whisper = star91.parse("*92744");
  REQUIRE(whisper);
  CHECK(*whisper == DialRequest{Mode::whisper, "744", false, "*92"});
  auto barge = star91.parse("*93744");
  REQUIRE(barge);
  CHECK(*barge == DialRequest{Mode::barge, "744", false, "*93"});
}

TEST_CASE("dialplan dial parser: not ours -> nullopt") {
  const DialParser parser(portaswitch_plan());
  CHECK_FALSE(parser.parse("744").has_value());
  CHECK_FALSE(parser.parse("*70").has_value());
  CHECK_FALSE(parser.parse("+4930123").has_value());
  CHECK_FALSE(parser.parse("+15551234").has_value());
  CHECK_FALSE(parser.parse("*9").has_value());  // a prefix of our codes, but not one of them
  CHECK_FALSE(parser.parse("#").has_value());
  CHECK_FALSE(parser.parse("*").has_value());
}

TEST_CASE("dialplan dial parser: malformed strings throw naming the string") {
  const DialParser parser(portaswitch_plan());
  check_malformed(parser, "*90abc");
  check_malformed(parser, "*90");  // no extension and *90 is not a spy-all code
  check_malformed(parser, "");
  check_malformed(parser, "*90 744");
  check_malformed(parser, "*9\xEF\xBC\x90");  // "*9" + U+FF10 FULLWIDTH DIGIT ZERO
  check_malformed(parser, "*90#744");
  check_malformed(parser, "*90744#");
  check_malformed(parser, "*90+744");
  check_malformed(parser, "*901234567890123456");  // 16-digit extension
  check_malformed(parser, "abc");                  // characters no dial string has
  // Control characters are escaped so that the message survives what() and logs.
  CHECK_THROWS_WITH_AS((void)parser.parse(std::string("*90\0"
                                                      "744",
                                                      7)),
                       "dial string '*90\\x00744' has character '\\x00' (allowed: 0-9 * # +)", Error);

  CHECK_THROWS_WITH_AS((void)parser.parse("*90"), "dial string '*90' has no extension after dial code '*90'",
                       Error);
  CHECK_THROWS_WITH_AS((void)parser.parse("*90 744"),
                       "dial string '*90 744' has character ' ' (allowed: 0-9 * # +)", Error);
  CHECK_THROWS_WITH_AS((void)parser.parse("*9\xEF\xBC\x90"),
                       "dial string '*9\xEF\xBC\x90' has character '\\xEF' (allowed: 0-9 * # +)", Error);
  CHECK_THROWS_WITH_AS(
      (void)parser.parse("*90#7"),
      "dial string '*90#7' has extension '#7' after dial code '*90', which is not all digits", Error);
  CHECK_THROWS_WITH_AS((void)parser.parse(""), "dial string '' is empty", Error);
}

TEST_CASE("dialplan dial parser: extension length 1..15") {
  const DialParser parser(portaswitch_plan());
  auto shortest = parser.parse("*905");
  REQUIRE(shortest);
  CHECK(shortest->target == "5");
  auto longest = parser.parse("*90123456789012345");
  REQUIRE(longest);
  CHECK(longest->target == "123456789012345");
  CHECK_THROWS_AS((void)parser.parse("*901234567890123456"), Error);
}

TEST_CASE("dialplan dial parser: spy-all matches only the whole string") {
  const DialParser fs(freeswitch_eavesdrop_plan());
  auto any = fs.parse("779");
  REQUIRE(any);
  CHECK(any->any_call);
  CHECK(any->target.empty());
  CHECK_FALSE(fs.parse("7791").has_value());  // 779 takes no extension; may be a PBX number
  CHECK_FALSE(fs.parse("77").has_value());
  CHECK_THROWS_AS((void)fs.parse("88"), Error);  // 88 is a dial code, not spy-all

  FeatureCodePlan spy_only;
  spy_only.name = "spy-only";
  spy_only.spy_any_code = "*99";
  spy_only.spy_any_mode = Mode::barge;
  const DialParser parser(spy_only);
  auto barge = parser.parse("*99");
  REQUIRE(barge);
  CHECK(*barge == DialRequest{Mode::barge, "", true, "*99"});
  CHECK_FALSE(parser.parse("*99744").has_value());
}

TEST_CASE("dialplan dial parser: spy-all code shorter than a dial code") {
  FeatureCodePlan plan;
  plan.name = "overlap";
  plan.dial_codes = {{"*950", Mode::whisper}};
  plan.spy_any_code = "*95";
  const DialParser parser(plan);
  auto any = parser.parse("*95");
  REQUIRE(any);
  CHECK(any->any_call);
  auto one = parser.parse("*950744");
  REQUIRE(one);
  CHECK(*one == DialRequest{Mode::whisper, "744", false, "*950"});
  CHECK_FALSE(parser.parse("*951").has_value());
}

TEST_CASE("dialplan dial parser: the parser keeps a copy of the plan") {
  auto plan = portaswitch_plan();
  const DialParser parser(plan);
  plan.dial_codes.clear();
  CHECK(parser.plan() == portaswitch_plan());
  CHECK(parser.parse("*90744").has_value());
}
