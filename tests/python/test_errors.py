"""callsup.Error and its codes; bad arguments raise ValueError / TypeError naming the
value and never crash the process."""

from __future__ import annotations

import pickle
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest

import callsup
from callsup import (
    CallRegistry,
    DialParser,
    Directory,
    Error,
    ErrorCode,
    ExtensionProfile,
    FeatureCodePlan,
    InvalidArgumentError,
    Leg,
    NotFoundError,
)
from model_support import agent

# The C++ names and values of callsup::errc, in declaration order (include/callsup/error.hpp).
ERRC = [
    "invalid_argument",
    "unknown_extension",
    "unknown_tenant",
    "unknown_group",
    "unknown_call",
    "unknown_leg",
    "unknown_session",
    "duplicate_id",
    "malformed_dial_string",
    "invalid_plan",
    "session_ended",
    "malformed_directory",
    "io_error",
]


def raised(operation: Callable[[], Any]) -> Error:
    """The callsup.Error that `operation` raises."""
    with pytest.raises(Error) as caught:
        operation()
    return caught.value


def test_error_code_mirrors_errc() -> None:
    assert [code.name for code in ErrorCode] == ERRC
    assert [code.value for code in ErrorCode] == list(range(1, len(ERRC) + 1))


def test_exception_classes() -> None:
    assert issubclass(Error, Exception)
    assert issubclass(InvalidArgumentError, Error) and issubclass(InvalidArgumentError, ValueError)
    assert issubclass(NotFoundError, Error) and issubclass(NotFoundError, LookupError)
    assert not issubclass(Error, (ValueError, LookupError))


def test_error_carries_code_and_message_and_pickles() -> None:
    error = raised(lambda: CallRegistry().call("c9"))
    assert type(error) is NotFoundError
    assert error.code is ErrorCode.unknown_call
    assert error.message == "no call 'c9'"
    assert str(error) == "no call 'c9'"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is NotFoundError and copy.code is ErrorCode.unknown_call and str(copy) == str(error)


def test_python_code_may_raise_callsup_errors() -> None:
    with pytest.raises(ValueError, match="bad plan 'x'"):
        raise InvalidArgumentError(ErrorCode.invalid_plan, "bad plan 'x'")


@pytest.mark.parametrize(
    ("operation", "code", "cls", "needle"),
    [
        (lambda d, r: r.add_call("", "acme"), ErrorCode.invalid_argument, InvalidArgumentError, "call id"),
        (lambda d, r: d.extension("999"), ErrorCode.unknown_extension, NotFoundError, "'999'"),
        (lambda d, r: d.tenant("globex"), ErrorCode.unknown_tenant, NotFoundError, "'globex'"),
        (lambda d, r: d.remove_group("Sales"), ErrorCode.unknown_group, NotFoundError, "'Sales'"),
        (lambda d, r: r.end_call("c9"), ErrorCode.unknown_call, NotFoundError, "'c9'"),
        (lambda d, r: r.answer("L9"), ErrorCode.unknown_leg, NotFoundError, "'L9'"),
        (lambda d, r: d.add_extension(agent("744")), ErrorCode.duplicate_id, Error, "'744'"),
        (
            lambda d, r: DialParser(callsup.portaswitch_plan()).parse("*90abc"),
            ErrorCode.malformed_dial_string,
            InvalidArgumentError,
            "'*90abc'",
        ),
        (
            lambda d, r: DialParser(FeatureCodePlan()),
            ErrorCode.invalid_plan,
            InvalidArgumentError,
            "plan name",
        ),
        (lambda d, r: d.load_json("{"), ErrorCode.malformed_directory, InvalidArgumentError, "invalid JSON"),
        (
            lambda d, r: d.load_file("/nonexistent/dir.json"),
            ErrorCode.io_error,
            Error,
            "'/nonexistent/dir.json'",
        ),
    ],
    ids=lambda value: value.name if isinstance(value, ErrorCode) else None,
)
def test_every_cpp_error_arrives_with_its_code(
    operation: Callable[[Directory, CallRegistry], Any], code: ErrorCode, cls: type, needle: str
) -> None:
    directory = Directory()
    directory.set_tenant(callsup.TenantSettings(name="acme"))
    directory.add_extension(agent("744"))
    error = raised(lambda: operation(directory, CallRegistry()))
    assert type(error) is cls
    assert error.code is code
    assert needle in str(error)


def test_codes_without_a_builtin_base_are_plain_errors() -> None:
    registry = CallRegistry()
    registry.add_call("c1", "acme")
    error = raised(lambda: registry.add_call("c1", "acme"))
    assert error.code is ErrorCode.duplicate_id
    assert type(error) is Error and not isinstance(error, (ValueError, LookupError))


@pytest.mark.parametrize(
    ("operation", "needle"),
    [
        (lambda: CallRegistry().add_call(1, "acme"), "add_call"),  # type: ignore[arg-type]
        (lambda: CallRegistry().add_leg("c1", "A1"), "add_leg"),  # type: ignore[arg-type]
        (lambda: Leg(state="up"), "Leg"),  # type: ignore[arg-type]
        (lambda: Leg(id=None), "Leg"),  # type: ignore[arg-type]
        (lambda: callsup.MediaFormat(clock_rate=-1), "MediaFormat"),
        (lambda: callsup.MediaFormat(ptime_ms=70000), "MediaFormat"),
        (lambda: ExtensionProfile(roles="agent"), "ExtensionProfile"),  # type: ignore[arg-type]
        (lambda: ExtensionProfile(granted_modes=["listen"]), "ExtensionProfile"),  # type: ignore[list-item]
        (lambda: callsup.ModeSet(["listen"]), "'listen'"),  # type: ignore[list-item]
        (lambda: callsup.ModeSet(5), "ModeSet"),  # type: ignore[arg-type]
        (lambda: CallRegistry().subscribe("not callable"), "subscribe"),  # type: ignore[arg-type]
        (lambda: callsup.DtmfSwitch(callsup.stratus_plan(), "steady"), "DtmfSwitch"),  # type: ignore[arg-type]
        (lambda: Directory().load_dict({"tenants": [{"name": object()}]}), "not JSON serializable"),
    ],
)
def test_wrong_argument_types_raise_type_error(operation: Callable[[], Any], needle: str) -> None:
    with pytest.raises(TypeError) as caught:
        operation()
    assert needle in str(caught.value)


def test_bad_values_raise_value_errors_naming_them(clock: callsup.ManualClock) -> None:
    switch = callsup.DtmfSwitch(callsup.stratus_plan(), clock)
    for digit, shown in [("12", "'12'"), ("", "''"), ("x", "'x'"), ("é", "'é'"), ("\x07", "'\\x07'")]:
        with pytest.raises(ValueError) as caught:
            switch.feed(digit)
        assert shown in str(caught.value)
        assert isinstance(caught.value, Error) and caught.value.code is ErrorCode.invalid_argument
    with pytest.raises(ValueError, match="'nope'"):
        callsup.preset("nope")
    with pytest.raises(ValueError, match="'-5ms'"):
        clock.advance(timedelta(milliseconds=-5))


def test_errors_raised_on_other_threads_arrive_there() -> None:
    registry = CallRegistry()
    registry.add_call("c1", "acme")
    caught: list[BaseException] = []

    def add_again() -> None:
        try:
            registry.add_call("c1", "acme")
        except Error as error:
            caught.append(error)

    threads = [threading.Thread(target=add_again) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(caught) == 4
    assert all(isinstance(e, Error) and e.code is ErrorCode.duplicate_id for e in caught)


def test_a_missing_directory_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    error = raised(lambda: Directory().load_file(missing))
    assert error.code is ErrorCode.io_error
    assert f"'{missing}'" in str(error)
