#include <doctest/doctest.h>

#include <climits>
#include <ostream>
#include <string>

#include "callsup/error.hpp"
#include "callsup/session/session_options.hpp"

#include "support/checks.hpp"

using namespace callsup;

namespace {

/// Every field of two SessionOptions, compared one by one (a failure names the field).
void check_same_options(const SessionOptions& got, const SessionOptions& want) {
  CHECK(got.exit_on_target_hangup == want.exit_on_target_hangup);
  CHECK(got.stop_when_none_left == want.stop_when_none_left);
  CHECK(got.bridged_only == want.bridged_only);
  CHECK(got.announce == want.announce);
  CHECK(got.private_whisper == want.private_whisper);
  CHECK(got.listen_direction == want.listen_direction);
  CHECK(got.stereo == want.stereo);
  CHECK(got.volume_step == want.volume_step);
  CHECK(got.agent_leaves_in_barge == want.agent_leaves_in_barge);
  CHECK(got.notify_agent == want.notify_agent);
  CHECK(got.monitoring_tone == want.monitoring_tone);
  CHECK(got.follow_on_transfer == want.follow_on_transfer);
  CHECK(got.pre_arm == want.pre_arm);
  CHECK(got.whisper_to == want.whisper_to);
}

/// What "" gives from the default base: ChanSpy's defaults for E, S and announce, the
/// SDK's defaults for the rest.
SessionOptions chanspy_defaults() {
  SessionOptions o;
  o.exit_on_target_hangup = false;
  o.stop_when_none_left = false;
  o.announce = true;
  return o;
}

}  // namespace

TEST_SUITE("chanspy_options") {
  TEST_CASE("chanspy_options: SessionOptions defaults") {
    const SessionOptions o;
    CHECK(o.exit_on_target_hangup);
    CHECK(o.stop_when_none_left);
    CHECK_FALSE(o.bridged_only);
    CHECK_FALSE(o.announce);
    CHECK_FALSE(o.private_whisper);
    CHECK(o.listen_direction == ListenDirection::both);
    CHECK_FALSE(o.stereo);
    CHECK(o.volume_step == 0);
    CHECK(o.agent_leaves_in_barge == AgentLeavesInBarge::end_call);
    CHECK(o.notify_agent);
    CHECK_FALSE(o.monitoring_tone);
    CHECK_FALSE(o.follow_on_transfer);
    CHECK_FALSE(o.pre_arm);
    CHECK(o.whisper_to == WhisperTo::target);
    CHECK_NOTHROW(o.validate());
  }

  TEST_CASE("chanspy_options: no letters gives ChanSpy's defaults") {
    const ChanSpyOptions parsed = parse_chanspy_options("");
    CHECK(parsed.initial_mode == Mode::listen);
    CHECK_FALSE(parsed.options.exit_on_target_hangup);
    CHECK_FALSE(parsed.options.stop_when_none_left);
    CHECK(parsed.options.announce);
    check_same_options(parsed.options, chanspy_defaults());
  }

  TEST_CASE("chanspy_options: each letter on its own") {
    SUBCASE("E: exit when the target hangs up") {
      const auto p = parse_chanspy_options("E");
      SessionOptions want = chanspy_defaults();
      want.exit_on_target_hangup = true;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("S: stop when no call is left") {
      const auto p = parse_chanspy_options("S");
      SessionOptions want = chanspy_defaults();
      want.stop_when_none_left = true;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("b: bridged calls only") {
      const auto p = parse_chanspy_options("b");
      SessionOptions want = chanspy_defaults();
      want.bridged_only = true;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("q: quiet") {
      const auto p = parse_chanspy_options("q");
      SessionOptions want = chanspy_defaults();
      want.announce = false;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("s: skip the announcement") {
      const auto p = parse_chanspy_options("s");
      SessionOptions want = chanspy_defaults();
      want.announce = false;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("W: private whisper, starting in whisper") {
      const auto p = parse_chanspy_options("W");
      SessionOptions want = chanspy_defaults();
      want.private_whisper = true;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::whisper);
    }
    SUBCASE("w: start whispering, not private") {
      const auto p = parse_chanspy_options("w");
      check_same_options(p.options, chanspy_defaults());
      CHECK_FALSE(p.options.private_whisper);
      CHECK(p.initial_mode == Mode::whisper);
    }
    SUBCASE("B: start barging") {
      const auto p = parse_chanspy_options("B");
      check_same_options(p.options, chanspy_defaults());
      CHECK(p.initial_mode == Mode::barge);
    }
    SUBCASE("o: hear the agent only") {
      const auto p = parse_chanspy_options("o");
      SessionOptions want = chanspy_defaults();
      want.listen_direction = ListenDirection::agent_only;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("d: DTMF switching is always on: no change") {
      const auto p = parse_chanspy_options("d");
      check_same_options(p.options, chanspy_defaults());
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("n and n(...): name lookup is ignored") {
      for (const char* letters : {"n", "n(mygroup)", "n()"}) {
        CAPTURE(letters);
        const auto p = parse_chanspy_options(letters);
        check_same_options(p.options, chanspy_defaults());
        CHECK(p.initial_mode == Mode::listen);
      }
    }
  }

  TEST_CASE("chanspy_options: v(N) sets the volume step for every N in -4..4") {
    for (int step = min_volume_step; step <= max_volume_step; ++step) {
      CAPTURE(step);
      const auto p = parse_chanspy_options("v(" + std::to_string(step) + ")");
      SessionOptions want = chanspy_defaults();
      want.volume_step = step;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    CHECK(min_volume_step == -4);
    CHECK(max_volume_step == 4);
    CHECK(parse_chanspy_options("v(+3)").options.volume_step == 3);
  }

  TEST_CASE("chanspy_options: combinations") {
    SUBCASE("ESsb") {
      const auto p = parse_chanspy_options("ESsb");
      SessionOptions want = chanspy_defaults();
      want.exit_on_target_hangup = true;
      want.stop_when_none_left = true;
      want.announce = false;
      want.bridged_only = true;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("qEv(-2)") {
      const auto p = parse_chanspy_options("qEv(-2)");
      SessionOptions want = chanspy_defaults();
      want.announce = false;
      want.exit_on_target_hangup = true;
      want.volume_step = -2;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::listen);
    }
    SUBCASE("Bo") {
      const auto p = parse_chanspy_options("Bo");
      SessionOptions want = chanspy_defaults();
      want.listen_direction = ListenDirection::agent_only;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::barge);
    }
    SUBCASE("a volume in the middle: v(4)bE") {
      const auto p = parse_chanspy_options("v(4)bE");
      SessionOptions want = chanspy_defaults();
      want.volume_step = 4;
      want.bridged_only = true;
      want.exit_on_target_hangup = true;
      check_same_options(p.options, want);
    }
    SUBCASE("n(name) followed by more letters: n(sales)Wq") {
      const auto p = parse_chanspy_options("n(sales)Wq");
      SessionOptions want = chanspy_defaults();
      want.private_whisper = true;
      want.announce = false;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::whisper);
    }
    SUBCASE("every letter at once") {
      const auto p = parse_chanspy_options("ESbqsWodn(x)v(1)");
      SessionOptions want = chanspy_defaults();
      want.exit_on_target_hangup = true;
      want.stop_when_none_left = true;
      want.bridged_only = true;
      want.announce = false;
      want.private_whisper = true;
      want.listen_direction = ListenDirection::agent_only;
      want.volume_step = 1;
      check_same_options(p.options, want);
      CHECK(p.initial_mode == Mode::whisper);
    }
  }

  TEST_CASE("chanspy_options: the base options are kept where no letter speaks") {
    SessionOptions base;
    base.stereo = true;
    base.monitoring_tone = true;
    base.notify_agent = false;
    base.follow_on_transfer = true;
    base.pre_arm = true;
    base.whisper_to = WhisperTo::other_party;
    base.agent_leaves_in_barge = AgentLeavesInBarge::supervisor_takes_over;
    base.listen_direction = ListenDirection::customer_only;
    base.volume_step = -1;
    base.bridged_only = true;
    base.private_whisper = true;

    const auto p = parse_chanspy_options("q", base);
    SessionOptions want = base;
    // E, S and announce take ChanSpy's defaults when their letters are absent.
    want.exit_on_target_hangup = false;
    want.stop_when_none_left = false;
    want.announce = false;  // q
    check_same_options(p.options, want);
    CHECK(p.initial_mode == Mode::listen);

    // Letters override the base.
    const auto o = parse_chanspy_options("ov(2)", base);
    CHECK(o.options.listen_direction == ListenDirection::agent_only);
    CHECK(o.options.volume_step == 2);
    CHECK(o.options.stereo);
  }

  TEST_CASE("chanspy_options: unknown letters are rejected naming the letter and the string") {
    CHECK_CALLSUP_ERROR(parse_chanspy_options("Z"), errc::invalid_argument, "'Z'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("EZ"), errc::invalid_argument, "'Z'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("EZ"), errc::invalid_argument, "'EZ'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("qEx"), errc::invalid_argument, "'x'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("qEx"), errc::invalid_argument, "'qEx'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("E1"), errc::invalid_argument, "'1'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("E b"), errc::invalid_argument, "' '");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("g(sales)"), errc::invalid_argument, "'g'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("g(sales)"), errc::invalid_argument, "'g(sales)'");
    // A stray parenthesis is not a letter.
    CHECK_CALLSUP_ERROR(parse_chanspy_options("(E)"), errc::invalid_argument, "'('");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(1)(2)"), errc::invalid_argument, "'v(1)(2)'");
  }

  TEST_CASE("chanspy_options: bad volumes are rejected naming the value") {
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(abc)"), errc::invalid_argument, "'abc'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("Ev(abc)q"), errc::invalid_argument, "'abc'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(9)"), errc::invalid_argument, "'9'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(-5)"), errc::invalid_argument, "'-5'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(5)"), errc::invalid_argument, "'5'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(2x)"), errc::invalid_argument, "'2x'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(1.5)"), errc::invalid_argument, "'1.5'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v()"), errc::invalid_argument, "''");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v"), errc::invalid_argument, "''");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(99999999999999999999)"), errc::invalid_argument,
                        "'99999999999999999999'");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("v(3"), errc::invalid_argument, "v(3");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("Ev(-2"), errc::invalid_argument, "v(-2");
    CHECK_CALLSUP_ERROR(parse_chanspy_options("n(abc"), errc::invalid_argument, "n(abc");
  }

  TEST_CASE("chanspy_options: a base with a bad volume is rejected") {
    SessionOptions base;
    base.volume_step = 7;
    CHECK_CALLSUP_ERROR(parse_chanspy_options("", base), errc::invalid_argument, "'7'");
    // ... unless a letter fixes it.
    CHECK(parse_chanspy_options("v(0)", base).options.volume_step == 0);
  }

  TEST_CASE("chanspy_options: SessionOptions::validate checks the volume range") {
    SessionOptions o;
    for (int step = min_volume_step; step <= max_volume_step; ++step) {
      o.volume_step = step;
      CHECK_NOTHROW(o.validate());
    }
    o.volume_step = 5;
    CHECK_CALLSUP_ERROR(o.validate(), errc::invalid_argument, "'5'");
    o.volume_step = -5;
    CHECK_CALLSUP_ERROR(o.validate(), errc::invalid_argument, "'-5'");
    o.volume_step = 100;
    CHECK_CALLSUP_ERROR(o.validate(), errc::invalid_argument, "'100'");
    o.volume_step = INT_MIN;
    CHECK_CALLSUP_ERROR(o.validate(), errc::invalid_argument, "'" + std::to_string(INT_MIN) + "'");
    o.volume_step = INT_MAX;
    CHECK_CALLSUP_ERROR(o.validate(), errc::invalid_argument, "'" + std::to_string(INT_MAX) + "'");
  }

  TEST_CASE("chanspy_options: string forms of the option enums") {
    CHECK(to_string(AgentLeavesInBarge::end_call) == "end_call");
    CHECK(to_string(AgentLeavesInBarge::supervisor_takes_over) == "supervisor_takes_over");
    CHECK(to_string(ListenDirection::both) == "both");
    CHECK(to_string(ListenDirection::agent_only) == "agent_only");
    CHECK(to_string(ListenDirection::customer_only) == "customer_only");
  }

}  // TEST_SUITE
