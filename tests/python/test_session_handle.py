"""callsup.Session, a handle to one supervision session (service.session_handle()), and the
keyword names of the calls whose string arguments are easy to mix up."""

from __future__ import annotations

import pytest

import callsup
from callsup import (
    DtmfResult,
    ErrorCode,
    Leg,
    LegState,
    Mode,
    Reason,
    Session,
    SessionState,
    StartOutcome,
    StartRequest,
    Tap,
)
from supervision_world import Acme


def started() -> tuple[Acme, Session]:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.service.dial("sup700", "700", "*90744")  # listen
    assert outcome.status is StartOutcome.Status.started
    return w, w.service.session_handle(outcome)


# --- Session --------------------------------------------------------------------------------


def test_a_handle_from_dial_reads_the_session_afresh() -> None:
    w, session = started()
    assert isinstance(session, Session)
    assert session.service is w.service
    assert session.id == int(session) > 0
    assert (session.mode, session.state) == (Mode.listen, SessionState.active)
    assert (session.call, session.supervisor, session.target) == ("c1", "700", "744")
    assert session.info == w.info(session.id)
    w.service.switch_mode(session.id, Mode.barge)  # changed behind the handle's back
    assert session.mode is Mode.barge and session.info.mode is Mode.barge


def test_switch_changes_the_routes_and_returns_the_decision() -> None:
    w, session = started()
    assert not w.routes("c1").hears(listener="agent744", source="sup700")
    decision = session.switch(Mode.whisper)
    assert decision.allowed
    assert session.mode is Mode.whisper
    assert w.routes("c1").hears(listener="agent744", source="sup700")
    assert not w.routes("c1").hears(listener="client", source="sup700")


def test_a_refused_switch_leaves_the_mode() -> None:
    w, session = started()
    w.directory.update_extension(callsup.ExtensionProfile(
        extension="700", tenant="acme", roles=[callsup.Role.supervisor], can_supervise=True,
        granted_modes=callsup.ModeSet.up_to(Mode.whisper)))  # fmt: skip
    decision = session.switch(Mode.barge)
    assert not decision.allowed and decision.reason is Reason.mode_not_granted
    assert session.mode is Mode.listen and session.state is SessionState.active


def test_stop_ends_it_and_stopping_twice_is_harmless() -> None:
    w, session = started()
    assert session.stop()
    assert session.state is SessionState.ended
    assert w.routes("c1").sources_of("sup700") == []
    assert session.stop() is False  # as service.stop: False when it had already ended
    assert session.state is SessionState.ended


def test_dtmf_next_and_volume_go_to_the_session() -> None:
    w, session = started()
    result = session.dtmf("1")  # portaswitch: 1 = whisper
    assert result.kind is DtmfResult.Kind.command and session.mode is Mode.whisper
    assert session.next() is False  # the target has no other call
    session.set_volume(2)
    assert session.info.options.volume_step == 2
    with pytest.raises(callsup.InvalidArgumentError):
        session.set_volume(5)


def test_the_handle_goes_wherever_a_session_id_is_taken() -> None:
    w, session = started()
    assert w.service.switch_mode(session, Mode.whisper).allowed
    assert w.service.session(session) == session.info
    assert w.service.dtmf(session, "2").kind is DtmfResult.Kind.command  # barge
    assert session.mode is Mode.barge
    assert [1, 2, 3][Session(w.service, 1)] == 2  # __index__
    assert w.service.stop(session) and session.state is SessionState.ended


def test_equality_hash_and_repr() -> None:
    w, session = started()
    same = Session(w.service, session.id)
    assert same == session and hash(same) == hash(session) and same is not session
    assert len({session, same, w.service.session_handle(session.id)}) == 1
    assert w.service.session_handle(w.info(session.id)) == session  # from a SessionInfo
    assert session != session.id  # a handle is not an int, it only converts to one
    w.external_call("c2", "745", "client2", "agent745")
    second = w.service.session_handle(w.service.dial("sup700b", "700", "*90745"))
    assert second != session and hash(second) != hash(session)
    assert repr(session) == f"<callsup.Session {session.id}: '700' on '744' call='c1' listen active>"
    session.stop()
    assert repr(session).endswith("listen ended>")


def test_handles_of_two_services_differ() -> None:
    w1, s1 = started()
    w2, s2 = started()
    assert s1.id == s2.id and s1 != s2


def test_an_unknown_id_or_an_outcome_without_a_session_raises_a_callsup_error() -> None:
    w, session = started()
    with pytest.raises(callsup.NotFoundError, match="no session '999'") as raised:
        Session(w.service, 999)
    assert raised.value.code is ErrorCode.unknown_session
    with pytest.raises(callsup.NotFoundError, match="'999'"):
        w.service.session_handle(999)
    with pytest.raises(callsup.NotFoundError, match="no session '0'"):
        w.service.session_handle(0)
    denied = w.service.dial("sup746", "746", "*90744")  # 746 is no supervisor
    assert denied.status is StartOutcome.Status.denied
    with pytest.raises(callsup.NotFoundError, match="denied") as raised:
        w.service.session_handle(denied)
    assert raised.value.code is ErrorCode.unknown_session
    not_ours = w.service.dial("sup700", "700", "744")
    with pytest.raises(callsup.NotFoundError, match="not_ours"):
        w.service.session_handle(not_ours)
    with pytest.raises(TypeError):
        Session(w.service, "1")  # type: ignore[arg-type]


def test_a_handle_outlived_by_its_record_raises_on_reading() -> None:
    w = Acme(config=callsup.ServiceConfig(ended_sessions_kept=0))
    w.external_call("c1", "744", "client", "agent744")
    session = w.service.session_handle(w.service.dial("sup700", "700", "*90744"))
    session.stop()
    with pytest.raises(callsup.NotFoundError, match=f"no session '{session.id}'"):
        session.state
    assert repr(session) == f"<callsup.Session {session.id}>"


def test_an_armed_session_has_a_handle_too() -> None:
    w = Acme()
    outcome = w.service.dial("sup700", "700", "*90744", callsup.SessionOptions(pre_arm=True))  # no call yet
    assert outcome.status is StartOutcome.Status.armed
    session = w.service.session_handle(outcome)
    assert session.state is SessionState.armed and session.call == ""
    w.external_call("c1", "744", "client", "agent744")
    assert (session.state, session.call) == (SessionState.active, "c1")  # read afresh


# --- keyword arguments ----------------------------------------------------------------------


def test_service_calls_take_keywords_in_any_order_and_stay_positional() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c2", "745", "client2", "agent745")
    by_keyword = w.service.dial(dialled="*90744", supervisor="700", supervisor_leg="supA")
    positional = w.service.dial("supB", "700", "*90745", None)
    assert by_keyword.ok and positional.ok
    assert (w.info(by_keyword.session).supervisor_leg, w.info(by_keyword.session).target) == ("supA", "744")
    result = w.service.dtmf_from_leg(digits="1", leg="supA")
    assert result is not None and w.info(by_keyword.session).mode is Mode.whisper
    assert w.service.dtmf(digits="2", session=by_keyword.session).kind is DtmfResult.Kind.command
    assert w.service.switch_mode(mode=Mode.listen, session=by_keyword.session).allowed
    assert w.service.switch_mode(
        channel=callsup.RequestChannel.web, whisper_to=None, mode=Mode.whisper, session=positional.session
    ).allowed
    w.service.set_volume(step=1, session=positional.session)
    assert w.service.next(session=positional.session) is False
    w.service.add_tap(tap=Tap(id="rec1"), call="c1")
    w.service.remove_tap(tap_id="rec1", call="c1")
    w.service.record_security(detail="3 tries", extension="700", what="bad_pin")
    assert w.service.stop(session=positional.session)
    assert w.service.session(id=positional.session) is not None
    assert w.service.sessions_on_call(call="c1")[0].id == by_keyword.session
    request = StartRequest(target="745", supervisor="700", supervisor_leg="supC", mode=Mode.barge)
    assert request == StartRequest("supC", "700", "745", False, Mode.barge)
    assert w.service.start(request=request).ok


def test_registry_and_directory_calls_take_keywords_in_any_order() -> None:
    registry = callsup.CallRegistry()
    registry.add_call(tenant="acme", call_id="c1")
    registry.add_leg(leg=Leg.on_net("A1", "101", LegState.up), call_id="c1")
    registry.set_state(state=LegState.held, leg_id="A1")
    registry.bridge(bridged=False, call_id="c1")
    registry.transfer(to=Leg.on_net("A2", "102", LegState.up), from_leg="A1", call_id="c1")
    assert [leg.id for leg in registry.call(call_id="c1").legs] == ["A2"]
    registry.transfer("c1", "A2", Leg.on_net("A3", "103"))  # positional: call, from, to
    assert [leg.id for leg in registry.call("c1").legs] == ["A3"]

    w = Acme()
    assert w.directory.supervises_member(member="744", supervisor="700")
    assert not w.directory.supervises_member(member="700", supervisor="744")
    assert w.directory.supervises_group(group="Support", supervisor="700")
