#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "callsup/dialplan/clock.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"

#include "support/custom_plan.hpp"

using namespace callsup;
using callsup::testing::custom_plan;
using namespace std::chrono_literals;
using ResultKind = DtmfResult::Kind;

namespace {

void check_result(const DtmfResult& result, ResultKind kind, const std::string& digits) {
  CHECK(to_string(result.kind) == to_string(kind));
  CHECK(result.digits == digits);
}

}  // namespace

TEST_CASE("dialplan dtmf switch: custom plan single-digit codes") {
  ManualClock clock;
  DtmfSwitch sw(custom_plan(), clock);
  auto whisper = sw.feed('2');
  check_result(whisper, ResultKind::command, "2");
  CHECK(whisper.command == DtmfCommand::switch_to(Mode::whisper));
  auto barge = sw.feed('3');
  check_result(barge, ResultKind::command, "3");
  CHECK(barge.command == DtmfCommand::switch_to(Mode::barge));
  check_result(sw.feed('9'), ResultKind::unrecognised, "9");
  check_result(sw.feed('#'), ResultKind::unrecognised, "#");
  CHECK(sw.pending().empty());
}

TEST_CASE("dialplan dtmf switch: stratus *8x codes digit by digit") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  check_result(sw.feed('*'), ResultKind::pending, "*");
  CHECK(sw.pending() == "*");
  check_result(sw.feed('8'), ResultKind::pending, "*8");
  CHECK(sw.pending() == "*8");
  auto whisper = sw.feed('1');
  check_result(whisper, ResultKind::command, "*81");
  CHECK(whisper.command == DtmfCommand::switch_to(Mode::whisper));
  CHECK(sw.pending().empty());

  sw.feed('*');
  sw.feed('8');
  auto barge = sw.feed('2');
  check_result(barge, ResultKind::command, "*82");
  CHECK(barge.command == DtmfCommand::switch_to(Mode::barge));

  sw.feed('*');
  sw.feed('8');
  auto listen = sw.feed('0');
  check_result(listen, ResultKind::command, "*80");
  CHECK(listen.command == DtmfCommand::switch_to(Mode::listen));

  auto leave = sw.feed('#');
  check_result(leave, ResultKind::command, "#");
  CHECK(leave.command == DtmfCommand::leave());
}

TEST_CASE("dialplan dtmf switch: unrecognised sequences are discarded") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  sw.feed('*');
  sw.feed('8');
  check_result(sw.feed('9'), ResultKind::unrecognised, "*89");
  CHECK(sw.pending().empty());
  check_result(sw.feed('5'), ResultKind::unrecognised, "5");
  sw.feed('*');
  check_result(sw.feed('1'), ResultKind::unrecognised, "*1");
  // After discarding, the switch works normally.
  check_result(sw.feed('*'), ResultKind::pending, "*");
  check_result(sw.feed('8'), ResultKind::pending, "*8");
  check_result(sw.feed('0'), ResultKind::command, "*80");
}

TEST_CASE("dialplan dtmf switch: a digit that starts a code restarts the buffer") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  sw.feed('*');
  // "**" is no code, but the second "*" starts "*8x": report the first, keep the second.
  check_result(sw.feed('*'), ResultKind::unrecognised, "*");
  CHECK(sw.pending() == "*");
  check_result(sw.feed('8'), ResultKind::pending, "*8");
  check_result(sw.feed('*'), ResultKind::unrecognised, "*8");
  CHECK(sw.pending() == "*");
  check_result(sw.feed('8'), ResultKind::pending, "*8");
  auto whisper = sw.feed('1');
  check_result(whisper, ResultKind::command, "*81");
  CHECK(whisper.command == DtmfCommand::switch_to(Mode::whisper));
}

TEST_CASE("dialplan dtmf switch: a whole code that breaks a sequence wins") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  sw.feed('*');
  sw.feed('8');
  // "#" alone is the exit code: the supervisor wants out; "*8" is dropped.
  auto leave = sw.feed('#');
  check_result(leave, ResultKind::command, "#");
  CHECK(leave.command == DtmfCommand::leave());
  CHECK(sw.pending().empty());
}

TEST_CASE("dialplan dtmf switch: inter-digit timeout via poll") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  check_result(sw.poll(), ResultKind::pending, "");  // nothing buffered, nothing to report
  sw.feed('*');
  clock.advance(1999ms);
  check_result(sw.poll(), ResultKind::pending, "*");
  CHECK(sw.pending() == "*");
  clock.advance(2ms);
  check_result(sw.poll(), ResultKind::timed_out, "*");
  CHECK(sw.pending().empty());
  check_result(sw.poll(), ResultKind::pending, "");  // reported once
}

TEST_CASE("dialplan dtmf switch: the timeout runs from the last digit") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  sw.feed('*');
  clock.advance(1500ms);
  sw.feed('8');
  clock.advance(1500ms);  // 3 s after '*', 1.5 s after '8'
  check_result(sw.poll(), ResultKind::pending, "*8");
  check_result(sw.feed('1'), ResultKind::command, "*81");
}

TEST_CASE("dialplan dtmf switch: timeout is reached at exactly the inter-digit timeout") {
  ManualClock clock;
  auto plan = stratus_plan();
  plan.inter_digit_timeout = 500ms;
  DtmfSwitch sw(plan, clock);
  sw.feed('*');
  clock.advance(500ms);
  check_result(sw.poll(), ResultKind::timed_out, "*");
}

TEST_CASE("dialplan dtmf switch: a digit after the timeout discards the stale buffer first") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  sw.feed('*');
  sw.feed('8');
  clock.advance(2500ms);
  // The stale "*8" is gone; "1" is handled on its own (and is no stratus code).
  check_result(sw.feed('1'), ResultKind::unrecognised, "1");
  CHECK(sw.pending().empty());

  sw.feed('*');
  sw.feed('8');
  clock.advance(2500ms);
  check_result(sw.feed('*'), ResultKind::pending, "*");  // fresh start, not "*8*"
  check_result(sw.feed('8'), ResultKind::pending, "*8");
  check_result(sw.feed('2'), ResultKind::command, "*82");

  DtmfSwitch custom(custom_plan(), clock);
  check_result(custom.feed('2'), ResultKind::command, "2");
}

TEST_CASE("dialplan dtmf switch: invalid characters throw naming them; a-d are folded") {
  ManualClock clock;
  auto plan = custom_plan();
  plan.dtmf_codes.push_back({"A", DtmfCommand::next()});
  plan.dtmf_codes.push_back({"*D", DtmfCommand::leave()});
  DtmfSwitch sw(plan, clock);
  check_result(sw.feed('a'), ResultKind::command, "A");
  check_result(sw.feed('*'), ResultKind::pending, "*");
  auto leave = sw.feed('d');
  check_result(leave, ResultKind::command, "*D");
  CHECK(leave.command == DtmfCommand::leave());

  for (char bad : {'E', 'e', 'x', ' ', '+', '\0', '\x7f'}) {
    CAPTURE(static_cast<int>(bad));
    try {
      (void)sw.feed(bad);
      FAIL("expected invalid_argument");
    } catch (const Error& error) {
      CHECK(error.code() == errc::invalid_argument);
    }
  }
  CHECK_THROWS_WITH_AS((void)sw.feed('x'), "DTMF digit 'x' is not one of 0-9 * # A-D", Error);
  CHECK_THROWS_WITH_AS((void)sw.feed('\x07'), "DTMF digit '\\x07' is not one of 0-9 * # A-D", Error);
  // A rejected character leaves the buffer alone.
  sw.feed('*');
  CHECK_THROWS_AS((void)sw.feed('z'), Error);
  CHECK(sw.pending() == "*");
}

TEST_CASE("dialplan dtmf switch: reset forgets pending digits") {
  ManualClock clock;
  DtmfSwitch sw(stratus_plan(), clock);
  sw.feed('*');
  sw.feed('8');
  sw.reset();
  CHECK(sw.pending().empty());
  check_result(sw.poll(), ResultKind::pending, "");
  check_result(sw.feed('1'), ResultKind::unrecognised, "1");
}

TEST_CASE("dialplan dtmf switch: freeswitch whisper to either party, next and exit") {
  ManualClock clock;
  DtmfSwitch sw(freeswitch_eavesdrop_plan(), clock);
  CHECK(sw.feed('1').command ==
        DtmfCommand{DtmfCommand::Action::switch_mode, Mode::whisper, WhisperTo::target});
  CHECK(sw.feed('2').command ==
        DtmfCommand{DtmfCommand::Action::switch_mode, Mode::whisper, WhisperTo::other_party});
  CHECK(sw.feed('*').command.action == DtmfCommand::Action::next_target);
  CHECK(sw.feed('#').command.action == DtmfCommand::Action::exit);
  check_result(sw.feed('9'), ResultKind::unrecognised, "9");
}

TEST_CASE("dialplan dtmf switch: works with the steady clock") {
  SteadyClock clock;
  DtmfSwitch sw(star91_plan(), clock);
  check_result(sw.feed('5'), ResultKind::command, "5");
  CHECK(sw.plan().name == "star91");
}

TEST_CASE("dialplan clock: manual clock moves only when told") {
  ManualClock clock;
  CHECK(clock.now() == Clock::time_point{});
  clock.advance(250ms);
  CHECK(clock.now() - Clock::time_point{} == 250ms);
  clock.advance(0ms);
  CHECK(clock.now() - Clock::time_point{} == 250ms);
  const auto later = Clock::time_point{} + 10s;
  clock.set(later);
  CHECK(clock.now() == later);
  CHECK_THROWS_WITH_AS(clock.advance(-1ms), "ManualClock::advance step '-1ms' is negative", Error);
  ManualClock started(later);
  CHECK(started.now() == later);

  const Clock& as_base = clock;
  CHECK(as_base.now() == later);

  SteadyClock steady;
  auto a = steady.now();
  auto b = steady.now();
  CHECK(b >= a);
}
