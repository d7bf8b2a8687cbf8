# Over 400 lines: the Python twins of tests/unit/test_call_registry.cpp and test_mode.cpp, one short
# test each.
"""The call model through Python: modes, legs and calls as values, and the CallRegistry
(the scenarios of tests/unit/test_call_registry.cpp and test_mode.cpp)."""

from __future__ import annotations

import copy
import enum
import pickle
import threading
from typing import Any

import pytest

from callsup import (
    Call,
    CallRegistry,
    ErrorCode,
    InvalidArgumentError,
    Leg,
    LegState,
    MediaFormat,
    Mode,
    ModeSet,
    Network,
    NotFoundError,
    RegistryEvent,
    RegistryEventKind,
)

K = RegistryEventKind


def add_simple_call(
    registry: CallRegistry, call: str = "c1", ext: str = "100", customer: str = "C1", agent_leg: str = "A1"
) -> None:
    """A customer (off-net) calling agent `ext` (on-net), both ringing."""
    registry.add_call(call, "acme")
    registry.add_leg(call, Leg.off_net(customer, "+15550001"))
    registry.add_leg(call, Leg.on_net(agent_leg, ext))


def leg_ids(call: Call) -> list[str]:
    return [leg.id for leg in call.legs]


class Recorder:
    """A subscriber keeping every event, safe to call from any thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[RegistryEvent] = []

    def __call__(self, event: RegistryEvent) -> None:
        with self.lock:
            self.events.append(event)

    def kinds(self) -> list[RegistryEventKind]:
        with self.lock:
            return [e.kind for e in self.events]


# --- modes ---------------------------------------------------------------------------------


def test_mode_is_an_enum_named_like_the_wire_strings() -> None:
    assert issubclass(Mode, enum.Enum)
    assert [m.name for m in Mode] == ["listen", "whisper", "barge"]
    assert [m.value for m in Mode] == [0, 1, 2]
    assert Mode["whisper"] is Mode.whisper
    assert Mode(2) is Mode.barge


def test_mode_set_none_all_up_to_and_separate_grants() -> None:
    assert len(ModeSet.none()) == 0 and not ModeSet.none()
    assert list(ModeSet.all()) == [Mode.listen, Mode.whisper, Mode.barge]
    assert ModeSet.up_to(Mode.listen) == {Mode.listen}
    assert ModeSet.up_to(Mode.whisper) == {Mode.listen, Mode.whisper}
    assert ModeSet.up_to(Mode.barge) == ModeSet.all()
    barge_only = ModeSet([Mode.barge])
    assert Mode.barge in barge_only and Mode.listen not in barge_only
    assert "barge" not in barge_only  # a string is not a mode
    assert barge_only.highest is Mode.barge
    assert ModeSet().highest is None


def test_mode_set_operators_hash_and_conversions() -> None:
    lw = ModeSet([Mode.listen, Mode.whisper])
    assert lw | [Mode.barge] == ModeSet.all()
    assert {Mode.barge} | lw == ModeSet.all()  # reflected
    assert lw & {Mode.whisper, Mode.barge} == {Mode.whisper}
    assert (lw | ModeSet()) is not lw and lw == ModeSet.up_to(Mode.whisper)
    assert hash(lw) == hash(frozenset({Mode.listen, Mode.whisper}))
    assert {lw: 1}[ModeSet.up_to(Mode.whisper)] == 1
    assert lw != {Mode.listen} and lw != "listen|whisper" and lw != 3
    assert str(lw) == "listen|whisper" and str(ModeSet()) == "none"
    assert repr(lw) == "ModeSet([Mode.listen, Mode.whisper])"
    assert lw.bits == 0b011
    assert ModeSet.from_bits(0xFF) == ModeSet.all()  # unknown bits are masked
    assert pickle.loads(pickle.dumps(lw)) == lw and copy.deepcopy(lw) == lw
    with pytest.raises(TypeError):
        lw | 5  # type: ignore[operator]


# --- values --------------------------------------------------------------------------------


def test_leg_and_call_defaults_match_cpp() -> None:
    leg = Leg()
    assert (leg.id, leg.extension, leg.remote_number) == ("", "", "")
    assert leg.network is Network.on_net and leg.state is LegState.ringing
    assert leg.format == MediaFormat("PCMU", 8000, 20)
    call = Call()
    assert (call.id, call.tenant, call.legs, call.bridged, call.group, call.sequence) == (
        "",
        "",
        (),
        False,
        "",
        0,
    )


def test_leg_factories_keywords_and_positional() -> None:
    assert Leg.on_net("A1", "744") == Leg(id="A1", extension="744")
    assert Leg.off_net("C1", "+1555", LegState.up) == Leg("C1", "", "+1555", Network.off_net, LegState.up)
    assert Leg.on_net("A1", "744", LegState.up).carries_audio
    assert not Leg.on_net("A1", "744", LegState.held).carries_audio


def test_values_compare_copy_pickle_and_print() -> None:
    leg = Leg.on_net("A1", "744", LegState.up)
    assert leg == Leg.on_net("A1", "744", LegState.up) and leg != Leg.on_net("A2", "744", LegState.up)
    assert leg != "A1"
    with pytest.raises(TypeError):
        hash(leg)  # mutable values are not hashable
    assert repr(leg) == (
        "Leg(id='A1', extension='744', remote_number='', network=Network.on_net, state=LegState.up, "
        "format=MediaFormat(codec='PCMU', clock_rate=8000, ptime_ms=20))"
    )
    call = Call(id="c1", tenant="acme", legs=[leg], bridged=True)
    for clone in (copy.copy(call), copy.deepcopy(call), pickle.loads(pickle.dumps(call))):
        assert clone == call
    clone = copy.copy(call)
    clone.bridged = False
    assert call.bridged  # a copy, not a view


def test_nested_values_are_changed_in_place_lists_are_assigned() -> None:
    leg = Leg.on_net("A1", "744")
    leg.format.codec = "PCMA"  # a struct member is a view into its owner
    assert leg.format.codec == "PCMA"
    call = Call(id="c1", legs=[leg])
    assert isinstance(call.legs, tuple)
    with pytest.raises(AttributeError):
        call.legs.append(leg)  # type: ignore[attr-defined]
    call.legs = [*call.legs, Leg.off_net("C1", "+1555")]
    assert leg_ids(call) == ["A1", "C1"]
    assert call.find_leg("C1") == Leg.off_net("C1", "+1555")
    assert call.find_leg("nope") is None
    assert call.leg_of_extension("744") == leg
    assert call.present_legs == 2


# --- the registry --------------------------------------------------------------------------


def test_add_call_creates_an_empty_call_with_a_growing_sequence(registry: CallRegistry) -> None:
    assert len(registry) == 0 and registry.find_call("c1") is None
    registry.add_call("c1", "acme")
    registry.add_call("c2", "acme", "sales")
    assert len(registry) == 2 and "c1" in registry and "c3" not in registry and 7 not in registry
    c1, c2 = registry.call("c1"), registry.find_call("c2")
    assert c2 is not None
    assert (c1.id, c1.tenant, c1.group, c1.legs, c1.bridged) == ("c1", "acme", "", (), False)
    assert c2.group == "sales"
    assert 0 < c1.sequence < c2.sequence


def test_legs_are_added_in_order_and_change_state(registry: CallRegistry) -> None:
    add_simple_call(registry)
    call = registry.call("c1")
    assert leg_ids(call) == ["C1", "A1"]
    assert call.legs[0].network is Network.off_net and call.legs[0].remote_number == "+15550001"
    assert call.legs[1].extension == "100" and call.legs[1].state is LegState.ringing

    def state(leg: str) -> LegState:
        found = registry.call("c1").find_leg(leg)
        assert found is not None
        return found.state

    registry.answer("A1")
    assert state("A1") is LegState.up and state("C1") is LegState.ringing
    registry.hold("A1")
    assert state("A1") is LegState.held
    registry.unhold("A1")
    assert state("A1") is LegState.up
    registry.set_state("C1", LegState.gone)
    assert state("C1") is LegState.gone and registry.call("c1").present_legs == 1
    registry.bridge("c1")
    assert registry.call("c1").bridged
    registry.bridge("c1", bridged=False)
    assert not registry.call("c1").bridged


def test_snapshots_taken_before_a_change_never_change(registry: CallRegistry) -> None:
    add_simple_call(registry)
    before = registry.call("c1")
    registry.answer("A1")
    registry.remove_leg("C1")
    assert leg_ids(before) == ["C1", "A1"] and before.legs[1].state is LegState.ringing
    assert leg_ids(registry.call("c1")) == ["A1"]


def test_find_call_of_leg_follows_transfer_remove_and_end(registry: CallRegistry) -> None:
    add_simple_call(registry)
    found = registry.find_call_of_leg("A1")
    assert found is not None and found.id == "c1"
    registry.transfer("c1", "A1", Leg.on_net("A2", "101", LegState.up))
    assert registry.find_call_of_leg("A1") is None
    assert leg_ids(registry.call("c1")) == ["C1", "A2"]  # in the old leg's place
    registry.remove_leg("C1")
    assert registry.find_call_of_leg("C1") is None
    registry.end_call("c1")
    assert registry.find_call_of_leg("A2") is None and "c1" not in registry
    add_simple_call(registry)  # ids may be reused once gone
    assert leg_ids(registry.call("c1")) == ["C1", "A1"]


def test_calls_of_extension_and_all_calls_are_oldest_first(registry: CallRegistry) -> None:
    add_simple_call(registry, "z-first", "100", "C1", "A1")
    add_simple_call(registry, "a-second", "100", "C2", "A2")
    add_simple_call(registry, "m-third", "200", "C3", "A3")
    assert [c.id for c in registry.calls_of_extension("100")] == ["z-first", "a-second"]
    assert [c.id for c in registry.all_calls()] == ["z-first", "a-second", "m-third"]
    registry.transfer("z-first", "A1", Leg.on_net("B1", "200"))
    assert [c.id for c in registry.calls_of_extension("100")] == ["a-second"]
    assert [c.id for c in registry.calls_of_extension("200")] == ["z-first", "m-third"]
    registry.end_call("m-third")
    assert [c.id for c in registry.calls_of_extension("200")] == ["z-first"]
    assert registry.calls_of_extension("999") == []


def test_mutators_reject_bad_and_unknown_ids_naming_them(registry: CallRegistry) -> None:
    add_simple_call(registry)
    cases: list[tuple[Any, ErrorCode, str]] = [
        (lambda: registry.add_call("c2", ""), ErrorCode.invalid_argument, "'c2' needs a tenant"),
        (lambda: registry.add_call("c1", "acme"), ErrorCode.duplicate_id, "call 'c1' already exists"),
        (lambda: registry.add_leg("c1", Leg()), ErrorCode.invalid_argument, "leg id must not be empty"),
        (lambda: registry.add_leg("c1", Leg(id="X")), ErrorCode.invalid_argument, "on-net leg 'X' needs"),
        (lambda: registry.add_leg("c1", Leg.on_net("A1", "1")), ErrorCode.duplicate_id, "leg 'A1' already"),
        (lambda: registry.add_leg("c9", Leg.on_net("B1", "1")), ErrorCode.unknown_call, "no call 'c9'"),
        (lambda: registry.answer("B1"), ErrorCode.unknown_leg, "no leg 'B1'"),
        (lambda: registry.set_state("B1", LegState.up), ErrorCode.unknown_leg, "'B1'"),
        (lambda: registry.bridge("c9"), ErrorCode.unknown_call, "'c9'"),
        (lambda: registry.transfer("c1", "B1", Leg.on_net("B2", "1")), ErrorCode.unknown_leg, "'B1'"),
        (lambda: registry.transfer("c1", "A1", Leg.on_net("C1", "1")), ErrorCode.duplicate_id, "'C1'"),
        (lambda: registry.remove_leg("B1"), ErrorCode.unknown_leg, "'B1'"),
        (lambda: registry.end_call("c9"), ErrorCode.unknown_call, "'c9'"),
        (lambda: registry.call("c9"), ErrorCode.unknown_call, "no call 'c9'"),
    ]
    for operation, code, needle in cases:
        with pytest.raises((InvalidArgumentError, NotFoundError, Exception)) as caught:
            operation()
        assert getattr(caught.value, "code", None) is code, caught.value
        assert needle in str(caught.value)
    assert leg_ids(registry.call("c1")) == ["C1", "A1"]  # nothing changed


def test_subscribers_get_each_change_with_its_details(registry: CallRegistry) -> None:
    recorder = Recorder()
    registry.subscribe(recorder)
    registry.add_call("c1", "acme", "sales")
    registry.add_leg("c1", Leg.off_net("C1", "+15550001"))
    registry.add_leg("c1", Leg.on_net("A1", "100"))
    registry.answer("A1")
    registry.hold("A1")
    registry.bridge("c1")
    registry.transfer("c1", "A1", Leg.on_net("A2", "101", LegState.up))
    registry.remove_leg("C1")
    registry.end_call("c1")

    e = recorder.events
    assert recorder.kinds() == [
        K.call_added, K.leg_added, K.leg_added, K.leg_state_changed, K.leg_state_changed,
        K.bridge_changed, K.leg_transferred, K.leg_removed, K.call_ended,
    ]  # fmt: skip
    assert all(event.call.id == "c1" for event in e)
    assert e[0].call.legs == () and e[0].call.group == "sales" and e[0].leg_id == ""
    assert e[0].removed_leg is None and e[0].old_state is None
    assert e[1].leg_id == "C1" and len(e[1].call.legs) == 1
    assert e[2].leg_id == "A1" and len(e[2].call.legs) == 2
    assert e[3].old_state is LegState.ringing and e[3].call.legs[1].state is LegState.up
    assert e[4].old_state is LegState.up and e[4].call.legs[1].state is LegState.held
    assert not e[4].call.bridged and e[5].call.bridged
    assert (e[6].leg_id, e[6].new_leg_id) == ("A1", "A2")
    assert e[6].removed_leg == Leg.on_net("A1", "100", LegState.held)  # as it was when it left
    assert leg_ids(e[6].call) == ["C1", "A2"]
    assert e[7].removed_leg == Leg.off_net("C1", "+15550001") and leg_ids(e[7].call) == ["A2"]
    assert leg_ids(e[8].call) == ["A2"] and e[8].call.bridged  # the call as it was last
    assert repr(e[6]) == (
        "RegistryEvent(kind=RegistryEventKind.leg_transferred, call_id='c1', leg_id='A1', new_leg_id='A2')"
    )
    assert registry.observer_failures == 0


def test_changes_that_change_nothing_emit_nothing(registry: CallRegistry) -> None:
    add_simple_call(registry)
    recorder = Recorder()
    registry.subscribe(recorder)
    registry.set_state("A1", LegState.ringing)
    registry.bridge("c1", False)
    assert recorder.kinds() == []
    registry.answer("A1")
    registry.answer("A1")
    registry.unhold("A1")
    registry.bridge("c1")
    registry.bridge("c1")
    assert recorder.kinds() == [K.leg_state_changed, K.bridge_changed]


def test_closing_a_subscription_stops_delivery_also_from_inside_the_callback(registry: CallRegistry) -> None:
    first, second, scoped = Recorder(), Recorder(), Recorder()
    subscription_first = registry.subscribe(first)
    registry.subscribe(second)  # dropped unclosed: stays subscribed
    with registry.subscribe(scoped) as in_block:
        assert in_block.active
        registry.add_call("c1", "acme")
    assert not in_block.active
    subscription_first.close()
    assert not subscription_first.active and "closed" in repr(subscription_first)
    subscription_first.close()  # twice: harmless
    registry.add_call("c2", "acme")
    assert len(first.events) == 1 and len(second.events) == 2 and len(scoped.events) == 1

    calls = []

    def once(event: RegistryEvent) -> None:
        calls.append(event.kind)
        subscription.close()

    subscription = registry.subscribe(once)
    registry.add_call("c3", "acme")
    registry.add_call("c4", "acme")
    assert calls == [K.call_added]


def test_subscribers_may_read_and_change_the_registry(registry: CallRegistry) -> None:
    seen: list[tuple[RegistryEventKind, str, bool]] = []

    def reader_and_writer(event: RegistryEvent) -> None:
        seen.append((event.kind, event.call.id, event.call.id in registry))
        if event.kind is K.call_added and event.call.id == "c1":
            registry.add_call("c1-child", "acme")  # re-entrant: delivered after this event

    later = Recorder()
    registry.subscribe(reader_and_writer)
    registry.subscribe(later)
    registry.add_call("c1", "acme")
    assert "c1-child" in registry  # the re-entrant change happened before add_call returned
    assert seen == [(K.call_added, "c1", True), (K.call_added, "c1-child", True)]
    assert [e.call.id for e in later.events] == ["c1", "c1-child"]  # every subscriber, in order
    registry.end_call("c1")
    assert seen[-1] == (K.call_ended, "c1", False)  # already gone when call_ended arrives


def test_a_raising_subscriber_is_reported_and_counted_and_others_still_get_events(
    registry: CallRegistry, unraisable: list[Any]
) -> None:
    def broken(event: RegistryEvent) -> None:
        raise RuntimeError(f"broken on {event.kind.name}")

    recorder = Recorder()
    registry.subscribe(broken)
    registry.subscribe(recorder)
    registry.add_call("c1", "acme")
    registry.end_call("c1")
    assert registry.observer_failures == 2
    assert recorder.kinds() == [K.call_added, K.call_ended]
    assert [str(r.exc_value) for r in unraisable] == ["broken on call_added", "broken on call_ended"]
    assert str(unraisable[0].object).startswith("CallRegistry subscriber <function")


def test_changes_from_many_threads_reach_a_python_subscriber_in_order(registry: CallRegistry) -> None:
    recorder = Recorder()
    registry.subscribe(recorder)
    threads_count, calls_each = 4, 100

    def worker(index: int) -> None:
        for n in range(calls_each):
            call = f"t{index}-{n}"
            registry.add_call(call, "acme")
            registry.add_leg(call, Leg.on_net(f"{call}-leg", "100"))
            registry.answer(f"{call}-leg")
            registry.end_call(call)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "deadlock"
    assert len(registry) == 0
    events = recorder.events
    assert len(events) == threads_count * calls_each * 4
    per_call: dict[str, list[RegistryEventKind]] = {}
    for event in events:
        per_call.setdefault(event.call.id, []).append(event.kind)
    assert len(per_call) == threads_count * calls_each
    assert all(k == [K.call_added, K.leg_added, K.leg_state_changed, K.call_ended] for k in per_call.values())
    assert len(registry.calls_of_extension("100")) == 0
