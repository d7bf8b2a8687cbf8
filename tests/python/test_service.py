# Over 400 lines: the Python twins of several tests/unit/test_service_*.cpp files, one short test
# each.
"""SupervisionService through Python: the lifecycle, options, values and errors of
tests/unit/test_service_*.cpp (the seed scenarios are in test_service_seeds.py)."""

from __future__ import annotations

import gc
from datetime import datetime, timedelta, timezone
from collections.abc import Callable
from typing import Any

import pytest

import callsup
from callsup import (
    DtmfCommand,
    DtmfResult,
    EndReason,
    ErrorCode,
    EventKind,
    EventSource,
    ExtensionProfile,
    Group,
    Leg,
    LegState,
    Mode,
    ModeSet,
    Reason,
    RequestChannel,
    RouteSet,
    ServiceConfig,
    SessionInfo,
    SessionOptions,
    SessionState,
    StartOutcome,
    StartRequest,
    SupervisionService,
    Tap,
    WhisperTo,
    parse_chanspy_options,
)
from model_support import agent, supervisor, tenant_settings
from supervision_world import Acme, acme_tenant, custom_plan

Status = StartOutcome.Status

# --- lifecycle ------------------------------------------------------------------------------


def revoke_privacy(w: Acme) -> Reason:
    profile = agent("744")
    profile.privacy = True
    w.directory.update_extension(profile)
    return Reason.privacy


def revoke_can_supervise(w: Acme) -> Reason:
    profile = supervisor("700")
    profile.can_supervise = False
    w.directory.update_extension(profile)
    return Reason.not_a_supervisor


def lower_grants(w: Acme) -> Reason:
    w.directory.update_extension(supervisor("700", ModeSet.up_to(Mode.whisper)))
    return Reason.mode_not_granted


def leave_group(w: Acme) -> Reason:
    w.directory.update_group(Group("Support", "acme", ["745"], ["700"]))
    return Reason.out_of_scope


def disable_tenant(w: Acme) -> Reason:
    w.directory.set_tenant(acme_tenant(supervision_enabled=False))
    return Reason.supervision_disabled


@pytest.mark.parametrize(
    "change", [revoke_privacy, revoke_can_supervise, lower_grants, leave_group, disable_tenant]
)
def test_a_directory_change_that_takes_the_right_away_ends_the_session_with_the_policys_reason(
    change: Callable[[Acme], Reason],
) -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.service.dial("sup700", "700", "*92744")  # barge
    assert outcome.status is Status.started
    expected = change(w)

    info = w.info(outcome.session)
    assert info.state is SessionState.ended
    assert info.end_reason is EndReason.permission_lost
    assert info.end_decision is expected
    ended = w.events_of(EventKind.ended, outcome.session)
    assert len(ended) == 1
    assert (ended[0].end_reason, ended[0].reason, ended[0].allowed, ended[0].source) == (
        EndReason.permission_lost, expected, False, EventSource.directory)
    assert [r.reason for r in w.audit.of_kind(EventKind.ended)] == [expected]
    assert w.routes("c1").sources_of("sup700") == []
    assert w.routes("c1").listeners_of("sup700") == []
    assert w.service.sessions() == []


def test_the_supervisors_own_leg_held_leaves_the_routes_and_comes_back() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.supervisor_call()
    outcome = w.service.dial("sup700", "700", "*92744")
    assert outcome.ok
    before = w.routes("c1")
    w.registry.hold("sup700")
    held = w.routes("c1")
    assert held.sources_of("sup700") == [] and held.listeners_of("sup700") == []
    assert held.version > before.version
    w.registry.unhold("sup700")
    assert w.routes("c1").same_routing(before)
    w.registry.remove_leg("sup700")
    assert w.info(outcome.session).end_reason is EndReason.supervisor_left


def test_the_call_ends_and_the_last_route_set_says_ended_with_versions_one_by_one() -> None:
    w = Acme()
    published: list[RouteSet] = []
    w.service.add_route_observer(published.append)
    w.external_call("c1", "744", "client", "agent744")
    a = w.service.dial("s1", "700", "*90744")
    b = w.service.dial("s2", "700", "*91744")
    assert a.ok and b.ok
    w.registry.end_call("c1")
    for sid in (a.session, b.session):
        assert w.info(sid).end_reason is EndReason.call_ended
        assert len(w.events_of(EventKind.ended, sid)) == 1
    sets = [s for s in published if s.call == "c1"]
    assert [s.version for s in sets] == list(range(1, len(sets) + 1))
    assert sets[-1].ended and sets[-1].routes == ()
    assert not any(s.ended for s in sets[:-1])
    final = w.service.routes("c1")  # the final set stays answerable after the call ended
    assert final is not None and final.ended and final == sets[-1]
    assert w.service.sessions_on_call("c1") == []


def test_route_observers_get_a_set_only_when_the_routing_changes() -> None:
    w = Acme()
    published: list[RouteSet] = []
    w.service.add_route_observer(published.append)
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()

    def count() -> int:
        return sum(1 for s in published if s.call == "c1")

    n = count()
    w.service.switch_mode(outcome.session, Mode.listen)  # already listening
    w.service.set_volume(outcome.session, 0)  # already 0
    w.registry.bridge("c1")  # already bridged
    assert count() == n
    w.service.switch_mode(outcome.session, Mode.whisper)
    assert count() == n + 1
    w.service.set_volume(outcome.session, 2)
    assert count() == n + 2
    gain = published[-1].find(listener="sup700", source="client")
    assert gain is not None and gain.gain == pytest.approx(callsup.volume_gain(2))
    assert published[-1] == w.routes("c1")


def test_dtmf_inter_digit_timeout_with_a_manual_clock() -> None:
    w = Acme(tenant_settings("stratus"))  # *80/*81/*82, 2000 ms inter-digit timeout
    w.external_call("c1", "744", "client", "agent744")
    sid = w.service.dial("sup700", "700", "007744").session
    assert w.service.dtmf(sid, "*").kind is DtmfResult.Kind.pending
    assert w.service.dtmf(sid, "8").kind is DtmfResult.Kind.pending
    w.clock.advance(timedelta(milliseconds=1999))
    assert w.service.poll() == 0
    w.clock.advance(timedelta(milliseconds=1))
    assert w.service.poll() == 1
    assert w.service.poll() == 0
    assert w.service.dtmf(sid, "1").kind is DtmfResult.Kind.unrecognised
    w.service.dtmf(sid, "*")
    w.service.dtmf(sid, "8")
    done = w.service.dtmf(sid, "1")
    assert (done.kind, done.digits) == (DtmfResult.Kind.command, "*81")
    assert w.info(sid).mode is Mode.whisper
    assert [e.source for e in w.events_of(EventKind.mode_changed, sid)] == [EventSource.dtmf]


def test_dtmf_from_leg_finds_the_legs_session_and_the_exit_key_stops_it() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c2", "745", "client2", "agent745")
    a = w.service.dial("supA", "700", "*90744")
    b = w.service.dial("supB", "700", "*90745")
    result = w.service.dtmf_from_leg("supB", "2")
    assert result is not None and result.kind is DtmfResult.Kind.command
    assert w.info(b.session).mode is Mode.barge
    assert w.info(a.session).mode is Mode.listen
    assert w.service.dtmf_from_leg("agent744", "1") is None
    assert w.service.dtmf_from_leg("nobody", "1") is None
    several = w.service.dtmf_from_leg("supB", "01")  # a SIP INFO may carry several digits
    assert several is not None and several.command.mode is Mode.whisper
    assert w.info(b.session).mode is Mode.whisper

    exit_key = w.service.dtmf(a.session, "#")
    assert exit_key.command.action is DtmfCommand.Action.exit
    assert w.info(a.session).end_reason is EndReason.stopped
    assert [e.source for e in w.events_of(EventKind.ended, a.session)] == [EventSource.dtmf]


def test_dtmf_takes_several_digits_in_one_call() -> None:
    w = Acme(tenant_settings("stratus"))  # *80/*81/*82, # exits
    w.external_call("c1", "744", "client", "agent744")
    sid = w.service.dial("sup700", "700", "007744").session
    done = w.service.dtmf(sid, "*81")
    assert (done.kind, done.digits) == (DtmfResult.Kind.command, "*81")
    assert w.info(sid).mode is Mode.whisper
    assert w.service.dtmf(sid, "*8").kind is DtmfResult.Kind.pending  # the last digit's result
    assert w.service.dtmf(sid, "2").digits == "*82" and w.info(sid).mode is Mode.barge

    # A bad digit anywhere: nothing is fed ("*8" is not pending, so "0" is no code).
    with pytest.raises(callsup.InvalidArgumentError, match="'x'") as bad:
        w.service.dtmf(sid, "*8x")
    assert bad.value.code is ErrorCode.invalid_argument
    assert w.service.dtmf(sid, "0").kind is DtmfResult.Kind.unrecognised
    assert w.info(sid).mode is Mode.barge
    with pytest.raises(callsup.InvalidArgumentError):
        w.service.dtmf(sid, "")

    # Digits after the exit key are ignored.
    left = w.service.dtmf(sid, "#*80")
    assert left.command.action is DtmfCommand.Action.exit
    assert w.info(sid).state is SessionState.ended and w.info(sid).mode is Mode.barge
    with pytest.raises(callsup.Error) as ended:
        w.service.dtmf(sid, "1")
    assert ended.value.code is ErrorCode.session_ended


def test_routes_of_ended_calls_are_kept_up_to_ended_calls_kept() -> None:
    w = Acme(config=ServiceConfig(ended_calls_kept=1))
    for call, ext, leg in (("c1", "744", "s1"), ("c2", "745", "s2")):
        w.external_call(call, ext, "client" + call, "agent" + ext)
        assert w.service.dial(leg, "700", "*90" + ext).ok
    w.registry.end_call("c1")
    first = w.service.routes("c1")
    assert first is not None and first.ended and first.routes == ()
    w.registry.end_call("c2")
    assert w.service.routes("c1") is None  # only the last ended call is kept
    last = w.service.routes("c2")
    assert last is not None and last.ended
    assert w.service.routes("never") is None

    none_kept = Acme(config=ServiceConfig(ended_calls_kept=0))
    none_kept.external_call("c1", "744", "client", "agent744")
    assert none_kept.listen().ok and none_kept.service.routes("c1") is not None
    none_kept.registry.end_call("c1")
    assert none_kept.service.routes("c1") is None


def test_a_start_request_by_call_alone_supervises_that_calls_agent() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.service.start(StartRequest(supervisor_leg="sup700", supervisor="700", call="c1"))
    assert outcome.status is StartOutcome.Status.started, outcome
    info = w.info(outcome.session)
    assert (info.target, info.call, info.target_leg) == ("744", "c1", "agent744")
    assert info.channel is RequestChannel.api

    w.external_call("c2", "746", "client2", "agent746")  # 746 is in no group 700 supervises
    other = w.service.start(StartRequest(supervisor_leg="s2", supervisor="700", call="c2"))
    assert other.status is StartOutcome.Status.denied and other.decision.reason is Reason.out_of_scope
    w.registry.add_call("c3", "acme")
    w.registry.add_leg("c3", Leg.off_net("lonely", "+15550000", LegState.up))
    nobody = w.service.start(StartRequest(supervisor_leg="s3", supervisor="700", call="c3"))
    assert nobody.status is StartOutcome.Status.denied and nobody.decision.reason is Reason.no_call
    with pytest.raises(callsup.NotFoundError):
        w.service.start(StartRequest(supervisor_leg="s4", supervisor="700", call="c9"))
    with pytest.raises(callsup.InvalidArgumentError, match="target extension, a call or any_call"):
        w.service.start(StartRequest(supervisor_leg="s5", supervisor="700"))


def test_next_moves_to_the_targets_other_call_and_stop_ends_once() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert not w.service.next(outcome.session)  # a single call
    w.registry.hold("agent744")
    w.registry.add_call("c2", "acme")
    w.registry.add_leg("c2", Leg.off_net("client2", "+15550000002", LegState.up))
    w.registry.add_leg("c2", Leg.on_net("agent744b", "744", LegState.up))
    assert w.service.next(outcome.session)
    assert (w.info(outcome.session).call, w.info(outcome.session).target_leg) == ("c2", "agent744b")
    assert len(w.events_of(EventKind.target_changed, outcome.session)) == 1
    assert w.routes("c2").hears(listener="sup700", source="client2")
    assert w.routes("c1").sources_of("sup700") == []
    assert w.service.stop(outcome.session)
    assert not w.service.stop(outcome.session)
    assert len(w.events_of(EventKind.ended, outcome.session)) == 1


def test_follow_on_transfer_moves_the_whisper_to_the_new_agent() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.service.dial("sup700", "700", "*91744", SessionOptions(follow_on_transfer=True))
    w.registry.transfer("c1", "agent744", Leg.on_net("agent745", "745", LegState.up))
    info = w.info(outcome.session)
    assert (info.state, info.target, info.target_leg, info.whisper_leg) == (
        SessionState.active, "745", "agent745", "agent745")
    changed = w.events_of(EventKind.target_changed, outcome.session)
    assert len(changed) == 1 and "agent744" in changed[0].detail
    routes = w.routes("c1")
    assert routes.hears(listener="agent745", source="sup700") and not routes.hears(listener="client", source="sup700")

    plain = w.service.dial("sup2", "700", "*90745")
    w.registry.transfer("c1", "agent745", Leg.on_net("agent745b", "745", LegState.up))
    assert w.info(plain.session).end_reason is EndReason.transferred


def test_pre_arm_waits_for_the_targets_next_answered_call() -> None:
    w = Acme()
    outcome = w.listen(options=SessionOptions(pre_arm=True))
    assert outcome.status is Status.armed and outcome.session != 0
    assert w.info(outcome.session).state is SessionState.armed
    w.registry.add_call("c1", "acme")
    w.registry.add_leg("c1", Leg.off_net("client", "+15551230000", LegState.up))
    w.registry.add_leg("c1", Leg.on_net("agent744", "744", LegState.ringing))
    assert w.info(outcome.session).state is SessionState.armed
    w.registry.answer("agent744")
    assert w.info(outcome.session).state is SessionState.active
    assert [e.call for e in w.events_of(EventKind.started, outcome.session)] == ["c1"]

    idle = w.listen("sup2", target="745")
    assert idle.status is Status.denied and idle.decision.reason is Reason.no_call


def test_several_supervisors_with_the_tenants_caps() -> None:
    w = Acme(acme_tenant(limits=callsup.SupervisionLimits(2, 1)))
    w.directory.add_extension(supervisor("701"))
    w.directory.add_extension(supervisor("702"))
    w.directory.update_group(Group("Support", "acme", ["744", "745"], ["700", "701", "702"]))
    w.external_call("c1", "744", "client", "agent744")
    s1 = w.listen("s1", sup="700")
    s2 = w.listen("s2", sup="701")
    s3 = w.listen("s3", sup="702")
    assert (s3.status, s3.decision.reason, s3.decision.rule) == (Status.denied, Reason.supervisor_cap, "caps")
    assert w.service.switch_mode(s1.session, Mode.barge).allowed
    second = w.service.switch_mode(s2.session, Mode.barge)
    assert not second and second.reason is Reason.barge_cap
    assert w.info(s2.session).state is SessionState.active and w.info(s2.session).mode is Mode.listen
    denied = w.events_of(EventKind.denied, s2.session)
    assert [(d.reason, d.from_mode, d.mode) for d in denied] == [(Reason.barge_cap, Mode.listen, Mode.barge)]


def test_taps_hear_the_parties_and_a_whisper_only_with_hears_whisper() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.service.add_tap("c1", Tap("rec"))
    w.service.add_tap("c1", Tap("compliance", hears_whisper=True))
    assert sorted(w.routes("c1").sources_of("rec")) == ["agent744", "client"]
    outcome = w.listen()
    w.service.switch_mode(outcome.session, Mode.whisper)
    routes = w.routes("c1")
    assert not routes.hears(listener="rec", source="sup700") and routes.hears(listener="compliance", source="sup700")
    w.service.remove_tap("c1", "rec")
    assert w.routes("c1").sources_of("rec") == []
    with pytest.raises(callsup.NotFoundError, match="'rec'"):
        w.service.remove_tap("c1", "rec")
    with pytest.raises(callsup.Error) as raised:
        w.service.add_tap("c1", Tap("client"))
    assert raised.value.code is ErrorCode.duplicate_id


def test_whisper_to_the_other_party_with_the_freeswitch_plan() -> None:
    w = Acme(tenant_settings("freeswitch_eavesdrop"))
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.service.dial("sup700", "700", "88744")
    w.service.dtmf(outcome.session, "2")
    info = w.info(outcome.session)
    assert (info.mode, info.whisper_leg) == (Mode.whisper, "client")
    assert info.options.whisper_to is WhisperTo.other_party
    routes = w.routes("c1")
    assert routes.hears(listener="client", source="sup700") and not routes.hears(listener="agent744", source="sup700")
    decision = w.service.switch_mode(outcome.session, Mode.whisper, WhisperTo.target)
    assert decision.allowed
    assert w.info(outcome.session).whisper_leg == "agent744"


def test_the_audit_trail_and_the_event_sink_see_the_same_records_in_sequence() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c2", "745", "client2", "agent745")
    a = w.listen("s1")
    w.service.dtmf(a.session, "1")
    w.service.dtmf(a.session, "2")
    assert w.service.dial("s2", "700", "*90746").status is Status.denied
    b = w.service.dial("s3", "700", "*91745", SessionOptions(follow_on_transfer=True))
    w.registry.transfer("c2", "agent745", Leg.on_net("agent744x", "744", LegState.up))
    w.service.stop(b.session)
    records = w.audit.records()
    assert len(records) >= 10
    assert [r.sequence for r in records] == list(range(1, len(records) + 1))
    assert all(r.tenant == "acme" and r.supervisor == "700" and r.supervisor_leg for r in records)
    assert [e.sequence for e in w.events.events()] == [r.sequence for r in records]
    assert w.events.events() == records


def test_event_times_come_from_the_wall_clock_as_aware_utc_datetimes() -> None:
    base = datetime(2026, 11, 21, 10, 15, 2, tzinfo=timezone.utc)
    ticks: list[datetime] = []

    def wall_clock() -> datetime:
        ticks.append(base + timedelta(seconds=len(ticks) + 1))
        return ticks[-1]

    w = Acme(config=ServiceConfig(wall_clock=wall_clock))
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    w.service.stop(outcome.session)
    assert [r.time for r in w.audit.records()] == ticks
    assert len(ticks) == 3

    plain = Acme()
    plain.external_call("c1", "744", "client", "agent744")
    before = datetime.now(timezone.utc)
    plain.listen()
    after = datetime.now(timezone.utc)
    for record in plain.audit.records():
        assert before - timedelta(milliseconds=1) <= record.time <= after
        assert record.time.tzinfo is not None


def test_a_failing_wall_clock_does_not_break_the_service(unraisable: list[Any]) -> None:
    w = Acme(config=ServiceConfig(wall_clock=lambda: datetime(2026, 1, 1)))  # naive: refused
    w.external_call("c1", "744", "client", "agent744")
    before = datetime.now(timezone.utc)
    assert w.listen().ok
    assert len(w.audit.records()) == 2
    assert all(r.time >= before - timedelta(milliseconds=1) for r in w.audit.records())
    assert len(unraisable) == 2
    assert unraisable[0].exc_type is ValueError
    assert str(unraisable[0].exc_value).startswith("ServiceConfig.wall_clock() must be timezone-aware")
    assert unraisable[0].object == "callsup ServiceConfig.wall_clock"


def test_ended_sessions_are_answered_up_to_ended_sessions_kept() -> None:
    w = Acme(config=ServiceConfig(ended_sessions_kept=2))
    w.external_call("c1", "744", "client", "agent744")
    ids = []
    for i in range(3):
        outcome = w.listen(f"s{i}")
        w.service.stop(outcome.session)
        ids.append(outcome.session)
    assert w.service.session(ids[0]) is None
    assert w.info(ids[1]).end_reason is EndReason.stopped
    assert not w.service.stop(ids[2])


# --- values, configuration, errors -----------------------------------------------------------


def test_session_info_and_outcomes_are_readable_copies() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen(options=SessionOptions(stereo=True, volume_step=-2))
    info = w.info(outcome.session)
    assert isinstance(info, SessionInfo)
    assert (info.id, info.tenant, info.supervisor, info.supervisor_leg, info.target, info.call) == (
        outcome.session, "acme", "700", "sup700", "744", "c1")
    assert info.options == SessionOptions(stereo=True, volume_step=-2)
    assert info.allowed_modes == ModeSet.all()
    with pytest.raises(AttributeError):
        info.mode = Mode.barge  # type: ignore[misc]
    assert "SessionInfo(id=1, state=SessionState.active" in repr(info)
    assert "StartOutcome(status=StartOutcome.Status.started, session=1" in repr(outcome)
    assert outcome == StartOutcome(Status.started, outcome.session, outcome.decision)
    w.service.switch_mode(outcome.session, Mode.barge)
    assert info.mode is Mode.listen  # the snapshot does not move


def test_session_options_and_chanspy_letters() -> None:
    options = SessionOptions()
    assert options.exit_on_target_hangup and options.notify_agent and not options.pre_arm
    assert options.listen_direction is callsup.ListenDirection.both
    parsed = parse_chanspy_options("Bqov(3)")
    assert parsed.initial_mode is Mode.barge
    assert parsed.options.listen_direction is callsup.ListenDirection.agent_only
    assert parsed.options.volume_step == 3 and not parsed.options.announce
    with pytest.raises(callsup.InvalidArgumentError, match="'x'"):
        parse_chanspy_options("Ex")
    with pytest.raises(callsup.InvalidArgumentError, match="'9'"):
        SessionOptions(volume_step=9).validate()
    assert (callsup.min_volume_step, callsup.max_volume_step) == (-4, 4)


def test_service_config_keeps_its_values() -> None:
    clock = callsup.ManualClock()
    config = ServiceConfig(
        default_plan="stratus", reserved_codes=["*72"], ended_sessions_kept=5, ended_calls_kept=7, clock=clock
    )
    assert (config.default_plan, config.reserved_codes, config.ended_sessions_kept) == ("stratus", ("*72",), 5)
    assert config.ended_calls_kept == 7 and ServiceConfig().ended_calls_kept == 1024
    config.ended_calls_kept = 0
    assert config.ended_calls_kept == 0 and "ended_calls_kept=0" in repr(config)
    assert config.clock is clock
    assert config.wall_clock is None
    config.default_options.volume_step = 2
    assert config.default_options.volume_step == 2
    assert "ServiceConfig(default_options=SessionOptions(" in repr(config)
    with pytest.raises(TypeError, match="wall_clock must be a callable"):
        config.wall_clock = 5  # type: ignore[assignment]  # what a type checker would refuse too


def test_the_service_keeps_registry_directory_clock_and_policy_alive() -> None:
    w = Acme(tenant_settings("stratus"))
    service, registry = w.service, w.registry
    clock = w.clock
    del w
    gc.collect()
    registry.add_call("c1", "acme")
    registry.add_leg("c1", Leg.off_net("client", "+1555", LegState.up))
    registry.add_leg("c1", Leg.on_net("agent744", "744", LegState.up))
    sid = service.dial("sup", "700", "007744").session
    service.dtmf(sid, "*")
    clock.advance(timedelta(seconds=3))
    assert service.poll() == 1


def test_closing_the_service_ends_its_sessions_with_reason_shutdown() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    with w.service as service:
        outcome = service.dial("sup700", "700", "*90744")
        assert outcome.ok
    assert w.service.closed
    ended = w.audit.of_kind(EventKind.ended)
    assert [e.end_reason for e in ended] == [EndReason.shutdown]
    with pytest.raises(RuntimeError, match=r"SupervisionService.sessions\(\): the service is closed"):
        w.service.sessions()
    w.service.close()  # idempotent
    w.registry.end_call("c1")  # nobody listens any more: no crash


def test_bad_arguments_raise_errors_naming_the_value() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    sid = w.listen().session
    with pytest.raises(callsup.InvalidArgumentError, match="'x'") as bad_digit:
        w.service.dtmf(sid, "x")
    assert bad_digit.value.code is ErrorCode.invalid_argument
    with pytest.raises(callsup.InvalidArgumentError, match="'z'") as bad_leg_digit:
        w.service.dtmf_from_leg("sup700", "1z")
    assert bad_leg_digit.value.code is ErrorCode.invalid_argument
    assert w.info(sid).mode is Mode.listen  # nothing of "1z" was fed
    with pytest.raises(callsup.InvalidArgumentError, match="'5'"):
        w.service.set_volume(sid, 5)
    with pytest.raises(callsup.NotFoundError) as unknown:
        w.service.stop(999)
    assert unknown.value.code is ErrorCode.unknown_session and "'999'" in str(unknown.value)
    with pytest.raises(callsup.InvalidArgumentError, match="'\\*90abc'"):
        w.service.dial("s2", "700", "*90abc")
    with pytest.raises(callsup.Error) as duplicate:
        w.service.dial("sup700", "700", "*90745")
    assert duplicate.value.code is ErrorCode.duplicate_id
    with pytest.raises(callsup.InvalidArgumentError, match="supervisor leg id must not be empty"):
        w.service.start(StartRequest(supervisor="700", target="744"))
    with pytest.raises(TypeError):
        w.service.switch_mode(sid, "barge")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        w.service.stop(-1)
    with pytest.raises(callsup.InvalidArgumentError, match="event sink must not be null"):
        w.service.add_event_sink(None)  # type: ignore[arg-type]
    w.service.stop(sid)
    with pytest.raises(callsup.Error) as ended:
        w.service.switch_mode(sid, Mode.barge)
    assert ended.value.code is ErrorCode.session_ended
    with pytest.raises(callsup.InvalidArgumentError, match="'nonesuch'"):
        SupervisionService(w.registry, w.directory, config=ServiceConfig(default_plan="nonesuch"))
    with pytest.raises(TypeError):
        SupervisionService(None, w.directory)  # type: ignore[arg-type]


def test_plans_the_service_knows() -> None:
    w = Acme(config=ServiceConfig(plans=[custom_plan()]))
    assert w.service.plan("custom").name == "custom"
    assert w.service.plan_for_supervisor("700").name == "portaswitch"
    assert w.service.plan_for_supervisor("999").name == "portaswitch"  # the default plan
    with pytest.raises(callsup.InvalidArgumentError, match="'nonesuch'"):
        w.service.plan("nonesuch")


def test_a_profile_change_keeps_a_session_that_keeps_its_right() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    w.directory.update_extension(supervisor("700", ModeSet([Mode.listen])))
    assert w.info(outcome.session).state is SessionState.active
    assert w.info(outcome.session).allowed_modes == ModeSet([Mode.listen])
    refused = w.service.switch_mode(outcome.session, Mode.whisper)
    assert not refused.allowed and refused.reason is Reason.mode_not_granted
    assert w.info(outcome.session).state is SessionState.active
    other: ExtensionProfile = agent("746")
    other.privacy = True
    w.directory.update_extension(other)
    assert w.events_of(EventKind.ended, outcome.session) == []


def test_a_pbx_leg_reusing_a_supervisor_leg_id_is_counted_as_a_route_conflict() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert w.service.route_conflicts == 0
    w.registry.add_leg("c1", Leg.on_net("sup700", "745", LegState.up))  # the PBX reuses the id
    assert w.service.route_conflicts >= 1
    routes = w.routes("c1")
    assert routes.hears(listener="sup700", source="client")
    assert routes.hears(listener="client", source="sup700")  # now a party
    assert w.info(outcome.session).state is SessionState.active
