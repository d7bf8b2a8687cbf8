"""Test support for the service tests: a registry, directory, service and recording
sinks wired together, the Python twin of tests/unit/support/{world,acme}.hpp."""

from __future__ import annotations

import threading
from typing import Optional

import callsup
from callsup import (
    CallRegistry,
    Directory,
    DtmfCommand,
    Event,
    EventKind,
    FeatureCodePlan,
    Leg,
    LegState,
    ManualClock,
    MemoryAuditSink,
    Mode,
    ServiceConfig,
    SessionInfo,
    SessionOptions,
    StartOutcome,
    SupervisionService,
    TenantSettings,
)
from model_support import acme_directory, external_call, internal_call, tenant_settings


class RecordingEventSink(callsup.EventSink):
    """An EventSink written in Python: keeps every event, in delivery order."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._events: list[Event] = []

    def on_event(self, event: Event) -> None:
        with self._lock:
            self._events.append(event)

    def events(self) -> list[Event]:
        with self._lock:
            return list(self._events)

    def of_kind(self, kind: EventKind) -> list[Event]:
        return [e for e in self.events() if e.kind == kind]


def acme_tenant(plan: str = "portaswitch", **changes: object) -> TenantSettings:
    """Tenant "acme" dialling `plan`, with the given settings changed."""
    settings = tenant_settings(plan)
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


class World:
    """One tenant "acme" by default (or `directory`, with `tenant` replacing its settings);
    a manual DTMF clock; sinks that record everything."""

    def __init__(
        self,
        tenant: Optional[TenantSettings] = None,
        config: Optional[ServiceConfig] = None,
        policy: Optional[callsup.PermissionPolicy] = None,
        directory: Optional[Directory] = None,
    ) -> None:
        self.clock = ManualClock()
        self.registry = CallRegistry()
        self.directory = directory if directory is not None else Directory()
        if tenant is not None or directory is None:
            self.directory.set_tenant(tenant if tenant is not None else tenant_settings())
        config = config if config is not None else ServiceConfig()
        if config.clock is None:
            config.clock = self.clock
        self.service = SupervisionService(self.registry, self.directory, policy, config)
        self.audit = MemoryAuditSink()
        self.events = RecordingEventSink()
        self.service.add_audit_sink(self.audit)
        self.service.add_event_sink(self.events)

    def external_call(self, call: str, ext: str, customer_leg: str, agent_leg: str, tenant: str = "acme") -> None:
        external_call(self.registry, call, ext, customer_leg, agent_leg, tenant)

    def internal_call(self, call: str, a: str, a_leg: str, b: str, b_leg: str, tenant: str = "acme") -> None:
        internal_call(self.registry, call, a, a_leg, b, b_leg, tenant)

    def info(self, session: int) -> SessionInfo:
        found = self.service.session(session)
        assert found is not None, f"no session {session}"
        return found

    def routes(self, call: str) -> callsup.RouteSet:
        found = self.service.routes(call)
        assert found is not None, f"no routes for call {call!r}"
        return found

    def events_of(self, kind: EventKind, session: int) -> list[Event]:
        return [e for e in self.events.of_kind(kind) if e.session == session]


class Acme(World):
    """Agents 744 and 745 in group Support (supervised by 700, all modes), 746 in none."""

    def __init__(self, tenant: Optional[TenantSettings] = None, config: Optional[ServiceConfig] = None,
                 policy: Optional[callsup.PermissionPolicy] = None) -> None:
        super().__init__(tenant, config, policy, acme_directory())

    def listen(self, leg: str = "sup700", options: Optional[SessionOptions] = None, sup: str = "700",
               target: str = "744") -> StartOutcome:
        """`sup` dials the portaswitch listen code for `target`."""
        return self.service.dial(leg, sup, "*90" + target, options)

    def supervisor_call(self, call: str = "sc", leg: str = "sup700", ext: str = "700") -> None:
        """The supervisor's own phone call: its leg alone in call `call`."""
        self.registry.add_call(call, "acme")
        self.registry.add_leg(call, Leg.on_net(leg, ext, LegState.up))


def custom_plan() -> FeatureCodePlan:
    """*21/*22/*23 + extension, DTMF 1/2/3 (as tests/unit/support/custom_plan.hpp)."""
    return FeatureCodePlan(
        name="custom",
        dial_codes=[
            callsup.DialCode("*21", Mode.listen),
            callsup.DialCode("*22", Mode.whisper),
            callsup.DialCode("*23", Mode.barge),
        ],
        dtmf_codes=[
            callsup.DtmfCode("1", DtmfCommand.switch_to(Mode.listen)),
            callsup.DtmfCode("2", DtmfCommand.switch_to(Mode.whisper)),
            callsup.DtmfCode("3", DtmfCommand.switch_to(Mode.barge)),
        ],
    )
