"""Permission policies through Python: StandardPolicy's rules, Decision, and policies
written in Python deciding live for the service, alone or composed with StandardPolicy."""

from __future__ import annotations

import gc
import threading

import pytest

import callsup
from callsup import (
    AllOfPolicy,
    Call,
    Decision,
    Directory,
    EndReason,
    EventKind,
    Mode,
    ModeSet,
    PermissionPolicy,
    Reason,
    SessionState,
    StandardPolicy,
    StartOutcome,
    SupervisionRequest,
)
from model_support import acme_directory, agent, supervisor
from supervision_world import Acme

Status = StartOutcome.Status


def seed_call(call_id: str = "c1", ext: str = "744", agent_leg: str = "agent744") -> Call:
    return Call(
        id=call_id,
        tenant="acme",
        legs=[
            callsup.Leg.off_net("client", "+15551230000", callsup.LegState.up),
            callsup.Leg.on_net(agent_leg, ext, callsup.LegState.up),
        ],
        bridged=True,
    )


def request(
    supervisor_ext: str = "700", target: str = "744", mode: Mode = Mode.listen, **kw: object
) -> SupervisionRequest:
    return SupervisionRequest(supervisor=supervisor_ext, target=target, mode=mode, **kw)  # type: ignore[arg-type]


class QueueAllowList(PermissionPolicy):
    """A rule of the integrator's: supervisors may only supervise the agents listed for them."""

    def __init__(self, allowed: dict[str, set[str]]) -> None:
        super().__init__()
        self.allowed = allowed
        self.calls: list[tuple[SupervisionRequest, str, int]] = []

    def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
        self.calls.append((request, call.id, threading.get_ident()))
        if request.target not in self.allowed.get(request.supervisor, set()):
            return Decision.deny(Reason.custom, "queue_allow_list")
        modes = ModeSet.up_to(Mode.whisper)  # nobody barges into a queue's calls
        if request.mode not in modes:
            return Decision.deny(Reason.mode_not_granted, "queue_allow_list", modes)
        return Decision.allow(modes, "queue_allow_list")


# --- StandardPolicy -------------------------------------------------------------------------


def test_standard_policy_allows_a_group_supervisor_every_granted_mode() -> None:
    decision = StandardPolicy().decide(request(), seed_call(), acme_directory())
    assert decision.allowed and decision
    assert decision == Decision(True, ModeSet.all(), Reason.allowed, "allowed")


@pytest.mark.parametrize(
    ("supervisor_ext", "target", "reason", "rule"),
    [
        ("799", "744", Reason.unknown_supervisor, "directory"),
        ("700", "799", Reason.unknown_target, "directory"),
        ("744", "745", Reason.not_a_supervisor, "may_supervise"),
        ("700", "746", Reason.out_of_scope, "scope"),
        ("700", "700", Reason.self_supervision, "not_self"),
    ],
)
def test_standard_policy_denies_with_the_rules_reason(
    supervisor_ext: str, target: str, reason: Reason, rule: str
) -> None:
    call = seed_call(ext=target, agent_leg="agent")
    decision = StandardPolicy().decide(request(supervisor_ext, target), call, acme_directory())
    assert not decision.allowed and not decision
    assert (decision.reason, decision.rule) == (reason, rule)


def test_standard_policy_privacy_grants_and_caps() -> None:
    directory = acme_directory()
    private = agent("745")
    private.privacy = True
    directory.update_extension(private)
    policy = StandardPolicy()
    assert policy.decide(request(target="745"), seed_call(ext="745"), directory).reason is Reason.privacy

    directory.update_extension(supervisor("700", ModeSet.up_to(Mode.whisper)))
    refused = policy.decide(request(mode=Mode.barge), seed_call(), directory)
    assert (refused.reason, refused.rule) == (Reason.mode_not_granted, "mode_granted")
    assert refused.modes == ModeSet.up_to(Mode.whisper)

    directory.update_extension(supervisor("700"))
    capped = policy.decide(request(mode=Mode.barge, other_supervisors=1, other_bargers=1), seed_call(), directory)
    assert (capped.reason, capped.rule) == (Reason.barge_cap, "caps")
    assert capped.modes == ModeSet.up_to(Mode.whisper)


def test_standard_policy_helpers_and_rule_names() -> None:
    assert StandardPolicy.rules == (
        "directory", "tenant_enabled", "same_tenant", "may_supervise", "channel", "not_self", "privacy",
        "scope", "mode_granted", "bridged_only", "whisper_topology", "caps",
    )
    directory = acme_directory()
    sup, target = directory.find_extension("700"), directory.find_extension("744")
    assert sup is not None and target is not None
    assert StandardPolicy.in_scope(sup, target, seed_call(), directory)
    assert StandardPolicy.agent_talks_to_outside(seed_call(), "744")
    assert repr(StandardPolicy()) == "StandardPolicy()"


def test_decision_values() -> None:
    allowed = Decision.allow(ModeSet([Mode.listen]))
    assert (allowed.allowed, allowed.reason, allowed.rule) == (True, Reason.allowed, "allowed")
    assert allowed.modes == ModeSet([Mode.listen])
    denied = Decision.deny(Reason.privacy, "privacy")
    assert not denied and denied.modes == ModeSet.none()
    assert repr(denied) == "Decision(allowed=False, modes=ModeSet([]), reason=Reason.privacy, rule='privacy')"
    assert Decision() == Decision(False, ModeSet.none(), Reason.allowed, "")
    assert [r.name for r in Reason][:3] == ["allowed", "supervision_disabled", "unknown_supervisor"]
    assert [r.name for r in Reason][-2:] == ["custom", "channel_not_allowed"]
    assert request() == SupervisionRequest("700", "744")
    assert "SupervisionRequest(supervisor='700', target='744', mode=Mode.listen" in repr(request())


# --- Python policies deciding live ----------------------------------------------------------


def test_a_python_policy_alone_decides_for_the_service() -> None:
    policy = QueueAllowList({"700": {"744"}})
    w = Acme(policy=policy)
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c2", "746", "client6", "agent746")

    allowed = w.service.dial("s1", "700", "*90744")
    assert allowed.status is Status.started
    assert allowed.decision.rule == "queue_allow_list"
    assert w.info(allowed.session).allowed_modes == ModeSet.up_to(Mode.whisper)
    # 746 is outside the StandardPolicy's scope, but this policy alone decides: refused by it.
    refused = w.service.dial("s2", "700", "*90746")
    assert refused.status is Status.denied
    assert (refused.decision.reason, refused.decision.rule) == (Reason.custom, "queue_allow_list")
    denied = w.audit.of_kind(EventKind.denied)
    assert [(d.reason, d.rule) for d in denied] == [(Reason.custom, "queue_allow_list")]

    # Every switch is decided again: barge is refused, the session goes on listening.
    switch = w.service.switch_mode(allowed.session, Mode.barge)
    assert (switch.allowed, switch.reason, switch.rule) == (False, Reason.mode_not_granted, "queue_allow_list")
    assert w.info(allowed.session).state is SessionState.active
    assert w.info(allowed.session).mode is Mode.listen
    # A denial the policy calls final (custom) ends the session at the next re-check.
    policy.allowed["700"] = set()
    w.directory.add_extension(agent("799"))
    assert w.info(allowed.session).state is SessionState.ended
    assert w.info(allowed.session).end_decision is Reason.custom
    assert [c[0].target for c in policy.calls] == ["744", "746", "744", "744"]
    assert all(isinstance(c[0], SupervisionRequest) for c in policy.calls)


def test_a_python_rule_composed_with_the_standard_policy() -> None:
    rule = QueueAllowList({"700": {"744", "745", "746"}})
    policy = AllOfPolicy([StandardPolicy(), rule])
    w = Acme(policy=policy)
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c3", "746", "client6", "agent746")

    outcome = w.service.dial("s1", "700", "*92744")  # barge: StandardPolicy allows, the rule does not
    assert outcome.status is Status.denied
    assert (outcome.decision.reason, outcome.decision.rule) == (Reason.mode_not_granted, "queue_allow_list")
    assert outcome.decision.modes == ModeSet.up_to(Mode.whisper)

    whisper = w.service.dial("s1", "700", "*91744")
    assert whisper.status is Status.started
    assert whisper.decision.rule == "queue_allow_list"

    # StandardPolicy comes first: 746 is out of scope whatever the rule says.
    outside = w.service.dial("s2", "700", "*90746")
    assert (outside.decision.reason, outside.decision.rule) == (Reason.out_of_scope, "scope")

    # A live change of the rule's data is seen at the next re-check (a directory change).
    rule.allowed["700"] = set()
    w.directory.add_extension(agent("799"))
    assert w.info(whisper.session).state is SessionState.ended
    assert w.info(whisper.session).end_reason is EndReason.permission_lost
    assert w.info(whisper.session).end_decision is Reason.custom


def test_all_of_policy_intersects_the_modes_and_refuses_a_mode_outside_them() -> None:
    class ListenOnly(PermissionPolicy):
        """Allows, but only listening: the composition refuses the rest."""

        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            return Decision.allow(ModeSet([Mode.listen]), "listen_only")

    w = Acme(policy=AllOfPolicy([StandardPolicy(), ListenOnly()]))
    w.external_call("c1", "744", "client", "agent744")
    whisper = w.service.dial("s1", "700", "*91744")
    assert (whisper.decision.reason, whisper.decision.rule) == (Reason.mode_not_granted, "all_of")
    assert whisper.decision.modes == ModeSet([Mode.listen])
    listen = w.listen()
    assert listen.ok and listen.decision.rule == "listen_only"
    assert w.info(listen.session).allowed_modes == ModeSet([Mode.listen])


def test_a_business_hours_rule_flips_the_decision_while_calls_run() -> None:
    class BusinessHours(PermissionPolicy):
        def __init__(self) -> None:
            super().__init__()
            self.open = True

        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            if self.open:
                return Decision.allow(ModeSet.all(), "business_hours")
            return Decision.deny(Reason.custom, "business_hours")

    hours = BusinessHours()
    w = Acme(policy=AllOfPolicy([StandardPolicy(), hours]))
    w.external_call("c1", "744", "client", "agent744")
    assert w.listen().ok
    hours.open = False
    closed = w.listen("s2", target="745")
    assert closed.decision.rule == "business_hours"


def test_a_policy_that_raises_denies_and_names_the_error() -> None:
    class Broken(PermissionPolicy):
        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            raise KeyError("no such queue")

    w = Acme(policy=Broken())
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.status is Status.denied
    assert outcome.decision.reason is Reason.custom
    assert outcome.decision.rule.startswith("policy_error: KeyError: 'no such queue'")


def test_a_policy_returning_something_else_denies_with_a_type_error() -> None:
    class Sloppy(PermissionPolicy):
        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            return True  # type: ignore[return-value]

    w = Acme(policy=Sloppy())
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.decision.reason is Reason.custom
    assert outcome.decision.rule == (
        "policy_error: PermissionPolicy.decide() must return a callsup.Decision, got True"
    )
    with pytest.raises(TypeError, match="got True"):
        AllOfPolicy([Sloppy()]).decide(request(), seed_call(), acme_directory())


def test_a_subclass_without_decide_is_refused() -> None:
    class Empty(PermissionPolicy):
        pass

    w = Acme(policy=Empty())
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.decision.reason is Reason.custom
    assert "does not implement decide(request, call, directory)" in outcome.decision.rule


def test_a_policy_calling_back_into_the_service_is_refused_not_deadlocked() -> None:
    seen: list[str] = []

    class Nosy(PermissionPolicy):
        service: callsup.SupervisionService

        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            try:
                self.service.sessions()
            except RuntimeError as error:
                seen.append(str(error))
                raise
            return Decision.allow(ModeSet.all())

    nosy = Nosy()
    w = Acme(policy=nosy)
    nosy.service = w.service
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.decision.reason is Reason.custom
    assert seen and "called from a PermissionPolicy.decide()" in seen[0]
    assert "would deadlock" in outcome.decision.rule


def test_the_policy_receives_the_call_and_the_live_directory() -> None:
    received: list[tuple[Call, Directory]] = []

    class Recorder(PermissionPolicy):
        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            received.append((call, directory))
            return StandardPolicy().decide(request, call, directory)

    w = Acme(policy=Recorder())
    w.external_call("c1", "744", "client", "agent744")
    assert w.listen().ok
    call, directory = received[0]
    assert directory is w.directory
    assert call == w.registry.find_call("c1")
    assert directory.find_extension("700") is not None


def test_the_service_keeps_a_python_policy_alive() -> None:
    w = Acme(policy=QueueAllowList({"700": {"744"}}))
    gc.collect()  # the policy object has no other reference than the service's
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.ok and outcome.decision.rule == "queue_allow_list"


def test_all_of_policy_arguments() -> None:
    with pytest.raises(callsup.InvalidArgumentError, match="at least one policy"):
        AllOfPolicy([])
    with pytest.raises(TypeError):
        AllOfPolicy([StandardPolicy(), "allow"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        PermissionPolicy().decide(request(), seed_call(), acme_directory())
