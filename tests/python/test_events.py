"""Event sinks through Python: EventSink subclasses and callables (synchronous), and
EventQueue / EventDispatcher, which keep Python off the thread that delivers."""

from __future__ import annotations

import _thread
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

import callsup
from callsup import (
    EndReason,
    Event,
    EventDispatcher,
    EventKind,
    EventQueue,
    EventSink,
    FunctionEventSink,
    Mode,
    RouteSet,
    SessionState,
)
from supervision_world import Acme


def started_world() -> tuple[Acme, int]:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.ok
    return w, outcome.session


# --- synchronous sinks ----------------------------------------------------------------------


def test_a_python_event_sink_and_a_callable_get_every_event_in_order_before_the_call_returns() -> None:
    w = Acme()
    called: list[tuple[Event, int]] = []
    w.service.add_event_sink(FunctionEventSink(lambda e: called.append((e, threading.get_ident()))))
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert [e.kind for e, _ in called] == [EventKind.attempt, EventKind.started]  # already delivered
    w.service.switch_mode(outcome.session, Mode.whisper)
    w.service.stop(outcome.session)
    assert [e for e, _ in called] == w.events.events() == w.audit.records()
    assert {thread for _, thread in called} == {threading.get_ident()}
    started = called[1][0]
    assert (started.session, started.call, started.target_leg, started.mode) == (
        outcome.session, "c1", "agent744", Mode.listen)


def test_a_sink_may_call_back_into_the_service() -> None:
    w = Acme()
    stopped: list[bool] = []

    class StopOnStart(EventSink):
        def on_event(self, event: Event) -> None:
            if event.kind is EventKind.started:
                stopped.append(w.service.stop(event.session))

    w.service.add_event_sink(StopOnStart())
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    # Events the sink caused are delivered after the current one, before dial() returns.
    assert stopped == [True]
    assert w.info(outcome.session).state is SessionState.ended
    assert [e.kind for e in w.events.events()] == [EventKind.attempt, EventKind.started, EventKind.ended]


def test_a_sink_may_change_the_registry_while_another_thread_does() -> None:
    w = Acme()
    other_done = threading.Event()

    def other() -> None:
        w.registry.add_call("from-thread", "acme")
        other_done.set()

    def on_event(event: Event) -> None:
        if event.kind is EventKind.started:
            thread = threading.Thread(target=other)
            thread.start()
            time.sleep(0.05)  # the other thread is changing the registry now
            w.registry.add_call("from-sink", "acme")
            thread.join(timeout=30)

    w.service.add_event_sink(FunctionEventSink(on_event))
    w.external_call("c1", "744", "client", "agent744")
    assert w.listen().ok
    assert other_done.is_set()
    assert w.registry.find_call("from-sink") is not None and w.registry.find_call("from-thread") is not None


def test_exceptions_in_sinks_and_observers_are_counted_and_delivery_goes_on() -> None:
    w = Acme()

    def failing(event: Event) -> None:
        raise ValueError(f"cannot handle {event.kind.name}")

    def failing_observer(routes: RouteSet) -> None:
        raise RuntimeError("mixer offline")

    w.service.add_event_sink(FunctionEventSink(failing))
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.ok
    assert w.service.sink_failures == 2
    assert w.service.last_sink_failure.startswith("ValueError: cannot handle started")
    w.service.add_route_observer(failing_observer)
    w.service.stop(outcome.session)
    assert w.service.sink_failures == 4  # the ended event, and the new routes
    assert w.service.last_sink_failure.startswith("RuntimeError: mixer offline")
    assert [e.kind for e in w.events.events()][-1] is EventKind.ended  # the others still got it


def test_route_observers_get_copies_in_version_order() -> None:
    w = Acme()
    seen: list[RouteSet] = []
    w.service.add_route_observer(seen.append)
    w.external_call("c1", "744", "client", "agent744")
    w.listen()
    seen[-1].version = 999  # a copy: the service's set is untouched
    current = w.service.routes("c1")
    assert current is not None and current.version == len(seen) and current.hears(listener="sup700", source="client")


def test_sink_arguments() -> None:
    w = Acme()
    with pytest.raises(TypeError):
        FunctionEventSink(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        w.service.add_event_sink(lambda e: None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        w.service.add_route_observer("not callable")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="pure virtual"):
        EventSink().on_event(Event())


# --- EventQueue -----------------------------------------------------------------------------


def test_event_queue_keeps_events_for_the_application_to_pop() -> None:
    w, session = started_world()
    queue = EventQueue()
    w.service.add_event_sink(queue)
    w.service.dtmf(session, "1")
    w.service.stop(session)
    assert len(queue) == 3
    first = queue.get()
    assert first is not None and first.kind is EventKind.mode_changed
    rest = queue.pop_all()
    assert [e.kind for e in rest] == [EventKind.agent_notified, EventKind.ended]
    assert [e.sequence for e in [first, *rest]] == [e.sequence for e in w.events.events()[-3:]]
    assert queue.get(timeout=0) is None
    assert queue.pop_all() == []


def test_event_queue_get_waits_for_an_event_from_another_thread() -> None:
    queue = EventQueue()
    w, session = started_world()
    w.service.add_event_sink(queue)
    threading.Timer(0.05, lambda: w.service.stop(session)).start()
    started = time.monotonic()
    event = queue.get(timeout=10)
    assert event is not None and event.kind is EventKind.ended and event.end_reason is EndReason.stopped
    assert time.monotonic() - started < 10
    assert queue.get(timeout=0.01) is None
    assert queue.get(timeout=timedelta(milliseconds=10)) is None
    with pytest.raises(ValueError, match="must not be negative, got -1"):
        queue.get(timeout=-1)
    with pytest.raises(TypeError, match="seconds or a timedelta, got '1s'"):
        queue.get(timeout="1s")  # type: ignore[arg-type]


def test_event_queue_drain_calls_back_and_keeps_what_a_failing_callback_did_not_take() -> None:
    w, session = started_world()
    queue = EventQueue()
    w.service.add_event_sink(queue)
    w.service.dtmf(session, "1")  # mode_changed, agent_notified
    w.service.dtmf(session, "2")  # mode_changed, agent_notified
    taken: list[EventKind] = []

    def take_two(event: Event) -> None:
        if len(taken) == 2:
            raise LookupError("full")
        taken.append(event.kind)

    with pytest.raises(LookupError):
        queue.drain(take_two)
    assert taken == [EventKind.mode_changed, EventKind.agent_notified]
    assert len(queue) == 2
    assert queue.drain(lambda e: taken.append(e.kind)) == 2
    assert taken[2:] == [EventKind.mode_changed, EventKind.agent_notified]


def test_a_closed_event_queue_drops_and_counts() -> None:
    w, session = started_world()
    queue = EventQueue()
    w.service.add_event_sink(queue)
    queue.close()
    assert queue.closed
    w.service.stop(session)
    assert len(queue) == 0 and queue.dropped == 1
    assert queue.get() is None  # closed and empty: no wait


# --- EventDispatcher ------------------------------------------------------------------------


def test_event_dispatcher_calls_back_on_its_own_thread_in_order() -> None:
    w, session = started_world()
    got: list[tuple[int, int]] = []
    with EventDispatcher(lambda e: got.append((e.sequence, threading.get_ident()))) as dispatcher:
        w.service.add_event_sink(dispatcher)
        for digit in "1201":
            w.service.dtmf(session, digit)
        w.service.stop(session)
        assert dispatcher.flush(timeout=30)
        assert dispatcher.pending == 0
        assert [s for s, _ in got] == [e.sequence for e in w.events.events()[2:]]
        assert {t for _, t in got} != {threading.get_ident()} and len({t for _, t in got}) == 1
        assert dispatcher.delivered == len(got) and dispatcher.failures == 0
    assert dispatcher.closed


def test_event_dispatcher_counts_callback_failures_and_goes_on() -> None:
    w, session = started_world()
    got: list[EventKind] = []

    def callback(event: Event) -> None:
        got.append(event.kind)
        if event.kind is EventKind.agent_notified:
            raise ValueError("no pager")

    dispatcher = EventDispatcher(callback)
    w.service.add_event_sink(dispatcher)
    w.service.dtmf(session, "1")
    w.service.stop(session)
    dispatcher.close()  # delivers what is queued first
    assert got == [EventKind.mode_changed, EventKind.agent_notified, EventKind.ended]
    assert (dispatcher.delivered, dispatcher.failures) == (3, 1)
    assert dispatcher.last_failure.startswith("ValueError: no pager")
    assert w.service.sink_failures == 0  # queued: the service never saw the failure
    w2, session2 = started_world()
    w2.service.add_event_sink(dispatcher)
    w2.service.stop(session2)
    assert dispatcher.dropped == 1
    dispatcher.close()  # idempotent


def test_event_dispatcher_flush_from_its_own_callback_is_refused() -> None:
    w, session = started_world()
    errors: list[str] = []
    holder: list[EventDispatcher] = []

    def callback(event: Event) -> None:
        try:
            holder[0].flush()
        except RuntimeError as error:
            errors.append(str(error))

    dispatcher = EventDispatcher(callback)
    holder.append(dispatcher)
    w.service.add_event_sink(dispatcher)
    w.service.stop(session)
    assert dispatcher.flush(timeout=30)
    assert errors == ["flush() called from the dispatcher's own callback would wait for itself"]
    dispatcher.close()


def test_event_dispatcher_flush_times_out_while_the_callback_is_busy() -> None:
    release = threading.Event()
    dispatcher = EventDispatcher(lambda e: release.wait(30))
    dispatcher.on_event(Event())
    assert not dispatcher.flush(timeout=0.05)
    release.set()
    assert dispatcher.flush(timeout=30)
    with pytest.raises(ValueError, match="nan"):
        dispatcher.flush(timeout=float("nan"))
    dispatcher.close()


def test_long_waits_can_be_interrupted_with_ctrl_c() -> None:
    queue = EventQueue()
    threading.Timer(0.2, _thread.interrupt_main).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        queue.get()  # no timeout: only the signal ends the wait
    assert time.monotonic() - started < 10

    release = threading.Event()
    dispatcher = EventDispatcher(lambda e: release.wait(30))
    dispatcher.on_event(Event())
    threading.Timer(0.2, _thread.interrupt_main).start()
    with pytest.raises(KeyboardInterrupt):
        dispatcher.flush()
    release.set()
    dispatcher.close()
    assert dispatcher.delivered == 1


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_sink_may_close_the_service_that_is_delivering_to_it() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c2", "745", "client2", "agent745")
    first = w.listen()
    second = w.listen("sup2", target="745")

    def close_on_end(event: Event) -> None:
        if event.kind is EventKind.ended:
            w.service.close()  # inside a delivery caused by the registry, not by a service call

    w.service.add_event_sink(FunctionEventSink(close_on_end))
    w.registry.end_call("c1")
    assert w.service.closed
    with pytest.raises(RuntimeError, match="closed"):
        w.service.sessions()
    # The service ends on another thread once the registry's delivery is over.
    assert wait_for(lambda: EndReason.shutdown in [r.end_reason for r in w.audit.of_kind(EventKind.ended)])
    ended = {r.session: r.end_reason for r in w.audit.of_kind(EventKind.ended)}
    assert ended == {first.session: EndReason.call_ended, second.session: EndReason.shutdown}
    w.registry.end_call("c2")  # nobody listens any more


def test_a_sink_may_drop_the_last_reference_to_the_service() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    w.listen()
    audit = w.audit
    holder = {"service": w.service}
    del w.service

    def drop(event: Event) -> None:
        holder.clear()

    holder["service"].add_event_sink(FunctionEventSink(drop))
    w.registry.remove_leg("client")  # the session ends: the sink drops the service
    assert holder == {}
    assert wait_for(lambda: len(audit.of_kind(EventKind.ended)) == 1)
    w.registry.end_call("c1")


def test_an_event_dispatcher_whose_callback_drops_the_last_reference_to_it_ends_cleanly() -> None:
    # The dispatcher is destroyed on its own thread, inside the callback: its worker must end
    # on state it still owns (a crash here would kill the subprocess, not return 0).
    script = textwrap.dedent(
        """
        import threading
        import time
        import callsup

        holder = []
        seen = []
        go = threading.Event()

        def callback(event):
            go.wait(10)  # until the main thread has let go of its own reference
            seen.append(event.sequence)
            holder.clear()  # the last reference to the dispatcher goes here

        dispatcher = callsup.EventDispatcher(callback)
        holder.append(dispatcher)
        for sequence in (1, 2, 3):
            dispatcher.on_event(callsup.Event(sequence=sequence))
        del dispatcher
        go.set()
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        assert seen and seen == sorted(seen), seen
        print("ok", seen)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
