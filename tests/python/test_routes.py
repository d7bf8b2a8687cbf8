"""compute_routes and the routing values through Python (tests/unit/test_compute_routes.cpp)."""

from __future__ import annotations

import copy
import pickle
import random

import pytest

import callsup
from callsup import (
    Call,
    Channel,
    ErrorCode,
    Leg,
    LegState,
    ListenDirection,
    Mode,
    Route,
    RouteSet,
    SupervisorRoute,
    Tap,
    compute_routes,
    volume_gain,
)

AGENT, CUSTOMER = "agent", "cust"


def two_party(agent_state: LegState = LegState.up, customer_state: LegState = LegState.up) -> Call:
    return Call(
        id="c1",
        tenant="acme",
        bridged=True,
        legs=[Leg.on_net(AGENT, "100", agent_state), Leg.off_net(CUSTOMER, "+15550001", customer_state)],
    )


def sup(leg: str, mode: Mode, target: str = AGENT, **options: object) -> SupervisorRoute:
    return SupervisorRoute(supervisor_leg=leg, mode=mode, target_leg=target, **options)  # type: ignore[arg-type]


def edges(routes: RouteSet) -> str:
    return " ".join(f"{r.from_leg}>{r.to}" for r in routes.routes)


def test_an_unsupervised_call_the_parties_hear_each_other() -> None:
    routes = compute_routes(two_party())
    assert edges(routes) == "cust>agent agent>cust"
    assert routes.call == "c1" and routes.version == 0 and not routes.ended
    assert all(r.gain == 1.0 and r.channel is Channel.mono for r in routes.routes)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (Mode.listen, "cust>agent agent>cust agent>s cust>s"),
        (Mode.whisper, "cust>agent s>agent agent>cust agent>s cust>s"),
        (Mode.barge, "cust>agent s>agent agent>cust s>cust agent>s cust>s"),
    ],
)
def test_the_table_cell_by_cell(mode: Mode, expected: str) -> None:
    assert edges(compute_routes(two_party(), [sup("s", mode)])) == expected


def test_a_second_supervisor_hears_a_barger_only() -> None:
    routes = compute_routes(two_party(), [sup("b", Mode.barge), sup("l", Mode.listen), sup("w", Mode.whisper)])
    assert routes.hears(listener="l", source="b") and routes.hears(listener="w", source="b")
    assert not routes.hears(listener="b", source="l") and not routes.hears(listener="b", source="w")
    assert not routes.hears(listener="l", source="w")
    assert routes.sources_of("l") == ["agent", "b", "cust"]
    assert routes.listeners_of("w") == ["agent"]


def test_held_parties_and_supervisors_neither_hear_nor_are_heard() -> None:
    routes = compute_routes(two_party(customer_state=LegState.held), [sup("s", Mode.barge)])
    assert routes.sources_of(CUSTOMER) == [] and routes.listeners_of(CUSTOMER) == []
    down = compute_routes(two_party(), [sup("s", Mode.barge, supervisor_up=False)])
    assert down.sources_of("s") == [] and down.listeners_of("s") == []


def test_options_direction_stereo_private_whisper_whisper_target_gain_and_tone() -> None:
    agent_only = compute_routes(two_party(), [sup("s", Mode.listen, direction=ListenDirection.agent_only)])
    assert agent_only.sources_of("s") == [AGENT]
    customer_only = compute_routes(two_party(), [sup("s", Mode.listen, direction=ListenDirection.customer_only)])
    assert customer_only.sources_of("s") == [CUSTOMER]

    stereo = compute_routes(two_party(), [sup("s", Mode.listen, stereo=True)])
    assert stereo.find(listener="s", source=AGENT) == Route(from_leg=AGENT, to="s", gain=1.0, channel=Channel.left)
    assert stereo.find(listener="s", source=CUSTOMER) == Route(
        from_leg=CUSTOMER, to="s", gain=1.0, channel=Channel.right
    )

    private = compute_routes(two_party(), [sup("s", Mode.whisper, private_whisper=True)])
    assert private.sources_of("s") == [] and private.hears(listener=AGENT, source="s")

    to_customer = compute_routes(two_party(), [sup("s", Mode.whisper, whisper_leg=CUSTOMER)])
    assert to_customer.hears(listener=CUSTOMER, source="s") and not to_customer.hears(listener=AGENT, source="s")
    assert sup("s", Mode.whisper, whisper_leg=CUSTOMER).whisper_target == CUSTOMER
    assert sup("s", Mode.whisper).whisper_target == AGENT

    louder = compute_routes(two_party(), [sup("s", Mode.barge, gain=volume_gain(2))])
    heard = louder.find(listener="s", source=AGENT)
    assert heard is not None and heard.gain == pytest.approx(10 ** (6 / 20), rel=1e-6)
    spoken = louder.find(listener=AGENT, source="s")
    assert spoken is not None and spoken.gain == 1.0  # gain applies to what the supervisor hears
    assert louder.find(listener="nobody", source=AGENT) is None

    toned = compute_routes(two_party(), [sup("s", Mode.listen, monitoring_tone=True)])
    assert sorted(toned.tone_listeners) == [AGENT, CUSTOMER]


def test_taps_hear_the_parties_and_a_whisper_only_when_asked() -> None:
    routes = compute_routes(two_party(), [sup("s", Mode.whisper)], [Tap("rec"), Tap("compliance", True)])
    assert routes.sources_of("rec") == [AGENT, CUSTOMER]
    assert routes.hears(listener="compliance", source="s") and not routes.hears(listener="rec", source="s")
    assert routes.listeners_of("rec") == []


def test_ids_that_collide_or_are_empty_raise_errors_naming_them() -> None:
    with pytest.raises(callsup.Error) as collision:
        compute_routes(two_party(), [sup(AGENT, Mode.listen)])
    assert collision.value.code is ErrorCode.duplicate_id and "'agent'" in str(collision.value)
    with pytest.raises(callsup.Error) as tap_collision:
        compute_routes(two_party(), [sup("s", Mode.listen)], [Tap("s")])
    assert tap_collision.value.code is ErrorCode.duplicate_id and "'s'" in str(tap_collision.value)
    with pytest.raises(callsup.InvalidArgumentError, match="must not be empty"):
        compute_routes(two_party(), [sup("", Mode.listen)])
    with pytest.raises(TypeError):
        compute_routes(two_party(), ["s"])  # type: ignore[list-item]


def test_volume_gain_is_3_db_per_step() -> None:
    assert volume_gain(0) == 1.0
    assert volume_gain(4) == pytest.approx(10 ** (12 / 20), rel=1e-6)
    assert volume_gain(-4) == pytest.approx(10 ** (-12 / 20), rel=1e-6)


def test_routing_values_construct_compare_copy_and_pickle() -> None:
    route = Route(from_leg="a", to="b", gain=0.5, channel=Channel.right)
    assert (route.from_leg, route.to, route.gain, route.channel) == ("a", "b", 0.5, Channel.right)
    assert repr(route) == "Route(from_leg='a', to='b', gain=0.5, channel=Channel.right)"
    assert Route(from_leg="a", to="b") == Route(from_leg="a", to="b", gain=1.0, channel=Channel.mono) != route
    routes = RouteSet("c1", 3, [route], ["b"], False)
    assert routes.routes == (route,)
    assert routes == pickle.loads(pickle.dumps(routes)) == copy.deepcopy(routes)
    assert routes != RouteSet("c1", 4, [route], ["b"], False)
    assert routes.same_routing(RouteSet("c1", 4, [route], ["b"], False))
    with pytest.raises(AttributeError):
        routes.routes.append(route)  # type: ignore[attr-defined]
    supervisor = sup("s", Mode.whisper, stereo=True)
    assert supervisor == pickle.loads(pickle.dumps(supervisor))
    assert "SupervisorRoute(supervisor_leg='s', supervisor_up=True, mode=Mode.whisper" in repr(supervisor)
    assert Tap("rec") == Tap(id="rec", hears_whisper=False)
    with pytest.raises(TypeError):
        Route(gain="loud")  # type: ignore[arg-type]


def oracle(call: Call, sups: list[SupervisorRoute], taps: list[Tap], listener: str, source: str) -> bool:
    """An independent reading of the table: does `listener` hear `source`?"""
    parties = {leg.id for leg in call.legs if leg.state is LegState.up}
    active = {s.supervisor_leg: s for s in sups if s.supervisor_up}
    tap_of = {t.id: t for t in taps}
    if listener == source or source in tap_of or (source not in parties and source not in active):
        return False
    by = active.get(source)
    if listener in parties:
        return by is None or by.mode is Mode.barge or (by.mode is Mode.whisper and by.whisper_target == listener)
    if listener in active:
        me = active[listener]
        if me.mode is Mode.whisper and me.private_whisper:
            return False
        if by is not None:
            return by.mode is Mode.barge
        if me.mode is not Mode.barge and me.direction is ListenDirection.agent_only:
            return source == me.target_leg
        if me.mode is not Mode.barge and me.direction is ListenDirection.customer_only:
            return source != me.target_leg
        return True
    if listener in tap_of:
        return by is None or by.mode is Mode.barge or (by.mode is Mode.whisper and tap_of[listener].hears_whisper)
    return False


def test_the_table_holds_for_random_calls_sessions_and_taps() -> None:
    rng = random.Random(4)
    states = list(LegState)
    for _ in range(300):
        legs = [Leg.on_net(f"p{i}", f"10{i}", rng.choice(states)) for i in range(rng.randint(1, 4))]
        call = Call(id="c", tenant="acme", legs=legs, bridged=True)
        sups = [
            SupervisorRoute(
                supervisor_leg=f"s{i}", supervisor_up=rng.random() < 0.8, mode=rng.choice(list(Mode)),
                target_leg=rng.choice(legs).id, whisper_leg=rng.choice(["", legs[-1].id]),
                direction=rng.choice(list(ListenDirection)), stereo=rng.random() < 0.3,
                private_whisper=rng.random() < 0.3,
            )
            for i in range(rng.randint(0, 3))
        ]
        taps = [Tap(f"t{i}", rng.random() < 0.5) for i in range(rng.randint(0, 2))]
        routes = compute_routes(call, sups, taps)
        ids = [leg.id for leg in legs] + [s.supervisor_leg for s in sups] + [t.id for t in taps]
        pairs = [(r.to, r.from_leg) for r in routes.routes]
        assert pairs == sorted(set(pairs)), "sorted by (to, from_leg), no duplicates"
        for listener in ids:
            for source in ids:
                assert routes.hears(listener=listener, source=source) == oracle(call, sups, taps, listener, source), (
                    listener, source, call, sups, taps)
