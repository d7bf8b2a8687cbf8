#include <doctest/doctest.h>

#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

#include "callsup/end_reason.hpp"
#include "callsup/error.hpp"
#include "callsup/mode.hpp"
#include "callsup/policy/reason.hpp"

#include "support/checks.hpp"

using namespace callsup;

TEST_SUITE("mode") {
  TEST_CASE("mode: Mode order and string forms") {
    CHECK(Mode::listen < Mode::whisper);
    CHECK(Mode::whisper < Mode::barge);
    CHECK(to_string(Mode::listen) == "listen");
    CHECK(to_string(Mode::whisper) == "whisper");
    CHECK(to_string(Mode::barge) == "barge");
    CHECK(all_modes.size() == 3);
    CHECK(all_modes[0] == Mode::listen);
    CHECK(all_modes[1] == Mode::whisper);
    CHECK(all_modes[2] == Mode::barge);
  }

  TEST_CASE("mode: mode_from_string and parse_mode round-trip every mode") {
    for (Mode mode : all_modes) {
      CAPTURE(to_string(mode));
      REQUIRE(mode_from_string(to_string(mode)).has_value());
      CHECK(*mode_from_string(to_string(mode)) == mode);
      CHECK(parse_mode(to_string(mode)) == mode);
    }
    static_assert(mode_from_string("whisper") == Mode::whisper, "usable in constant expressions");
  }

  TEST_CASE("mode: bad mode strings are rejected, parse_mode names the text") {
    for (std::string_view bad :
         {"", "shout", "listen ", " listen", "listenx", "bargee", "listen|whisper", "none"}) {
      CAPTURE(bad);
      CHECK_FALSE(mode_from_string(bad).has_value());
      CHECK_CALLSUP_ERROR(parse_mode(bad), errc::invalid_argument, "'" + std::string(bad) + "'");
    }
    CHECK_CALLSUP_ERROR(parse_mode("eavesdrop"), errc::invalid_argument, "eavesdrop");
  }

  TEST_CASE("mode: ModeSet none, all and up_to") {
    CHECK(ModeSet{}.empty());
    CHECK(ModeSet::none().empty());
    CHECK(ModeSet::none() == ModeSet{});
    CHECK(ModeSet::none().bits() == 0);
    for (Mode mode : all_modes) CHECK_FALSE(ModeSet::none().contains(mode));

    CHECK_FALSE(ModeSet::all().empty());
    for (Mode mode : all_modes) CHECK(ModeSet::all().contains(mode));
    CHECK(ModeSet::all().bits() == 0b111);

    const ModeSet listen_only = ModeSet::up_to(Mode::listen);
    CHECK(listen_only.contains(Mode::listen));
    CHECK_FALSE(listen_only.contains(Mode::whisper));
    CHECK_FALSE(listen_only.contains(Mode::barge));
    CHECK(listen_only == ModeSet{Mode::listen});

    const ModeSet up_to_whisper = ModeSet::up_to(Mode::whisper);
    CHECK(up_to_whisper.contains(Mode::listen));
    CHECK(up_to_whisper.contains(Mode::whisper));
    CHECK_FALSE(up_to_whisper.contains(Mode::barge));
    CHECK(up_to_whisper == (ModeSet{Mode::listen, Mode::whisper}));

    CHECK(ModeSet::up_to(Mode::barge) == ModeSet::all());
  }

  TEST_CASE("mode: separate grants need not be hierarchical") {
    const ModeSet listen_and_barge{Mode::listen, Mode::barge};
    CHECK(listen_and_barge.contains(Mode::listen));
    CHECK_FALSE(listen_and_barge.contains(Mode::whisper));
    CHECK(listen_and_barge.contains(Mode::barge));
    CHECK(listen_and_barge != ModeSet::all());
    CHECK(listen_and_barge != ModeSet::up_to(Mode::barge));

    const ModeSet whisper_only{Mode::whisper};
    CHECK_FALSE(whisper_only.contains(Mode::listen));
    CHECK(whisper_only.contains(Mode::whisper));
    CHECK(whisper_only.highest() == Mode::whisper);

    // Repeated modes in the initializer list are one mode.
    CHECK(ModeSet({Mode::listen, Mode::listen}) == ModeSet{Mode::listen});
  }

  TEST_CASE("mode: ModeSet add and remove") {
    ModeSet set;
    set.add(Mode::whisper);
    CHECK(set == ModeSet{Mode::whisper});
    set.add(Mode::whisper);  // idempotent
    CHECK(set == ModeSet{Mode::whisper});
    set.add(Mode::barge).add(Mode::listen);  // chains
    CHECK(set == ModeSet::all());
    set.remove(Mode::whisper);
    CHECK(set == (ModeSet{Mode::listen, Mode::barge}));
    set.remove(Mode::whisper);  // removing an absent mode changes nothing
    CHECK(set == (ModeSet{Mode::listen, Mode::barge}));
    set.remove(Mode::listen).remove(Mode::barge);
    CHECK(set.empty());
    CHECK(set == ModeSet::none());
    set.remove(Mode::barge);
    CHECK(set.empty());
  }

  TEST_CASE("mode: ModeSet highest") {
    CHECK_FALSE(ModeSet::none().highest().has_value());
    CHECK(ModeSet::all().highest() == Mode::barge);
    CHECK(ModeSet{Mode::listen}.highest() == Mode::listen);
    CHECK(ModeSet::up_to(Mode::whisper).highest() == Mode::whisper);
    CHECK((ModeSet{Mode::listen, Mode::barge}).highest() == Mode::barge);
    CHECK((ModeSet{Mode::whisper, Mode::listen}).highest() == Mode::whisper);
  }

  TEST_CASE("mode: ModeSet operators & | ==") {
    const ModeSet lw{Mode::listen, Mode::whisper};
    const ModeSet wb{Mode::whisper, Mode::barge};
    CHECK((lw & wb) == ModeSet{Mode::whisper});
    CHECK((lw | wb) == ModeSet::all());
    CHECK((lw & ModeSet::none()).empty());
    CHECK((lw | ModeSet::none()) == lw);
    CHECK((lw & ModeSet::all()) == lw);
    CHECK((ModeSet{Mode::listen} & ModeSet{Mode::barge}).empty());
    CHECK(lw == lw);
    CHECK_FALSE(lw == wb);
    CHECK(lw != wb);
    // Operators do not modify their operands.
    CHECK(lw == (ModeSet{Mode::listen, Mode::whisper}));
    CHECK(wb == (ModeSet{Mode::whisper, Mode::barge}));
  }

  TEST_CASE("mode: ModeSet from_bits masks unknown bits") {
    CHECK(ModeSet::from_bits(0b001) == ModeSet{Mode::listen});
    CHECK(ModeSet::from_bits(0b010) == ModeSet{Mode::whisper});
    CHECK(ModeSet::from_bits(0b100) == ModeSet{Mode::barge});
    CHECK(ModeSet::from_bits(0xFF) == ModeSet::all());
    CHECK(ModeSet::from_bits(0xF8).empty());
    for (std::uint8_t bits = 0; bits < 8; ++bits) CHECK(ModeSet::from_bits(bits).bits() == bits);
  }

  TEST_CASE("mode: ModeSet to_string") {
    CHECK(ModeSet::none().to_string() == "none");
    CHECK(ModeSet{Mode::listen}.to_string() == "listen");
    CHECK(ModeSet{Mode::whisper}.to_string() == "whisper");
    CHECK(ModeSet{Mode::barge}.to_string() == "barge");
    CHECK(ModeSet::up_to(Mode::whisper).to_string() == "listen|whisper");
    // Always in mode order, whatever order the set was built in.
    CHECK((ModeSet{Mode::barge, Mode::listen}).to_string() == "listen|barge");
    CHECK((ModeSet{Mode::barge, Mode::whisper}).to_string() == "whisper|barge");
    CHECK(ModeSet::all().to_string() == "listen|whisper|barge");
  }

  TEST_CASE("mode: ModeSet is usable in constant expressions") {
    constexpr ModeSet set = ModeSet::up_to(Mode::whisper) | ModeSet{Mode::barge};
    static_assert(set == ModeSet::all());
    static_assert(set.highest() == Mode::barge);
    static_assert(!ModeSet::none().contains(Mode::listen));
    CHECK(set == ModeSet::all());
  }

  TEST_CASE("mode: every Reason string round-trips and all are distinct") {
    std::set<std::string_view> seen;
    for (Reason reason : all_reasons) {
      const std::string_view text = to_string(reason);
      CAPTURE(text);
      CHECK(text != "unknown");
      CHECK_FALSE(text.empty());
      CHECK(seen.insert(text).second);
      REQUIRE(reason_from_string(text).has_value());
      CHECK(*reason_from_string(text) == reason);
    }
    CHECK(seen.size() == all_reasons.size());
    // all_reasons covers every enumerator: they are 0..custom without gaps.
    CHECK(all_reasons.size() == static_cast<std::size_t>(Reason::channel_not_allowed) + 1);
    for (std::size_t i = 0; i < all_reasons.size(); ++i) CHECK(static_cast<std::size_t>(all_reasons[i]) == i);
    CHECK_FALSE(reason_from_string("").has_value());
    CHECK_FALSE(reason_from_string("denied").has_value());
    CHECK_FALSE(reason_from_string("unknown").has_value());
  }

  TEST_CASE("mode: Reason strings are the stable audit spellings") {
    CHECK(to_string(Reason::allowed) == "allowed");
    CHECK(to_string(Reason::supervision_disabled) == "supervision_disabled");
    CHECK(to_string(Reason::unknown_supervisor) == "unknown_supervisor");
    CHECK(to_string(Reason::unknown_target) == "unknown_target");
    CHECK(to_string(Reason::cross_tenant) == "cross_tenant");
    CHECK(to_string(Reason::not_a_supervisor) == "not_a_supervisor");
    CHECK(to_string(Reason::self_supervision) == "self_supervision");
    CHECK(to_string(Reason::privacy) == "privacy");
    CHECK(to_string(Reason::out_of_scope) == "out_of_scope");
    CHECK(to_string(Reason::mode_not_granted) == "mode_not_granted");
    CHECK(to_string(Reason::not_bridged) == "not_bridged");
    CHECK(to_string(Reason::whisper_topology) == "whisper_topology");
    CHECK(to_string(Reason::supervisor_cap) == "supervisor_cap");
    CHECK(to_string(Reason::barge_cap) == "barge_cap");
    CHECK(to_string(Reason::no_call) == "no_call");
    CHECK(to_string(Reason::custom) == "custom");
  }

  TEST_CASE("mode: every EndReason string round-trips and all are distinct") {
    std::set<std::string_view> seen;
    for (EndReason reason : all_end_reasons) {
      const std::string_view text = to_string(reason);
      CAPTURE(text);
      CHECK(text != "unknown");
      CHECK_FALSE(text.empty());
      CHECK(seen.insert(text).second);
      REQUIRE(end_reason_from_string(text).has_value());
      CHECK(*end_reason_from_string(text) == reason);
    }
    CHECK(seen.size() == all_end_reasons.size());
    CHECK(all_end_reasons.size() == static_cast<std::size_t>(EndReason::shutdown) + 1);
    for (std::size_t i = 0; i < all_end_reasons.size(); ++i)
      CHECK(static_cast<std::size_t>(all_end_reasons[i]) == i);
    CHECK_FALSE(end_reason_from_string("").has_value());
    CHECK_FALSE(end_reason_from_string("ended").has_value());
    CHECK(to_string(EndReason::none) == "none");
    CHECK(to_string(EndReason::stopped) == "stopped");
    CHECK(to_string(EndReason::supervisor_left) == "supervisor_left");
    CHECK(to_string(EndReason::target_left) == "target_left");
    CHECK(to_string(EndReason::call_ended) == "call_ended");
    CHECK(to_string(EndReason::permission_lost) == "permission_lost");
    CHECK(to_string(EndReason::agent_left_barge) == "agent_left_barge");
    CHECK(to_string(EndReason::taken_over) == "taken_over");
    CHECK(to_string(EndReason::transferred) == "transferred");
    CHECK(to_string(EndReason::no_calls_left) == "no_calls_left");
    CHECK(to_string(EndReason::shutdown) == "shutdown");
  }

  TEST_CASE("mode: errc strings are stable and distinct") {
    const errc all[] = {errc::invalid_argument, errc::unknown_extension, errc::unknown_tenant,
                        errc::unknown_group,    errc::unknown_call,      errc::unknown_leg,
                        errc::unknown_session,  errc::duplicate_id,      errc::malformed_dial_string,
                        errc::invalid_plan,     errc::session_ended,     errc::malformed_directory,
                        errc::io_error};
    const char* names[] = {
        "invalid_argument", "unknown_extension",   "unknown_tenant", "unknown_group",         "unknown_call",
        "unknown_leg",      "unknown_session",     "duplicate_id",   "malformed_dial_string", "invalid_plan",
        "session_ended",    "malformed_directory", "io_error"};
    std::set<std::string> seen;
    for (std::size_t i = 0; i < std::size(all); ++i) {
      CAPTURE(names[i]);
      CHECK(std::string(to_string(all[i])) == names[i]);
      CHECK(seen.insert(to_string(all[i])).second);
      CHECK(make_error_code(all[i]).message() == names[i]);
      // No code is 0: every callsup error_code tests true.
      CHECK(static_cast<int>(all[i]) != 0);
      CHECK(static_cast<bool>(make_error_code(all[i])));
    }
    // The list above is every code: they run 1..io_error without gaps.
    CHECK(std::size(all) == static_cast<std::size_t>(errc::io_error));
    for (std::size_t i = 0; i < std::size(all); ++i) CHECK(static_cast<std::size_t>(all[i]) == i + 1);
    CHECK(std::string(to_string(static_cast<errc>(static_cast<int>(errc::io_error) + 1))) == "unknown");
    CHECK(std::string(to_string(static_cast<errc>(0))) == "unknown");
    CHECK(std::string(to_string(static_cast<errc>(200))) == "unknown");
  }

  TEST_CASE("mode: error_category and std::error_code integration") {
    CHECK(std::string(error_category().name()) == "callsup");
    CHECK(&error_category() == &error_category());  // a singleton: codes compare by category address
    const std::error_code code = make_error_code(errc::unknown_call);
    CHECK(code.message() == "unknown_call");
    CHECK(std::string(code.category().name()) == "callsup");
    CHECK(code.value() == static_cast<int>(errc::unknown_call));
    CHECK(code.category() == error_category());

    // is_error_code_enum: errc converts implicitly and compares with error_code.
    const std::error_code implicit = errc::duplicate_id;
    CHECK(implicit == errc::duplicate_id);
    CHECK(implicit != errc::unknown_call);
    CHECK(implicit.message() == "duplicate_id");
    CHECK(implicit != std::make_error_code(std::errc::invalid_argument));
  }

  TEST_CASE("mode: Error carries its code, its error_code and its message") {
    const Error error(errc::unknown_leg, "no leg 'L9'");
    CHECK(error.code() == errc::unknown_leg);
    CHECK(error.error_code() == errc::unknown_leg);
    CHECK(error.error_code().category() == error_category());
    CHECK(std::string(error.what()) == "no leg 'L9'");
    const std::runtime_error& base = error;  // catchable as std::runtime_error
    CHECK(std::string(base.what()) == "no leg 'L9'");
    CHECK(quoted("x y") == "'x y'");
    CHECK(quoted("") == "''");
  }

}  // TEST_SUITE
