"""The seed scenarios through Python, one test each, as tests/unit/test_seed_scenarios.cpp."""

from __future__ import annotations

import pytest

import callsup
from callsup import (
    AgentLeavesInBarge,
    ChanSpyOptions,
    DtmfResult,
    EndReason,
    ErrorCode,
    EventKind,
    EventSource,
    Group,
    Leg,
    LegState,
    Mode,
    ModeSet,
    Reason,
    Role,
    ServiceConfig,
    SessionOptions,
    SessionState,
    StartOutcome,
    StartRequest,
    TenantSettings,
    parse_chanspy_options,
)
from model_support import agent, supervisor, tenant_settings
from supervision_world import World, acme_tenant, custom_plan

Status = StartOutcome.Status


def kinds_and_modes(records: list[callsup.Event]) -> list[str]:
    return [f"{r.kind.name}:{r.mode.name if r.mode is not None else '-'}" for r in records]


# --- the seed scenarios ---------------------------------------------------------------------


def test_seed_a_hunt_group_supervisor_listens_whispers_barges_until_the_client_hangs_up() -> None:
    w = World()
    w.directory.add_extension(agent("744"))
    w.directory.add_extension(supervisor("700"))
    w.directory.add_group(Group("Support", "acme", ["744"], ["700"]))
    w.external_call("c1", "744", "client", "agent744")

    outcome = w.service.dial("sup700", "700", "*90744")
    assert outcome.status is Status.started
    assert outcome and outcome.ok
    sid = outcome.session
    assert w.info(sid).mode is Mode.listen
    assert w.info(sid).target_leg == "agent744"
    routes = w.routes("c1")
    assert routes.hears(listener="sup700", source="client") and routes.hears(listener="sup700", source="agent744")
    assert not routes.hears(listener="agent744", source="sup700")
    assert not routes.hears(listener="client", source="sup700")

    w.service.dtmf(sid, "1")
    assert w.info(sid).mode is Mode.whisper
    routes = w.routes("c1")
    assert routes.hears(listener="agent744", source="sup700")
    assert not routes.hears(listener="client", source="sup700")
    assert routes.hears(listener="sup700", source="client")

    w.service.dtmf(sid, "2")
    assert w.info(sid).mode is Mode.barge
    routes = w.routes("c1")
    parties = ["client", "agent744", "sup700"]
    for listener in parties:
        for source in parties:
            if listener != source:
                assert routes.hears(listener=listener, source=source), f"{listener} <- {source}"

    w.registry.remove_leg("client")
    assert w.info(sid).state is SessionState.ended
    assert w.info(sid).end_reason is EndReason.call_ended
    w.registry.end_call("c1")

    records = w.audit.records()
    assert kinds_and_modes(records) == [
        "attempt:listen", "started:listen", "mode_changed:whisper", "agent_notified:whisper",
        "mode_changed:barge", "agent_notified:barge", "ended:barge",
    ]
    assert [r.sequence for r in records] == list(range(records[0].sequence, records[0].sequence + 7))
    assert records[1].source is EventSource.dial
    assert records[2].source is EventSource.dtmf
    assert records[2].from_mode is Mode.listen
    assert records[4].from_mode is Mode.whisper
    assert records[-1].end_reason is EndReason.call_ended
    assert all(r.tenant == "acme" for r in records)


def test_seed_b_custom_codes_and_a_plan_using_a_reserved_code_is_rejected() -> None:
    custom = custom_plan()
    w = World(tenant_settings("custom"), ServiceConfig(plans=[custom], reserved_codes=["*90", "*72"]))
    w.directory.add_extension(agent("744"))
    w.directory.add_extension(supervisor("700"))
    w.directory.add_group(Group("Support", "acme", ["744"], ["700"]))
    w.external_call("c1", "744", "client", "agent744")

    assert w.service.dial("sup700", "700", "*90744").status is Status.not_ours
    outcome = w.service.dial("sup700", "700", "*21744")
    assert outcome.status is Status.started
    for digit, mode in (("2", Mode.whisper), ("3", Mode.barge), ("1", Mode.listen)):
        w.service.dtmf(outcome.session, digit)
        assert w.info(outcome.session).mode is mode

    clashing = custom_plan()
    clashing.name = "clashing"
    codes = list(clashing.dial_codes)
    codes[0] = callsup.DialCode("*90", Mode.listen)
    clashing.dial_codes = codes
    with pytest.raises(callsup.Error) as raised:
        w.service.add_plan(clashing)
    assert raised.value.code is ErrorCode.invalid_plan
    assert "'*90'" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_seed_c_stratus_codes_and_whisper_refused_between_two_on_net_parties() -> None:
    w = World(acme_tenant("stratus", whisper_topology_rule=True))
    for ext in ("100", "101", "102"):
        w.directory.add_extension(agent(ext))
    w.directory.add_extension(supervisor("200"))
    w.directory.add_group(Group("Sales", "acme", ["100", "101", "102"], ["200"]))
    w.external_call("c1", "100", "customer", "leg100")

    outcome = w.service.dial("sup", "200", "007100")
    assert outcome.status is Status.started
    sid = outcome.session

    def press(session: int, digits: str) -> DtmfResult:
        return [w.service.dtmf(session, d) for d in digits][-1]

    assert press(sid, "*8").kind is DtmfResult.Kind.pending
    assert w.info(sid).mode is Mode.listen
    assert press(sid, "1").kind is DtmfResult.Kind.command
    assert w.info(sid).mode is Mode.whisper
    press(sid, "*82")
    assert w.info(sid).mode is Mode.barge
    press(sid, "*80")
    assert w.info(sid).mode is Mode.listen
    w.service.stop(sid)

    w.internal_call("c2", "101", "leg101", "102", "leg102")
    internal = w.service.dial("sup2", "200", "007101")
    assert internal.status is Status.started
    assert Mode.whisper not in w.info(internal.session).allowed_modes
    press(internal.session, "*81")
    assert w.info(internal.session).mode is Mode.listen
    assert w.info(internal.session).state is SessionState.active
    denied = w.audit.of_kind(EventKind.denied)
    assert len(denied) == 1
    assert denied[0].reason is Reason.whisper_topology
    assert denied[0].session == internal.session
    assert not w.routes("c2").hears(listener="leg101", source="sup2")


def test_seed_d_tronic_spy_all_cycles_over_calls_but_private_ones() -> None:
    w = World(tenant_settings("tronic"))
    for ext in ("101", "102", "103", "104"):
        w.directory.add_extension(agent(ext))
    admin = supervisor("300")
    admin.roles = [Role.tenant_admin]
    w.directory.add_extension(admin)
    private = agent("105")
    private.privacy = True
    w.directory.add_extension(private)
    w.directory.add_extension(agent("400"))  # may not spy
    w.external_call("c101", "101", "x101", "l101")
    w.external_call("c105", "105", "x105", "l105")
    w.external_call("c103", "103", "x103", "l103")

    one = w.service.dial("s1", "300", "*95103")
    assert one.status is Status.started
    assert w.info(one.session).call == "c103"
    w.service.stop(one.session)

    spy_all = w.service.dial("s2", "300", "*95")
    assert spy_all.status is Status.started
    assert w.info(spy_all.session).any_call
    visited = [w.info(spy_all.session).call]
    for _ in range(4):
        w.service.dtmf(spy_all.session, "*")
        visited.append(w.info(spy_all.session).call)
    assert visited == ["c101", "c103", "c101", "c103", "c101"]
    assert len(w.audit.of_kind(EventKind.target_changed)) == 4

    assert w.service.dial("s3", "400", "*95103").decision.reason is Reason.not_a_supervisor
    assert w.service.dial("s4", "400", "*95").decision.reason is Reason.not_a_supervisor


@pytest.fixture
def star91() -> World:
    """Seed e: SPY_PERMISSION, DISABLE_SPY and ChanSpy options on the *91/*92/*93 plan."""
    w = World(tenant_settings("star91"))
    w.directory.add_extension(agent("744"))
    w.directory.add_extension(agent("745"))
    disabled = agent("746")
    disabled.privacy = True  # DISABLE_SPY = yes
    w.directory.add_extension(disabled)
    w.directory.add_extension(supervisor("700", ModeSet.up_to(Mode.whisper)))  # SPY_PERMISSION = whisper
    w.directory.add_extension(supervisor("701", ModeSet.all()))
    w.directory.add_group(Group("Support", "acme", ["744", "745", "746"], ["700", "701"]))
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c3", "746", "client3", "agent746")
    return w


def test_seed_e_spy_permission_whisper_lets_whisper_through_and_refuses_barge(star91: World) -> None:
    whisper = star91.service.dial("s1", "700", "*92744")
    assert whisper.status is Status.started
    assert star91.info(whisper.session).mode is Mode.whisper
    star91.service.stop(whisper.session)
    barge = star91.service.dial("s2", "700", "*93744")
    assert barge.status is Status.denied
    assert not barge
    assert barge.decision.reason is Reason.mode_not_granted
    assert barge.decision.rule == "mode_granted"
    assert barge.session == 0


def test_seed_e_disable_spy_on_the_target_refuses(star91: World) -> None:
    outcome = star91.service.dial("s1", "701", "*91746")
    assert outcome.status is Status.denied
    assert outcome.decision.reason is Reason.privacy


def test_seed_e_chanspy_e_exits_when_the_target_hangs_up(star91: World) -> None:
    options = parse_chanspy_options("ESsb").options
    outcome = star91.service.dial("s1", "701", "*91744", options)
    assert outcome.ok
    assert not star91.info(outcome.session).options.announce
    star91.registry.remove_leg("agent744")
    assert star91.info(outcome.session).end_reason is EndReason.target_left


def test_seed_e_s_without_e_stops_when_the_target_has_no_other_call(star91: World) -> None:
    # *91102 with Ssb: the target's call ends and it has no other call, so the session stops.
    outcome = star91.service.dial("s1", "701", "*91744", parse_chanspy_options("Ssb").options)
    assert outcome.ok
    star91.registry.end_call("c1")
    info = star91.info(outcome.session)
    assert (info.state, info.end_reason) == (SessionState.ended, EndReason.no_calls_left)
    star91.external_call("c9", "744", "client9", "agent744b")  # too late: it stopped
    assert star91.info(outcome.session).state is SessionState.ended


def test_seed_e_s_without_e_moves_to_the_targets_other_call(star91: World) -> None:
    star91.external_call("c8", "744", "client8", "agent744c")
    outcome = star91.service.dial("s1", "701", "*91744", parse_chanspy_options("Ssb").options)
    assert outcome.ok and star91.info(outcome.session).call == "c1"
    star91.registry.end_call("c1")
    info = star91.info(outcome.session)
    assert (info.state, info.call) == (SessionState.active, "c8")
    assert len(star91.events_of(EventKind.target_changed, outcome.session)) == 1


def test_seed_e_neither_e_nor_s_the_session_waits_for_the_agents_next_call(star91: World) -> None:
    options = parse_chanspy_options("sb").options
    outcome = star91.service.dial("s1", "701", "*91744", options)
    assert outcome.ok
    star91.registry.remove_leg("agent744")
    assert star91.info(outcome.session).state is SessionState.armed
    star91.external_call("c9", "744", "client9", "agent744b")
    assert star91.info(outcome.session).state is SessionState.active
    assert star91.info(outcome.session).call == "c9"


def test_seed_e_b_supervises_bridged_calls_only(star91: World) -> None:
    star91.registry.add_call("c2", "acme")
    star91.registry.add_leg("c2", Leg.off_net("client2", "+15550000002", LegState.up))
    star91.registry.add_leg("c2", Leg.on_net("agent745", "745", LegState.up))
    options = parse_chanspy_options("ESsb").options
    outcome = star91.service.dial("s1", "701", "*91745", options)
    assert outcome.decision.reason is Reason.not_bridged
    star91.registry.bridge("c2")
    assert star91.service.dial("s1", "701", "*91745", options).ok


def test_seed_e_s_spy_all_stops_when_no_call_is_left(star91: World) -> None:
    spy = parse_chanspy_options("S")
    assert isinstance(spy, ChanSpyOptions) and spy.initial_mode is Mode.listen
    outcome = star91.service.start(StartRequest("s1", "701", "", True, Mode.listen, spy.options))
    assert outcome.ok
    assert star91.info(outcome.session).call == "c1"  # c3 is private
    star91.registry.end_call("c1")
    assert star91.info(outcome.session).end_reason is EndReason.no_calls_left


@pytest.mark.parametrize(
    ("agent_leaves", "end_reason", "action"),
    [
        (AgentLeavesInBarge.end_call, EndReason.agent_left_barge, "end_call"),
        (AgentLeavesInBarge.supervisor_takes_over, EndReason.taken_over, "takeover"),
    ],
)
def test_seed_e_the_agent_leaving_during_barge(
    star91: World, agent_leaves: AgentLeavesInBarge, end_reason: EndReason, action: str
) -> None:
    outcome = star91.service.dial("s1", "701", "*93744", SessionOptions(agent_leaves_in_barge=agent_leaves))
    assert outcome.ok
    star91.registry.remove_leg("agent744")
    assert star91.info(outcome.session).end_reason is end_reason
    actions = star91.audit.of_kind(EventKind.action_requested)
    assert [(a.detail, a.call) for a in actions] == [(action, "c1")]


def test_seed_f_an_administrator_monitors_any_call_and_the_agent_is_notified_on_whisper_and_barge() -> None:
    w = World()
    w.directory.add_extension(agent("744"))
    w.directory.add_extension(agent("810"))  # in no group
    admin = supervisor("900")
    admin.roles = [Role.tenant_admin]
    w.directory.add_extension(admin)
    w.directory.add_extension(supervisor("700"))  # supervises nothing
    w.external_call("c1", "810", "client", "agent810")

    assert w.service.dial("s0", "700", "*90810").decision.reason is Reason.out_of_scope
    outcome = w.service.dial("s1", "900", "*90810")
    assert outcome.status is Status.started
    assert w.audit.of_kind(EventKind.agent_notified) == []
    for mode in (Mode.whisper, Mode.listen, Mode.barge):
        assert w.service.switch_mode(outcome.session, mode).allowed
    notified = w.audit.of_kind(EventKind.agent_notified)
    assert [n.mode for n in notified] == [Mode.whisper, Mode.barge]
    assert notified[0].target_leg == "agent810"

    w.directory.set_tenant(TenantSettings(name="globex"))
    w.directory.add_extension(agent("811", "globex"))
    w.external_call("g1", "811", "gclient", "agent811", "globex")
    assert w.service.dial("s2", "900", "*90811").decision.reason is Reason.cross_tenant
