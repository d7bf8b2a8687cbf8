# Over 400 lines: the Python twins of tests/unit/test_dialplan_*.cpp, one short test each.
"""Feature-code plans, presets, validation, the dial parser, the DTMF switch and the clocks
through Python (tests/unit/test_dialplan_*.cpp)."""

from __future__ import annotations

import gc
import weakref
from datetime import timedelta

import pytest

import callsup
from callsup import (
    DialCode,
    DialParser,
    DialRequest,
    DtmfCode,
    DtmfCommand,
    DtmfResult,
    DtmfSwitch,
    Error,
    ErrorCode,
    FeatureCodePlan,
    InvalidArgumentError,
    ManualClock,
    Mode,
    PlanContext,
    SteadyClock,
    WhisperTo,
)

Kind = DtmfResult.Kind
THREE_OR_FOUR = PlanContext(extension_lengths={3, 4})
LISTEN, WHISPER, BARGE = (DtmfCommand.switch_to(m) for m in (Mode.listen, Mode.whisper, Mode.barge))


def custom_plan() -> FeatureCodePlan:
    """Seed example (b): dial *21/*22/*23, DTMF 1/2/3 (tests/unit/support/custom_plan.hpp)."""
    return FeatureCodePlan(
        name="custom",
        dial_codes=[DialCode("*21", Mode.listen), DialCode("*22", Mode.whisper), DialCode("*23", Mode.barge)],
        dtmf_codes=[DtmfCode("1", LISTEN), DtmfCode("2", WHISPER), DtmfCode("3", BARGE)],
    )


def dtmf_table(plan: FeatureCodePlan) -> dict[str, DtmfCommand]:
    return {code.digits: code.command for code in plan.dtmf_codes}


def feed(switch: DtmfSwitch, digits: str) -> DtmfResult:
    result = DtmfResult()
    for digit in digits:
        result = switch.feed(digit)
    return result


# --- plans and presets ---------------------------------------------------------------------


def test_plan_defaults_and_command_factories() -> None:
    plan = FeatureCodePlan()
    assert plan.name == "" and plan.dial_codes == () and plan.dtmf_codes == ()
    assert plan.spy_any_code == "" and plan.spy_any_mode is Mode.listen
    assert plan.inter_digit_timeout == timedelta(seconds=2)
    assert DtmfCommand() == LISTEN
    assert DtmfCommand.next().action is DtmfCommand.Action.next_target
    assert DtmfCommand.leave().action is DtmfCommand.Action.exit
    assert DtmfCommand.switch_to(Mode.whisper, WhisperTo.other_party) == DtmfCommand(
        DtmfCommand.Action.switch_mode, Mode.whisper, WhisperTo.other_party
    )
    assert [a.name for a in DtmfCommand.Action] == ["switch_mode", "next_target", "exit"]


def test_every_preset_is_valid_and_named_after_itself() -> None:
    names = ["portaswitch", "star91", "stratus", "tronic", "asterisk_chanspy", "freeswitch_eavesdrop"]
    assert callsup.preset_names() == names
    for name in names:
        plan = callsup.preset(name)
        assert plan.name == name
        assert callsup.plan_problems(plan, THREE_OR_FOUR) == []
        callsup.validate(plan, THREE_OR_FOUR)
        assert plan == getattr(callsup, f"{name}_plan")()


def test_unknown_preset_names_it_and_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        callsup.preset("vicidial")
    assert caught.value.code is ErrorCode.invalid_argument
    assert "'vicidial'" in str(caught.value)
    assert all(name in str(caught.value) for name in callsup.preset_names())
    with pytest.raises(Error):
        callsup.preset("PortaSwitch")  # names are exact


def test_preset_tables() -> None:
    assert dtmf_table(callsup.portaswitch_plan()) == {
        "0": LISTEN,
        "1": WHISPER,
        "2": BARGE,
        "#": DtmfCommand.leave(),
    }
    chanspy = {"4": LISTEN, "5": WHISPER, "6": BARGE, "*": DtmfCommand.next(), "#": DtmfCommand.leave()}
    for plan in (callsup.star91_plan(), callsup.tronic_plan(), callsup.asterisk_chanspy_plan()):
        assert dtmf_table(plan) == chanspy
    assert dtmf_table(callsup.stratus_plan()) == {
        "*80": LISTEN,
        "*81": WHISPER,
        "*82": BARGE,
        "#": DtmfCommand.leave(),
    }
    fs = dtmf_table(callsup.freeswitch_eavesdrop_plan())
    assert fs["2"] == DtmfCommand.switch_to(Mode.whisper, WhisperTo.other_party) and len(fs) == 6
    assert callsup.star91_plan().dial_codes == (
        DialCode("*91", Mode.listen),
        DialCode("*92", Mode.whisper),
        DialCode("*93", Mode.barge),
    )
    assert (callsup.tronic_plan().spy_any_code, callsup.freeswitch_eavesdrop_plan().spy_any_code) == (
        "*95",
        "779",
    )


def test_a_whisper_key_without_a_party_follows_the_session() -> None:
    assert WHISPER.whisper_to is None and DtmfCommand().whisper_to is None
    assert WHISPER != DtmfCommand.switch_to(Mode.whisper, WhisperTo.target)  # explicit differs from "as the session"
    command = DtmfCommand.switch_to(Mode.whisper)
    command.whisper_to = WhisperTo.other_party
    assert command == DtmfCommand.switch_to(Mode.whisper, WhisperTo.other_party)
    assert "whisper_to=None" in repr(WHISPER)


@pytest.mark.parametrize(
    ("plan", "keys", "dial_codes"),
    [
        (callsup.portaswitch_plan(), ("0", "1", "2"), ("*90", "*91", "*92")),
        (callsup.star91_plan(), ("4", "5", "6"), ("*91", "*92", "*93")),
        (callsup.stratus_plan(), ("*80", "*81", "*82"), ("007", None, None)),
        (callsup.tronic_plan(), ("4", "5", "6"), ("*95", None, None)),
        # the whisper key aimed at the agent ("1"), not the one aimed at the other party ("2")
        (callsup.freeswitch_eavesdrop_plan(), ("0", "1", "3"), ("88", None, None)),
    ],
    ids=lambda value: value.name if isinstance(value, FeatureCodePlan) else None,
)
def test_key_for_and_dial_code_for_tell_a_ui_which_code_does_what(
    plan: FeatureCodePlan, keys: tuple[str, str, str], dial_codes: tuple[str | None, ...]
) -> None:
    modes = (Mode.listen, Mode.whisper, Mode.barge)
    assert tuple(plan.key_for(mode) for mode in modes) == keys
    assert tuple(plan.dial_code_for(mode) for mode in modes) == dial_codes
    assert FeatureCodePlan().key_for(Mode.listen) is None and FeatureCodePlan().dial_code_for(Mode.listen) is None


def test_key_for_takes_an_other_party_whisper_key_when_there_is_no_other() -> None:
    plan = custom_plan()
    plan.dtmf_codes = [DtmfCode("7", DtmfCommand.switch_to(Mode.whisper, WhisperTo.other_party))]
    assert plan.key_for(Mode.whisper) == "7" and plan.key_for(Mode.listen) is None


def test_plans_carry_session_defaults() -> None:
    plan = callsup.tronic_plan()
    assert plan.session_defaults.exit_on_target_hangup is False
    plan.session_defaults.announce = True  # a view into the plan
    assert plan.session_defaults == callsup.SessionDefaults(exit_on_target_hangup=False, announce=True)
    assert plan != callsup.tronic_plan()
    plan.session_defaults.volume_step = 5
    with pytest.raises(InvalidArgumentError, match="session default volume step '5'"):
        callsup.validate(plan)


# --- validation ----------------------------------------------------------------------------


def test_validation_names_the_codes_concerned() -> None:
    plan = custom_plan()
    plan.dial_codes = [DialCode("*90", Mode.listen), DialCode("*9", Mode.whisper)]
    assert callsup.plan_problems(plan) == ["dial code '*9' is a prefix of '*90'"]
    spy = callsup.tronic_plan()
    spy.spy_any_mode = Mode.barge
    assert callsup.plan_problems(spy, THREE_OR_FOUR) == [
        "spy-all code '*95' equals dial code '*95' for listen but the spy-all mode is barge"
    ]
    reads_as_extension = custom_plan()
    reads_as_extension.dial_codes = [DialCode("*9", Mode.listen)]
    reads_as_extension.spy_any_code = "*95"
    assert callsup.plan_problems(reads_as_extension, PlanContext({1, 3})) == [
        "spy-all code '*95' could be '*9' + extension '5'"
    ]
    assert callsup.plan_problems(reads_as_extension, THREE_OR_FOUR) == []
    stratus = callsup.stratus_plan()
    stratus.dtmf_codes = [*stratus.dtmf_codes, DtmfCode("*", DtmfCommand.next())]
    assert callsup.plan_problems(stratus) == [f"DTMF code '*' is a prefix of '*8{n}'" for n in range(3)]


def test_reserved_codes_lengths_and_timeout_are_checked() -> None:
    assert callsup.plan_problems(callsup.portaswitch_plan(), PlanContext({3, 4}, ["*901"])) == [
        "dial code '*90' collides with reserved code '*901'"
    ]
    assert callsup.plan_problems(callsup.portaswitch_plan(), PlanContext(set(), ["0", "#"])) == []
    assert callsup.plan_problems(custom_plan(), PlanContext({3}, ["*97", ""])) == [
        "reserved code #2 is empty"
    ]
    assert callsup.plan_problems(custom_plan(), PlanContext({16})) == [
        "extension length '16' is out of range (1..15)"
    ]
    plan = custom_plan()
    for timeout, ok in [
        (timedelta(0), False),
        (timedelta(milliseconds=1), True),
        (timedelta(seconds=10), True),
        (timedelta(milliseconds=10001), False),
    ]:
        plan.inter_digit_timeout = timeout
        assert (callsup.plan_problems(plan) == []) is ok, timeout


def test_validate_joins_every_problem() -> None:
    plan = FeatureCodePlan(
        dtmf_codes=[DtmfCode("1", DtmfCommand.leave()), DtmfCode("1", DtmfCommand.next())],
        inter_digit_timeout=timedelta(0),
    )
    with pytest.raises(InvalidArgumentError) as caught:
        callsup.validate(plan)
    assert caught.value.code is ErrorCode.invalid_plan
    assert str(caught.value) == (
        "plan name is empty; plan has no dial code and no spy-all code; DTMF code '1' is used twice; "
        "inter-digit timeout '0ms' is out of range (1ms..10000ms)"
    )
    with pytest.raises(InvalidArgumentError, match="collides with reserved code '\\*90'"):
        callsup.validate(callsup.portaswitch_plan(), PlanContext({3, 4}, ["*90"]))


def test_parser_and_switch_refuse_invalid_plans(clock: ManualClock) -> None:
    plan = custom_plan()
    plan.dial_codes = [DialCode("*9", Mode.listen), DialCode("*90", Mode.whisper)]
    for make in (lambda: DialParser(plan), lambda: DtmfSwitch(plan, clock)):
        with pytest.raises(InvalidArgumentError, match=r"dial code '\*9' is a prefix of '\*90'") as caught:
            make()
        assert caught.value.code is ErrorCode.invalid_plan


# --- the dial parser -----------------------------------------------------------------------


def test_dial_parser_seed_examples() -> None:
    custom = DialParser(custom_plan())
    assert custom.parse("*21744") == DialRequest(Mode.listen, "744", False, "*21")
    assert custom.parse("*23744") == DialRequest(Mode.barge, "744", False, "*23")
    assert custom.plan.name == "custom"
    assert DialParser(callsup.stratus_plan()).parse("007100") == DialRequest(Mode.listen, "100", False, "007")
    tronic = DialParser(callsup.tronic_plan())
    assert tronic.parse("*95103") == DialRequest(Mode.listen, "103", False, "*95")
    assert tronic.parse("*95") == DialRequest(Mode.listen, "", True, "*95")
    assert DialParser(callsup.star91_plan()).parse("*92744") == DialRequest(Mode.whisper, "744", False, "*92")


def test_dial_strings_that_are_not_ours_give_none() -> None:
    parser = DialParser(callsup.portaswitch_plan())
    for dialled in ("744", "*70", "+4930123", "*9", "#", "*"):
        assert parser.parse(dialled) is None, dialled
    fs = DialParser(callsup.freeswitch_eavesdrop_plan())
    assert fs.parse("7791") is None and fs.parse("779") == DialRequest(Mode.listen, "", True, "779")


def test_malformed_dial_strings_raise_naming_the_string() -> None:
    parser = DialParser(callsup.portaswitch_plan())
    expected = {
        "*90": "dial string '*90' has no extension after dial code '*90'",
        "*90 744": "dial string '*90 744' has character ' ' (allowed: 0-9 * # +)",
        "*90#7": "dial string '*90#7' has extension '#7' after dial code '*90', which is not all digits",
        "": "dial string '' is empty",
        "*90\x00744": "dial string '*90\\x00744' has character '\\x00' (allowed: 0-9 * # +)",
        "*901234567890123456": "longer than 15 digits",
        "*9０": "dial string '*9０' has character '\\xEF' (allowed: 0-9 * # +)",
    }
    for dialled, message in expected.items():
        with pytest.raises(InvalidArgumentError) as caught:
            parser.parse(dialled)
        assert caught.value.code is ErrorCode.malformed_dial_string
        assert message in str(caught.value), (dialled, str(caught.value))
    assert parser.parse("*90123456789012345") == DialRequest(Mode.listen, "123456789012345", False, "*90")


def test_the_parser_keeps_a_copy_of_the_plan() -> None:
    plan = callsup.portaswitch_plan()
    parser = DialParser(plan)
    plan.dial_codes = []
    assert parser.plan == callsup.portaswitch_plan()
    assert parser.parse("*90744") is not None


# --- the DTMF switch and clocks ------------------------------------------------------------


def test_switch_custom_single_digit_codes(clock: ManualClock) -> None:
    switch = DtmfSwitch(custom_plan(), clock)
    assert switch.feed("2") == DtmfResult(Kind.command, WHISPER, "2")
    assert switch.feed("3") == DtmfResult(Kind.command, BARGE, "3")
    assert switch.feed("9") == DtmfResult(Kind.unrecognised, DtmfCommand(), "9")
    assert switch.pending == ""


def test_switch_stratus_codes_digit_by_digit(clock: ManualClock) -> None:
    switch = DtmfSwitch(callsup.stratus_plan(), clock)
    assert (switch.feed("*").kind, switch.pending) == (Kind.pending, "*")
    assert switch.feed("8") == DtmfResult(Kind.pending, DtmfCommand(), "*8")
    assert switch.feed("1") == DtmfResult(Kind.command, WHISPER, "*81")
    assert feed(switch, "*89") == DtmfResult(Kind.unrecognised, DtmfCommand(), "*89")
    switch.feed("*")
    assert switch.feed("*") == DtmfResult(Kind.unrecognised, DtmfCommand(), "*")  # restarts with the 2nd '*'
    assert switch.pending == "*"
    switch.feed("8")
    assert switch.feed("#") == DtmfResult(Kind.command, DtmfCommand.leave(), "#")  # a whole code wins


def test_switch_inter_digit_timeout(clock: ManualClock) -> None:
    switch = DtmfSwitch(callsup.stratus_plan(), clock)
    assert switch.poll() == DtmfResult(Kind.pending, DtmfCommand(), "")
    switch.feed("*")
    clock.advance(timedelta(milliseconds=1999))
    assert switch.poll().kind is Kind.pending
    clock.advance(timedelta(milliseconds=1))  # exactly the timeout
    assert switch.poll() == DtmfResult(Kind.timed_out, DtmfCommand(), "*")
    assert switch.poll().digits == ""  # reported once
    feed(switch, "*8")
    clock.advance(timedelta(milliseconds=2500))
    assert switch.feed("1") == DtmfResult(Kind.unrecognised, DtmfCommand(), "1")  # stale "*8" dropped first
    feed(switch, "*8")
    switch.reset()
    assert switch.pending == ""


def test_switch_folds_a_to_d_and_rejects_other_characters(clock: ManualClock) -> None:
    plan = custom_plan()
    plan.dtmf_codes = [
        *plan.dtmf_codes,
        DtmfCode("A", DtmfCommand.next()),
        DtmfCode("*D", DtmfCommand.leave()),
    ]
    switch = DtmfSwitch(plan, clock)
    assert switch.feed("a") == DtmfResult(Kind.command, DtmfCommand.next(), "A")
    switch.feed("*")
    for bad in ("E", "x", " ", "+", "\x00", "\x7f", "12", ""):
        with pytest.raises(InvalidArgumentError) as caught:
            switch.feed(bad)
        assert caught.value.code is ErrorCode.invalid_argument
    assert str(caught.value) == "DTMF digit '' is not a single character (0-9 * # A-D)"
    with pytest.raises(ValueError, match=r"^DTMF digit 'x' is not one of 0-9 \* # A-D$"):
        switch.feed("x")
    assert switch.pending == "*"  # a rejected character leaves the buffer alone
    assert switch.feed("d") == DtmfResult(Kind.command, DtmfCommand.leave(), "*D")


def test_check_digit_folds_and_rejects_like_feed() -> None:
    assert DtmfSwitch.check_digit("a") == "A" and DtmfSwitch.check_digit("#") == "#"
    assert DtmfSwitch.check_digit("7") == "7"
    for bad in ("x", "12", "", "E"):
        with pytest.raises(InvalidArgumentError) as caught:
            DtmfSwitch.check_digit(bad)
        assert caught.value.code is ErrorCode.invalid_argument and repr(bad) in str(caught.value)


def test_switch_freeswitch_whisper_to_either_party(clock: ManualClock) -> None:
    switch = DtmfSwitch(callsup.freeswitch_eavesdrop_plan(), clock)
    assert switch.feed("1").command == DtmfCommand(
        DtmfCommand.Action.switch_mode, Mode.whisper, WhisperTo.target
    )
    assert switch.feed("2").command.whisper_to is WhisperTo.other_party
    assert switch.feed("*").command.action is DtmfCommand.Action.next_target


def test_switch_defaults_to_the_steady_clock_and_keeps_its_clock_alive() -> None:
    switch = DtmfSwitch(callsup.star91_plan())
    assert switch.feed("5") == DtmfResult(Kind.command, WHISPER, "5")
    assert switch.plan.name == "star91"
    clock = ManualClock(timedelta(seconds=5))
    clock_ref = weakref.ref(clock)
    kept = DtmfSwitch(callsup.stratus_plan(), clock)
    del clock
    gc.collect()
    assert clock_ref() is not None  # the switch reads its clock on every digit
    kept.feed("*")
    assert kept.poll().kind is Kind.pending
    del kept
    gc.collect()
    assert clock_ref() is None


def test_clocks() -> None:
    clock = ManualClock()
    assert clock.now() == timedelta(0)
    clock.advance(timedelta(milliseconds=250))
    assert clock.now() == timedelta(milliseconds=250)
    clock.set(timedelta(seconds=10))
    assert clock.now() == timedelta(seconds=10)
    with pytest.raises(InvalidArgumentError, match="ManualClock::advance step '-1ms' is negative"):
        clock.advance(timedelta(milliseconds=-1))
    assert ManualClock(timedelta(seconds=3)).now() == timedelta(seconds=3)
    steady = SteadyClock()
    assert isinstance(steady, callsup.Clock) and steady.now() <= steady.now()
    with pytest.raises(TypeError):
        callsup.Clock()
