"""policy_hooks: permission rules written in Python, composed with StandardPolicy.

Shows a callsup.PermissionPolicy subclass deciding live while supervisors dial feature
codes, composed with the standard rules by AllOfPolicy (the first denial wins), and the
reason and rule name of each decision as the audit trail keeps them. The house rules:

* a call that came through a queue may be supervised only by that queue's allow-list
  (even a tenant admin, whom StandardPolicy lets supervise anything in the tenant);
* barging is for business hours (Monday to Friday, 08:00-18:00); after hours supervisors
  may listen and whisper, and a switch to barge is refused while the session goes on.

Run: python examples/python/policy_hooks.py
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Callable

import callsup
from callsup import (
    AllOfPolicy,
    Call,
    CallRegistry,
    Decision,
    Directory,
    Leg,
    LegState,
    MemoryAuditSink,
    Mode,
    ModeSet,
    PermissionPolicy,
    Reason,
    StandardPolicy,
    SupervisionRequest,
    SupervisionService,
)

QUEUE_SUPERVISORS = {"Support": {"700"}, "Sales": {"701", "799"}}


class HouseRules(PermissionPolicy):
    """The queue allow-list and business-hours barging. `now` tells the time (a function,
    so that this example can move the clock)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.now = now

    def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
        allowed = QUEUE_SUPERVISORS.get(call.group)
        if allowed is not None and request.supervisor not in allowed:
            return Decision.deny(Reason.custom, f"queue_allow_list:{call.group}")
        modes = ModeSet.all() if self.business_hours() else ModeSet([Mode.listen, Mode.whisper])
        if request.mode not in modes:
            return Decision.deny(Reason.mode_not_granted, "barge_in_business_hours", modes)
        return Decision.allow(modes, "house_rules")

    def business_hours(self) -> bool:
        now = self.now()
        return now.weekday() < 5 and 8 <= now.hour < 18


# Tenant acme: supervisors 700 (Support), 701 (Sales) and 799 (tenant admin); agents 744 and
# 746 (privacy) in Support, 747 in Sales.
DIRECTORY = Path(__file__).with_name("acme_directory.json")


def queue_call(registry: CallRegistry, call: str, queue: str, agent: str) -> None:
    """A customer who came through `queue`, answered by `agent`."""
    registry.add_call(call, "acme", queue)
    registry.add_leg(call, Leg.off_net(f"{call}-customer", "+15551230000", LegState.up))
    registry.add_leg(call, Leg.on_net(f"{call}-agent", agent, LegState.up))
    registry.bridge(call)


def main() -> int:
    clock = {"now": datetime(2025, 3, 4, 10, 0)}  # a Tuesday morning
    rules = HouseRules(lambda: clock["now"])
    directory = Directory()
    directory.load_file(DIRECTORY)
    registry = CallRegistry()
    audit = MemoryAuditSink()
    service = SupervisionService(registry, directory, AllOfPolicy([StandardPolicy(), rules]))
    service.add_audit_sink(audit)
    queue_call(registry, "c1", "Support", "744")
    queue_call(registry, "c2", "Sales", "747")

    outcomes: list[tuple[str, bool]] = []

    def report(supervisor: str, what: str, decision: Decision) -> None:
        verdict = "allowed" if decision else f"denied: {decision.reason.name} by {decision.rule}"
        print(f"{clock['now']:%a %H:%M}  {supervisor} {what:<34} -> {verdict}")

    def dial(supervisor: str, code: str, what: str) -> callsup.StartOutcome:
        outcome = service.dial(f"leg-{supervisor}-{code}", supervisor, code)
        report(supervisor, what, outcome.decision)
        outcomes.append((what, bool(outcome)))
        return outcome

    dial("700", "*90744", "listens to 744 (Support queue)")
    dial("799", "*90744", "listens to 744 (Support queue)")  # admin, but not on Support's list
    dial("799", "*92747", "barges into 747 (Sales queue)")
    dial("701", "*90744", "listens to 744 (Support queue)")  # StandardPolicy: out of scope

    clock["now"] = datetime(2025, 3, 4, 20, 0)  # the same evening
    dial("700", "*92744", "barges into 744 after hours")
    late = dial("700", "*91744", "whispers to 744 after hours")
    switch = service.switch_mode(late.session, Mode.barge)
    report("700", "switches that session to barge", switch)
    clock["now"] = datetime(2025, 3, 5, 9, 0)  # next morning: the same session may barge now
    switch_again = service.switch_mode(late.session, Mode.barge)
    report("700", "switches that session to barge", switch_again)

    denials = [r for r in audit.records() if not r.allowed]
    print(f"audit: {len(audit)} records, {len(denials)} denials by rules", sorted({r.rule for r in denials}))
    service.close()

    expected = [True, False, True, False, False, True]
    ok = [allowed for _, allowed in outcomes] == expected and not switch and bool(switch_again)
    print("policy_hooks: OK" if ok else "policy_hooks: unexpected decisions")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
