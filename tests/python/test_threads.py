"""Threads and the GIL: events produced on C++ threads reach Python callbacks with no
deadlock, crash or loss; Python threads drive the service in parallel while the PBX
churns calls and the directory changes (tests/unit/test_service_threads.cpp)."""

from __future__ import annotations

import faulthandler
import threading
import time
from collections import defaultdict
from collections.abc import Iterator

import pytest

import callsup
from callsup import (
    AllOfPolicy,
    AuditRecord,
    AuditSink,
    Call,
    Decision,
    Directory,
    Event,
    EventDispatcher,
    EventKind,
    EventSink,
    FunctionEventSink,
    Group,
    Leg,
    LegState,
    ModeSet,
    PermissionPolicy,
    RouteSet,
    ServiceConfig,
    StandardPolicy,
    SupervisionRequest,
)
from model_support import agent, supervisor
from supervision_world import World

# attempt, started, whisper + notification, barge + notification, listen, ended
SESSION_KINDS = [
    EventKind.attempt, EventKind.started, EventKind.mode_changed, EventKind.agent_notified,
    EventKind.mode_changed, EventKind.agent_notified, EventKind.mode_changed, EventKind.ended,
]


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """A deadlocked test cannot fail by itself: dump every thread's stack and exit instead."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


class Counting:
    """What one Python sink saw: events per supervisor leg, in delivery order, and threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sequences: list[int] = []
        self.by_leg: dict[str, list[EventKind]] = defaultdict(list)
        self.threads: set[int] = set()

    def add(self, event: Event) -> None:
        with self.lock:
            self.sequences.append(event.sequence)
            self.by_leg[event.supervisor_leg].append(event.kind)
            self.threads.add(threading.get_ident())


class CountingAuditSink(AuditSink):
    def __init__(self) -> None:
        super().__init__()
        self.seen = Counting()

    def do_write(self, record: AuditRecord) -> None:
        self.seen.add(record)


class CountingEventSink(EventSink):
    def __init__(self) -> None:
        super().__init__()
        self.seen = Counting()

    def on_event(self, event: Event) -> None:
        self.seen.add(event)


class CountingPolicy(PermissionPolicy):
    """A Python rule composed with StandardPolicy: allows all, counts its calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.threads: set[int] = set()

    def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
        self.calls += 1  # under the GIL: no lost update
        self.threads.add(threading.get_ident())
        return Decision.allow(ModeSet.all(), "counting")


def workers_world(workers: int, policy: PermissionPolicy) -> World:
    w = World(config=ServiceConfig(ended_sessions_kept=100_000), policy=policy)
    for i in range(workers):
        w.directory.add_extension(supervisor(f"70{i}"))
        w.directory.add_extension(agent(f"80{i}"))
        w.directory.add_group(Group(f"G{i}", "acme", [f"80{i}"], [f"70{i}"]))
        w.external_call(f"wc{i}", f"80{i}", f"wcust{i}", f"wag{i}")
    return w


def check_sink(seen: Counting, total: int, legs: set[str]) -> None:
    assert len(seen.sequences) == total
    assert seen.sequences == list(range(1, total + 1)), "sequence order, nothing lost or repeated"
    assert set(seen.by_leg) == legs
    for leg, kinds in seen.by_leg.items():
        assert kinds == SESSION_KINDS, leg


def test_ten_thousand_events_from_cpp_threads_reach_python_callbacks() -> None:
    workers, iterations = 4, 320  # 4 x 320 sessions x 8 events = 10,240 events
    total = workers * iterations * len(SESSION_KINDS)
    rule = CountingPolicy()
    w = workers_world(workers, AllOfPolicy([StandardPolicy(), rule]))
    audit_sink, event_sink = CountingAuditSink(), CountingEventSink()
    by_function, dispatched = Counting(), Counting()
    route_versions: dict[str, list[int]] = defaultdict(list)

    def observe(routes: RouteSet) -> None:
        route_versions[routes.call].append(routes.version)

    w.service.add_audit_sink(audit_sink)
    w.service.add_event_sink(event_sink)
    w.service.add_event_sink(FunctionEventSink(by_function.add))
    w.service.add_route_observer(observe)
    dispatcher = EventDispatcher(dispatched.add)
    w.service.add_event_sink(dispatcher)
    before = {f"wc{i}": w.routes(f"wc{i}").version for i in range(workers)}

    jobs = [(f"w{i}", f"70{i}", f"*9080{i}") for i in range(workers)]
    started = time.monotonic()
    failures = callsup._core._testing_drive_sessions(w.service, jobs, iterations, "120")
    elapsed = time.monotonic() - started
    assert failures == []
    assert dispatcher.flush(timeout=60)

    legs = {f"w{i}-{n}" for i in range(workers) for n in range(iterations)}
    # The policy runs on the thread that asked: these are the C++ worker threads.
    assert len(rule.threads) == workers and threading.get_ident() not in rule.threads
    for seen in (audit_sink.seen, event_sink.seen, by_function):
        check_sink(seen, total, legs)
        # Whichever worker finds the queue free delivers it (one may deliver everything).
        assert seen.threads <= rule.threads, "delivered on the C++ threads that drove the service"
    check_sink(dispatched, total, legs)
    assert len(dispatched.threads) == 1 and threading.get_ident() not in dispatched.threads
    assert w.audit.records() == [*w.events.events()]
    assert len(w.audit) == total
    # One decision per start and per mode switch: 4 per session.
    assert rule.calls == workers * iterations * 4
    for i in range(workers):
        versions = route_versions[f"wc{i}"]
        assert versions == list(range(before[f"wc{i}"] + 1, before[f"wc{i}"] + len(versions) + 1))
        assert len(versions) == iterations * 5  # start, three switches, stop
    assert w.service.sink_failures == 0 and dispatcher.failures == 0
    assert w.service.sessions() == []
    dispatcher.close()
    print(f"{total} events in {elapsed:.2f} s")


def test_python_threads_drive_sessions_while_the_pbx_churns_and_the_directory_changes() -> None:
    workers, iterations = 4, 40
    w = workers_world(workers, AllOfPolicy([StandardPolicy(), CountingPolicy()]))
    w.directory.add_extension(agent("900"))
    w.directory.add_extension(agent("950"))
    problems: list[str] = []
    done = threading.Event()
    counts = {"churned": 0, "toggled": 0, "stopped_by_sink": 0}

    # A sink that reads the service on every event, and stops the "auto" sessions.
    def on_event(event: Event) -> None:
        if event.session and w.service.session(event.session) is None:
            problems.append(f"event for unknown session {event.session}")
        if event.kind is EventKind.started and event.supervisor_leg.startswith("auto"):
            if w.service.stop(event.session):
                counts["stopped_by_sink"] += 1

    w.service.add_event_sink(FunctionEventSink(on_event))

    def worker(i: int) -> None:
        try:
            for n in range(iterations):
                out = w.service.dial(f"w{i}-{n}", f"70{i}", f"*9080{i}")
                if not out.ok:
                    problems.append(f"worker {i}: {out!r}")
                    continue
                if n % 10 == 0:
                    auto = w.service.start(callsup.StartRequest(f"auto{i}-{n}", f"70{i}", f"80{i}"))
                    info = w.service.session(auto.session)
                    if info is None or info.end_reason is not callsup.EndReason.stopped:
                        problems.append(f"worker {i}: auto session not stopped by the sink: {info!r}")
                for digit in "120":
                    w.service.dtmf(out.session, digit)
                if not w.service.stop(out.session):
                    problems.append(f"worker {i}: stop() returned False")
        except Exception as error:  # noqa: BLE001 (reported below)
            problems.append(f"worker {i} raised {error!r}")

    def churn() -> None:
        k = 0
        while not done.is_set() or k < 20:
            call = f"ch{k}"
            w.registry.add_call(call, "acme")
            w.registry.add_leg(call, Leg.off_net(f"{call}-cust", "+15550001111", LegState.up))
            w.registry.add_leg(call, Leg.on_net(f"{call}-ag", "900", LegState.ringing))
            w.registry.answer(f"{call}-ag")
            w.registry.hold(f"{call}-ag")
            w.registry.end_call(call)
            counts["churned"] += 1
            k += 1

    def toggle() -> None:
        k = 0
        while not done.is_set() or k < 20:
            profile = agent("950")
            profile.privacy = k % 2 == 0
            w.directory.update_extension(profile)
            counts["toggled"] += 1
            k += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    helpers = [threading.Thread(target=churn), threading.Thread(target=toggle)]
    for t in threads + helpers:
        t.start()
    for t in threads:
        t.join()
    done.set()
    for t in helpers:
        t.join()

    assert problems == []
    assert counts["churned"] >= 20 and counts["toggled"] >= 20
    assert counts["stopped_by_sink"] == workers * (iterations // 10)
    records = w.audit.records()
    assert [r.sequence for r in records] == list(range(1, len(records) + 1))
    assert [e.sequence for e in w.events.events()] == [r.sequence for r in records]
    worker_records = [r for r in records if r.supervisor_leg.startswith("w")]
    assert len(worker_records) == workers * iterations * len(SESSION_KINDS)
    assert w.service.sink_failures == 0
    assert w.service.sessions() == []


def test_service_calls_release_the_gil_while_they_wait_for_the_service() -> None:
    """Thread A is inside a Python policy (holding the service's lock, waiting for the main
    thread); thread B asks the service something. B must wait without the GIL, or A could
    never get it back."""
    in_policy, go = threading.Event(), threading.Event()

    class Waiting(PermissionPolicy):
        def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision:
            in_policy.set()
            go.wait(30)
            return Decision.allow(ModeSet.all())

    w = World(policy=Waiting())
    w.directory.add_extension(agent("744"))
    w.directory.add_extension(supervisor("700"))
    w.external_call("c1", "744", "client", "agent744")
    results: dict[str, object] = {}
    a = threading.Thread(target=lambda: results.update(a=w.service.dial("s", "700", "*90744")))
    b = threading.Thread(target=lambda: results.update(b=w.service.sessions()))
    a.start()
    assert in_policy.wait(30)
    b.start()
    time.sleep(0.05)  # B is waiting for the service's lock now
    go.set()
    a.join(30)
    b.join(30)
    assert not a.is_alive() and not b.is_alive()
    outcome = results["a"]
    assert isinstance(outcome, callsup.StartOutcome) and outcome.ok
    assert isinstance(results["b"], list)


def test_closing_the_service_while_other_threads_use_it() -> None:
    w = workers_world(2, StandardPolicy())
    errors: list[str] = []

    def user(i: int) -> None:
        for n in range(200):
            try:
                out = w.service.dial(f"u{i}-{n}", f"70{i}", f"*9080{i}")
                w.service.stop(out.session)
            except RuntimeError as error:
                assert "the service is closed" in str(error)
                return
            except callsup.Error as error:
                errors.append(repr(error))
                return

    threads = [threading.Thread(target=user, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.01)
    w.service.close()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert w.service.closed
