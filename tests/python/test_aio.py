# Over 400 lines: the four streams and their closing rules share one world fixture.
"""callsup.aio: `async for event in service.events()` (and audit records, registry and
directory changes). The delivering thread only posts to the loop; the consumer runs on the
loop's thread; nothing is lost between creating a stream and reading it; closing ends
delivery; a bounded stream drops the oldest and counts."""

from __future__ import annotations

import asyncio
import faulthandler
import gc
import os
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from types import FrameType
from typing import Any, TypeVar

import pytest

import callsup
from callsup import (
    CallRegistry,
    Directory,
    DirectoryChange,
    Event,
    EventKind,
    FunctionEventSink,
    Group,
    Mode,
    RegistryEvent,
    RegistryEventKind,
    ServiceConfig,
    Site,
)
from callsup.aio import EventStream
from model_support import agent, external_call, supervisor
from supervision_world import Acme, World

T = TypeVar("T")


async def read_while_driven(
    stream: EventStream[T], drive: Callable[[], None], last: Callable[[T], bool]
) -> list[tuple[T, int]]:
    """Reads `stream` while another thread runs `drive`, up to the item `last` accepts;
    each item with the thread it was read on."""
    got: list[tuple[T, int]] = []
    async with stream:
        driver = threading.Thread(target=drive)
        driver.start()
        async for item in stream:
            got.append((item, threading.get_ident()))
            if last(item):
                break
        await asyncio.to_thread(driver.join, 30)
    return got

# listen, whisper (+ notification), barge (+ notification), stop
SCENARIO = [
    EventKind.attempt, EventKind.started, EventKind.mode_changed, EventKind.agent_notified,
    EventKind.mode_changed, EventKind.agent_notified, EventKind.ended,
]  # fmt: skip


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """A test stuck in a wait cannot fail by itself: dump every thread's stack and exit."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def run(coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
    """asyncio.run with a time limit: a lost event fails the test instead of hanging it."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


async def settle() -> None:
    """Returns once every callback already posted to the running loop has run (a callback
    posted now runs after them)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    loop.call_soon(done.set_result, None)
    await done


def acme_call() -> Acme:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    return w


def play(w: Acme) -> int:
    """700 listens to 744, whispers, barges, stops: the SCENARIO's events."""
    outcome = w.listen()
    assert outcome.ok
    assert w.service.switch_mode(outcome.session, Mode.whisper)
    assert w.service.switch_mode(outcome.session, Mode.barge)
    assert w.service.stop(outcome.session)
    return outcome.session


class CallbackProfile:
    """What Python a thread runs while inside a call into callsup._core (sys.setprofile):
    (file, function, caller's file, caller's function) of each Python function entered."""

    def __init__(self) -> None:
        self.inside = 0
        self.calls: set[tuple[str, str, str, str]] = set()

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event == "c_call" and getattr(arg, "__module__", None) == "callsup._core":
            self.inside += 1
        elif event in ("c_return", "c_exception") and getattr(arg, "__module__", None) == "callsup._core":
            self.inside -= 1
        elif event == "call" and self.inside:
            caller = frame.f_back
            assert caller is not None
            self.calls.add((frame.f_code.co_filename, frame.f_code.co_name,
                            os.path.basename(caller.f_code.co_filename), caller.f_code.co_name))


# --- events ---------------------------------------------------------------------------------


def test_events_arrive_in_order_on_the_loop_while_another_thread_drives_and_that_thread_only_posts() -> None:
    w = acme_call()
    profile = CallbackProfile()
    driver_thread: list[int] = []

    def drive() -> None:
        driver_thread.append(threading.get_ident())
        sys.setprofile(profile)
        try:
            play(w)
        finally:
            sys.setprofile(None)

    async def main() -> list[tuple[Event, int]]:
        return await read_while_driven(w.service.events(), drive, lambda event: event.kind is EventKind.ended)

    loop_thread = threading.get_ident()  # asyncio.run runs the loop on this thread
    got = run(main())
    assert [e.kind for e, _ in got] == SCENARIO
    assert [e.sequence for e, _ in got] == [e.sequence for e in w.events.events()]
    assert [e for e, _ in got] == w.events.events()
    assert {thread for _, thread in got} == {loop_thread} and driver_thread != [loop_thread]
    # What the service called on the driving thread: the world's own recording sink and the
    # stream's poster; the poster ran asyncio's call_soon_threadsafe and nothing else.
    called_by_service = {(os.path.basename(f), name) for f, name, caller_file, caller in profile.calls
                         if (caller_file, caller) in {("test_aio.py", "play"), ("supervision_world.py", "listen")}}
    called_by_service.discard(("enum.py", "__get__"))  # pybind11 reading a Mode argument's value
    assert called_by_service == {("aio.py", "__call__"), ("supervision_world.py", "on_event")}
    under_poster: set[tuple[str, str]] = set()  # what the poster's call ran, transitively
    callers = {("aio.py", "__call__")}
    while True:
        found = {(f, name) for f, name, caller_file, caller in profile.calls if (caller_file, caller) in callers}
        if found <= under_poster:
            break
        under_poster |= found
        callers |= {(os.path.basename(f), name) for f, name in found}
    assert "call_soon_threadsafe" in {name for _, name in under_poster}
    assert {os.path.basename(os.path.dirname(f)) for f, _ in under_poster} == {"asyncio"}, under_poster


def workers_world(workers: int) -> tuple[World, list[tuple[str, str, str]]]:
    """Supervisor 70i and agent 80i on call wci, for each worker; the jobs for
    _testing_drive_sessions (C++ threads, one per job, each session 8 events)."""
    w = World(config=ServiceConfig(ended_sessions_kept=10_000))
    for i in range(workers):
        w.directory.add_extension(supervisor(f"70{i}"))
        w.directory.add_extension(agent(f"80{i}"))
        w.directory.add_group(Group(f"G{i}", "acme", [f"80{i}"], [f"70{i}"]))
        external_call(w.registry, f"wc{i}", f"80{i}", f"wcust{i}", f"wag{i}")
    return w, [(f"w{i}", f"70{i}", f"*9080{i}") for i in range(workers)]


def test_events_from_cpp_threads_all_arrive_in_sequence_order() -> None:
    workers, iterations = 2, 50  # 2 x 50 sessions x 8 events
    w, jobs = workers_world(workers)
    total = workers * iterations * 8

    async def main() -> tuple[list[int], set[int], list[str], int]:
        sequences: list[int] = []
        threads: set[int] = set()
        async with w.service.events() as events:
            driving = asyncio.create_task(
                asyncio.to_thread(callsup._core._testing_drive_sessions, w.service, jobs, iterations, "120"))
            async for event in events:
                sequences.append(event.sequence)
                threads.add(threading.get_ident())
                if len(sequences) == total:
                    break
            failures = await driving
            dropped = events.dropped
        return sequences, threads, failures, dropped

    sequences, threads, failures, dropped = run(main(), timeout=60)
    assert failures == []
    assert sequences == list(range(1, total + 1)), "in sequence order, nothing lost or repeated"
    assert threads == {threading.get_ident()} and dropped == 0


def test_closing_while_cpp_threads_deliver_neither_blocks_them_nor_queues_more() -> None:
    w, jobs = workers_world(2)

    async def main() -> tuple[int, list[str], EventStream[Event]]:
        events = w.service.events()
        driving = asyncio.create_task(
            asyncio.to_thread(callsup._core._testing_drive_sessions, w.service, jobs, 200, "120"))
        read = 0
        async for _ in events:
            read += 1
            if read == 100:
                await events.aclose()  # while the C++ threads go on delivering
        failures = await driving
        await settle()
        return read, failures, events

    read, failures, events = run(main(), timeout=60)
    assert read == 100 and failures == []
    assert events.pending == 0 and not events.subscription.active
    assert len(w.events.events()) == 2 * 200 * 8  # the service's other sinks got everything


def test_nothing_is_lost_between_making_the_stream_and_reading_it() -> None:
    w = acme_call()

    async def main() -> list[EventKind]:
        async with w.service.events() as events:
            play(w)  # on the loop's own thread, before the first __anext__
            await settle()
            assert events.pending == len(SCENARIO)
            return [(await events.__anext__()).kind for _ in SCENARIO]

    assert run(main()) == SCENARIO


def test_the_stream_hands_out_copies_of_the_events() -> None:
    w = acme_call()
    kept: list[Event] = []
    w.service.add_event_sink(FunctionEventSink(kept.append))

    async def main() -> Event:
        async with w.service.events() as events:
            w.listen()
            first = await events.__anext__()
            first.detail = "changed by the consumer"
            return first

    first = run(main())
    assert first is not kept[0]  # pybind11 made a copy for each sink: no shared C++ object
    assert kept[0].detail == "*90744" and kept[0] == w.events.events()[0] == w.audit.records()[0]


def test_service_events_is_a_method_with_the_module_function_behind_it() -> None:
    w = acme_call()
    assert callsup.SupervisionService.events.__doc__ == callsup.aio.events.__doc__

    async def main() -> tuple[list[EventKind], list[EventKind]]:
        async with callsup.aio.events(w.service) as by_function, w.service.events() as by_method:
            assert isinstance(by_method, EventStream)
            w.listen()
            await settle()
            return ([(await by_function.__anext__()).kind for _ in range(2)],
                    [(await by_method.__anext__()).kind for _ in range(2)])

    assert run(main()) == ([EventKind.attempt, EventKind.started],) * 2


# --- audit records, registry and directory changes -------------------------------------------


def test_audit_records_arrive_in_order() -> None:
    w = acme_call()

    async def main() -> list[Event]:
        got: list[Event] = []
        async with w.service.audit_records() as records:
            driver = threading.Thread(target=play, args=(w,))
            driver.start()
            async for record in records:
                got.append(record)
                if record.kind is EventKind.ended:
                    break
            await asyncio.to_thread(driver.join, 30)
        return got

    got = run(main())
    assert [r.kind for r in got] == SCENARIO
    assert got == w.audit.records()
    assert got[-1].end_reason is callsup.EndReason.stopped


def test_registry_changes_arrive_in_order() -> None:
    registry = CallRegistry()

    def pbx() -> None:
        external_call(registry, "c1", "744", "client", "agent744")
        registry.hold("client")
        registry.end_call("c1")

    async def main() -> list[tuple[RegistryEvent, int]]:
        return await read_while_driven(
            registry.changes(), pbx, lambda change: change.kind is RegistryEventKind.call_ended
        )

    got = run(main())
    kinds = RegistryEventKind
    assert [c.kind for c, _ in got] == [kinds.call_added, kinds.leg_added, kinds.leg_added, kinds.bridge_changed,
                                        kinds.leg_state_changed, kinds.call_ended]  # fmt: skip
    assert {thread for _, thread in got} == {threading.get_ident()}
    held = got[4][0]
    assert (held.leg_id, held.old_state, held.call.id) == ("client", callsup.LegState.up, "c1")
    assert len(got[-1][0].call.legs) == 2  # the call as it was last, still readable


def test_directory_changes_arrive_in_order() -> None:
    directory = Directory()

    async def main() -> list[DirectoryChange]:
        async with directory.changes() as changes:
            directory.set_tenant(callsup.TenantSettings("acme"))
            directory.add_site(Site("berlin", "acme"))
            directory.add_extension(agent("744"))
            directory.remove_extension("744")
            await settle()
            return [await changes.__anext__() for _ in range(changes.pending)]

    got = run(main())
    kind = DirectoryChange.Kind
    assert [(c.kind, c.name, c.removed) for c in got] == [
        (kind.tenant, "acme", False), (kind.site, "berlin", False),
        (kind.extension, "744", False), (kind.extension, "744", True),
    ]  # fmt: skip
    assert [c.version for c in got] == sorted(c.version for c in got)


# --- closing ----------------------------------------------------------------------------------


def test_aclose_ends_a_pending_iteration_and_stops_delivery() -> None:
    w = acme_call()

    async def main() -> None:
        events = w.service.events()
        reader_waiting = asyncio.Event()

        async def reader() -> list[Event]:
            got = []
            reader_waiting.set()
            async for event in events:  # waits: nothing is delivered yet
                got.append(event)
            return got

        reading = asyncio.create_task(reader())
        await reader_waiting.wait()
        await settle()  # the reader is now inside __anext__
        assert events.subscription.active
        await events.aclose()
        assert await reading == []  # StopAsyncIteration ended the `async for`
        assert events.closed and not events.subscription.active
        w.listen()  # later events: not delivered to the stream
        await settle()
        assert events.pending == 0 and events.dropped == 0
        with pytest.raises(StopAsyncIteration):
            await events.__anext__()
        await events.aclose()  # idempotent
        events.close()

    run(main())
    assert [e.kind for e in w.events.events()] == [EventKind.attempt, EventKind.started]  # the others got them


def test_close_discards_what_was_queued_and_async_with_closes() -> None:
    w = acme_call()

    async def main() -> EventStream[Event]:
        async with w.service.events() as events:
            w.listen()
            await settle()
            assert events.pending == 2
        assert events.closed and events.pending == 0 and not events.subscription.active
        assert [e async for e in events] == []
        return events

    events = run(main())
    assert "closed" in repr(events)


def test_close_from_another_thread_wakes_the_reader() -> None:
    w = acme_call()

    async def main() -> list[Event]:
        events = w.service.events()
        closer = threading.Thread(target=events.close)
        loop = asyncio.get_running_loop()
        loop.call_soon(closer.start)  # runs once the reader below waits
        got = [event async for event in events]
        await asyncio.to_thread(closer.join, 30)
        assert not events.subscription.active
        return got

    assert run(main()) == []


def test_a_stream_dropped_without_closing_closes_its_subscription_on_its_loop() -> None:
    w = acme_call()

    async def main() -> callsup.Subscription:
        events = w.service.events()
        w.listen()
        async for event in events:
            break  # leaves the stream unclosed: the last reference goes with `events`
        subscription = events.subscription
        del events, event
        gc.collect()
        await settle()  # the close() the stream's finalizer posted has run
        return subscription

    assert not run(main()).active


def test_a_cancelled_read_leaves_the_stream_usable() -> None:
    w = acme_call()

    async def main() -> EventKind:
        async with w.service.events() as events:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(events.__anext__(), 0.01)  # nothing comes: cancelled
            w.listen()
            return (await events.__anext__()).kind

    assert run(main()) is EventKind.attempt


def test_a_stream_dropped_after_its_loop_closed_closes_its_subscription_at_once() -> None:
    w = acme_call()

    async def main() -> EventStream[Event]:
        return w.service.events()

    events = run(main())
    subscription = events.subscription
    del events
    gc.collect()
    assert not subscription.active


def test_events_after_the_loop_closed_are_dropped_and_counted() -> None:
    w = acme_call()

    async def main() -> EventStream[Event]:
        return w.service.events()  # never closed: the loop closes under it

    events = run(main())
    w.listen()  # the poster finds the loop closed
    assert events.dropped == 2 and w.service.sink_failures == 0
    assert not events.closed and events.subscription.active
    events.close()  # also fine once the loop is gone
    assert not events.subscription.active


# --- misuse -----------------------------------------------------------------------------------


def test_a_stream_made_outside_a_running_loop_is_refused_before_registering() -> None:
    w = acme_call()
    registered: list[object] = []

    def register(post: object) -> callsup.Subscription:
        registered.append(post)
        raise AssertionError("must not register")

    with pytest.raises(RuntimeError, match=r"service\.events\(\) needs a running asyncio event loop"):
        w.service.events()
    with pytest.raises(RuntimeError, match=r"registry\.changes\(\) needs a running asyncio event loop"):
        w.registry.changes()
    with pytest.raises(RuntimeError, match="needs a running asyncio event loop"):
        EventStream(register)
    assert registered == []
    w.listen()
    assert w.service.sink_failures == 0


def test_reading_from_two_tasks_or_another_loop_is_refused() -> None:
    w = acme_call()

    async def main() -> None:
        async with w.service.events() as events:
            first = asyncio.create_task(events.__anext__())
            await settle()
            with pytest.raises(RuntimeError, match="already being awaited by another task"):
                await events.__anext__()
            w.listen()
            assert (await first).kind is EventKind.attempt
            with pytest.raises(RuntimeError, match="read on another event loop"):
                await asyncio.to_thread(lambda: asyncio.run(events.__anext__()))  # a loop of its own
            assert (await events.__anext__()).kind is EventKind.started  # still usable here

    run(main())


def test_maxsize_keeps_the_newest_and_counts_what_it_dropped() -> None:
    w = acme_call()

    async def main() -> tuple[list[EventKind], int, int]:
        async with w.service.events(maxsize=2) as events:
            assert events.maxsize == 2
            play(w)  # 7 events, none read yet
            await settle()
            assert events.pending == 2
            got = [(await events.__anext__()).kind for _ in range(2)]
            return got, events.dropped, events.pending

    got, dropped, pending = run(main())
    assert got == SCENARIO[-2:] and dropped == len(SCENARIO) - 2 and pending == 0

    async def bad(maxsize: object) -> None:
        w.service.events(maxsize=maxsize)  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="maxsize must not be negative, got -1"):
        run(bad(-1))
    with pytest.raises(TypeError, match="maxsize must be an int, got '2'"):
        run(bad("2"))
    with pytest.raises(TypeError, match="maxsize must be an int, got True"):
        run(bad(True))
