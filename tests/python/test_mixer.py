"""Mixer backends from Python: a Python MixerBackend receiving every route update of a live
service in order (never on a media thread), a Python per-frame mixer whose output reaches a
phone over UDP through zero-copy numpy views, and slow or failing Python mixers counted
while the engine goes on."""

from __future__ import annotations

import array
import gc
import threading
import time
import weakref
from datetime import timedelta
from typing import Any, Optional

import numpy as np
import pytest

import callsup
from callsup import (
    MediaEngine,
    MediaEngineConfig,
    MixerBackend,
    MixFrames,
    MixPlan,
    Mode,
    Route,
    RouteSet,
)
from media_support import Phones, eventually, thread_name
from supervision_world import Acme


class RecordingBackend(MixerBackend):
    """Drives an imaginary external mixer: keeps every update and the thread it came on."""

    def __init__(self) -> None:
        super().__init__(mixes_audio=False)
        self.lock = threading.Lock()
        self.updates: list[RouteSet] = []
        self.threads: set[str] = set()

    def on_routes(self, routes: RouteSet) -> None:
        with self.lock:
            self.updates.append(routes)
            self.threads.add(thread_name())

    def received(self, call: str) -> list[RouteSet]:
        with self.lock:
            return [r for r in self.updates if r.call == call]


class NumpyMixer(MixerBackend):
    """Mixes with numpy: each listener hears the sum of its sources (with their gains) plus
    `offset`, so that its output is told apart from what SoftwareMixer would produce."""

    def __init__(self, offset: int = 3000, deadline_ms: float = 10.0) -> None:
        super().__init__(mixes_audio=True, deadline_ms=deadline_ms)
        self.offset = offset
        self.delay = 0.0
        self.raise_error: Optional[str] = None
        self.bad_produced = False
        self.lock = threading.Lock()
        self.observed: dict[str, Any] = {"threads": set(), "out_addresses": set(), "in_addresses": set()}
        self.kept: list[Any] = []

    def on_routes(self, routes: RouteSet) -> None:
        pass

    def mix(self, plan: MixPlan, frames: MixFrames) -> None:
        if self.delay:
            time.sleep(self.delay)
        if self.raise_error:
            raise ValueError(self.raise_error)
        with self.lock:
            self.observed["threads"].add(thread_name())
        for listener in plan.listeners:
            out = frames.outputs[listener.slot]
            if out is None:
                continue
            mixed = np.full(frames.samples, self.offset, dtype=np.int32)
            for source in listener.sources:
                frame = frames.inputs[source.slot]
                if frame is None:
                    continue
                samples = np.frombuffer(frame, dtype=np.int16)
                mixed += (samples * source.gain).astype(np.int32)
                with self.lock:
                    self.observed["in_addresses"].add(samples.__array_interface__["data"][0])
                    self.observed["input_writeable"] = samples.flags.writeable
                    self.observed["input_sample"] = int(samples[0])
            target = np.frombuffer(out, dtype=np.int16)
            target[:] = np.clip(mixed, -32768, 32767)
            with self.lock:
                self.observed["out_addresses"].add(target.__array_interface__["data"][0])
                self.observed["view_sees_numpy_write"] = out[0] == int(target[0])
            frames.produced[listener.slot] = 2 if self.bad_produced else 1
        first = frames.inputs[0]
        if not self.kept and first is not None and all(frame is not None for frame in frames.inputs):
            self.kept.append((frames.inputs, np.frombuffer(first, dtype=np.int16)))


def two_party(engine: MediaEngine, gain: float = 0.5) -> Phones:
    """Phones a (1000) and b (2000) in call m1, each hearing the other at `gain` (not 1, so
    the engine mixes rather than forwards)."""
    phones = Phones(engine, "m1", {"a": ("a", 1000), "b": ("b", 2000)})
    engine.update_routes(
        RouteSet("m1", 1, [Route(from_leg="a", to="b", gain=gain), Route(from_leg="b", to="a", gain=gain)])
    )
    return phones


def level_settles(phones: Phones, name: str, expected: float, tolerance: float = 300, timeout: float = 5.0) -> float:
    """The level `name` hears once it is within `tolerance` of `expected` (or at the timeout)."""
    level: Optional[float] = None

    def close() -> bool:
        nonlocal level
        phones[name].clear()
        time.sleep(0.25)
        level = phones[name].heard_level()
        return level is not None and abs(level - expected) <= tolerance

    eventually(close, timeout)
    assert level is not None
    return level


# --- route updates ------------------------------------------------------------------------


def test_python_backend_receives_every_route_update_in_order() -> None:
    world = Acme()
    published: list[RouteSet] = []
    world.service.add_route_observer(published.append)
    backend = RecordingBackend()
    checkpoints: list[tuple[str, int]] = []

    def step(action: Any, call: str) -> None:
        action()
        latest = [r for r in published if r.call == call][-1]
        checkpoints.append((call, latest.version))
        assert eventually(lambda: any(r.version == latest.version for r in backend.received(call)))

    with MediaEngine(MediaEngineConfig(threads=2, mixer=backend)) as engine, callsup.connect_media(
        world.service, engine
    ) as media:
        assert media.connected
        step(lambda: world.external_call("c1", "744", "customer", "agent"), "c1")
        step(lambda: world.supervisor_call("sc", "sup700", "700"), "sc")
        started: list[callsup.StartOutcome] = []
        step(lambda: started.append(world.service.dial("sup700", "700", "*90744")), "c1")
        session = started[0].session
        step(lambda: world.service.switch_mode(session, Mode.whisper), "c1")
        step(lambda: world.service.switch_mode(session, Mode.barge), "c1")
        step(lambda: world.service.stop(session), "c1")
        step(lambda: world.registry.end_call("c1"), "c1")
        assert backend.flush_routes(timeout=5)

    for call in ("c1", "sc"):
        received = backend.received(call)
        versions = [r.version for r in received]
        assert versions == sorted(set(versions)), f"{call}: out of order or repeated: {versions}"
        by_version = {r.version: r for r in published if r.call == call}
        for routes in received:
            assert routes == by_version[routes.version]  # what the service published, intact
        for checkpoint_call, version in checkpoints:
            if checkpoint_call == call:
                assert version in versions
    assert backend.received("c1")[-1].ended
    assert backend.routes_delivered == len(backend.updates)
    assert backend.route_failures == 0 and backend.pending_routes == 0
    assert backend.threads and not any(name.startswith("callsup-media") for name in backend.threads)
    # The whisper step really changed who hears whom on the way.
    assert any(
        r.hears(listener="agent", source="sup700") and not r.hears(listener="customer", source="sup700")
        for r in backend.received("c1")
    )


def test_on_routes_failures_are_counted_and_delivery_goes_on() -> None:
    class Flaky(MixerBackend):
        def __init__(self) -> None:
            super().__init__()
            self.versions: list[int] = []
            self.flush_error = ""

        def on_routes(self, routes: RouteSet) -> None:
            self.versions.append(routes.version)
            try:
                self.flush_routes()
            except RuntimeError as error:
                self.flush_error = str(error)
            if routes.version == 2:
                raise KeyError("version 2 refused")

    backend = Flaky()
    with MediaEngine(MediaEngineConfig(threads=1, mixer=backend)) as engine:
        for version in (1, 2, 3):
            engine.update_routes(RouteSet("x", version, [Route(from_leg="a", to="b")]))
            assert eventually(lambda: version in backend.versions)
        assert backend.flush_routes(timeout=5)
    assert backend.versions == [1, 2, 3]
    assert backend.route_failures == 1
    assert "version 2 refused" in backend.last_route_failure
    assert "would wait for itself" in backend.flush_error


def test_route_recorder_keeps_updates_like_an_external_server() -> None:
    recorder = callsup.RouteRecorder()
    assert not recorder.mixes_audio and recorder.deadline_ms is None and recorder.late_ticks == 0
    with MediaEngine(MediaEngineConfig(threads=1, mixer=recorder)) as engine:
        engine.update_routes(RouteSet("r1", 1, [Route(from_leg="a", to="b")]))
        assert recorder.wait_for(1, timeout=5)
        engine.update_routes(RouteSet("r1", 2, ended=True))
        assert recorder.wait_for(2, timeout=timedelta(seconds=5))
    updates = recorder.updates()
    assert [u.routes.version for u in updates] == [1, 2]
    assert updates[0].at <= updates[1].at
    assert recorder.latest("r1") == RouteSet("r1", 2, ended=True)
    assert recorder.latest("nope") is None
    assert len(recorder) == 2
    assert not recorder.wait_for(3, timeout=0.05)


# --- per-frame mixing in Python --------------------------------------------------------------


def test_python_mixer_output_reaches_the_phones_through_zero_copy_buffers() -> None:
    mixer = NumpyMixer(offset=3000)
    with MediaEngine(MediaEngineConfig(threads=1, mixer=mixer)) as engine:
        phones = two_party(engine, gain=0.5)
        try:
            # a hears b at half (1000) + 3000, b hears a at half (500) + 3000: only a Python mix
            # gives these (SoftwareMixer would give 1000 and 500).
            assert abs(level_settles(phones, "a", 4000) - 4000) <= 300
            assert abs(level_settles(phones, "b", 3500) - 3500) <= 300
        finally:
            phones.stop()
    assert mixer.mixed_ticks > 10
    assert mixer.failures == 0, mixer.last_failure
    observed = mixer.observed
    assert observed["threads"] == {"callsup-py-mix"}
    assert observed["input_writeable"] is False  # inputs are read-only views
    assert observed["view_sees_numpy_write"] is True  # numpy wrote into the view's memory
    assert abs(observed["input_sample"] - 1000) < 100 or abs(observed["input_sample"] - 2000) < 100
    # Views of the same buffers every tick: one address per slot, nothing allocated per tick.
    assert len(observed["out_addresses"]) == 2 and len(observed["in_addresses"]) == 2
    # Views handed to mix() are released once it returns; numpy arrays made from them keep
    # their memory and stay readable.
    inputs, kept_array = mixer.kept[0]
    with pytest.raises(ValueError):
        inputs[1].tolist()
    assert kept_array.shape == (160,) and abs(int(kept_array[0]) - 1000) < 100


def test_slow_python_mixer_is_counted_late_and_the_engine_goes_on() -> None:
    mixer = NumpyMixer(offset=3000, deadline_ms=5)
    mixer.delay = 0.04  # two ptimes: every tick misses its deadline
    with MediaEngine(MediaEngineConfig(threads=1, mixer=mixer)) as engine:
        phones = two_party(engine)
        try:
            assert eventually(lambda: mixer.late_ticks >= 20)
            phones["a"].clear()
            time.sleep(0.3)
            assert phones["a"].heard_level() == 0  # silence, not stale audio
            ticks = engine.stats().total.ticks
            assert eventually(lambda: engine.stats().total.ticks >= ticks + 10)  # the clock goes on
            mixer.delay = 0.0
            assert abs(level_settles(phones, "a", 4000) - 4000) <= 300  # and mixing resumes
        finally:
            phones.stop()
    assert mixer.failures == 0
    assert mixer.mixed_ticks > 0


def test_failing_python_mixer_is_counted_with_its_message() -> None:
    mixer = NumpyMixer()
    mixer.raise_error = "mixer exploded"
    with MediaEngine(MediaEngineConfig(threads=1, mixer=mixer)) as engine:
        phones = two_party(engine)
        try:
            assert eventually(lambda: mixer.failures >= 5)
            assert "mixer exploded" in mixer.last_failure
            mixer.raise_error = None
            mixer.bad_produced = True  # stereo for a mono listener
            assert eventually(lambda: "mono listener" in mixer.last_failure)
            assert "'a'" in mixer.last_failure or "'b'" in mixer.last_failure
            mixer.bad_produced = False
            assert abs(level_settles(phones, "a", 4000) - 4000) <= 300
        finally:
            phones.stop()


def test_mixes_audio_without_mix_is_a_counted_failure() -> None:
    class RoutesOnly(MixerBackend):
        def __init__(self) -> None:
            super().__init__(mixes_audio=True)

        def on_routes(self, routes: RouteSet) -> None:
            pass

    mixer = RoutesOnly()
    with MediaEngine(MediaEngineConfig(threads=1, mixer=mixer)) as engine:
        phones = two_party(engine)
        try:
            assert eventually(lambda: mixer.failures >= 3)
        finally:
            phones.stop()
    assert "does not implement mix" in mixer.last_failure


def test_backend_arguments_and_base_methods() -> None:
    with pytest.raises(ValueError, match="0.0"):
        MixerBackend(deadline_ms=0)
    with pytest.raises(ValueError, match="nan"):
        MixerBackend(mixes_audio=True, deadline_ms=float("nan"))

    class Lazy(MixerBackend):
        def on_routes(self, routes: RouteSet) -> None:
            super().on_routes(routes)

    lazy = Lazy()
    assert lazy.mixes_audio is False and lazy.deadline_ms == 10.0
    with pytest.raises(NotImplementedError):
        lazy.on_routes(RouteSet("c", 1))
    with pytest.raises(ValueError, match="-1"):
        lazy.flush_routes(timeout=-1)
    assert callsup.SoftwareMixer().mixes_audio and callsup.NullMixer().mixes_audio
    assert repr(callsup.SoftwareMixer()) == "SoftwareMixer()"


def test_a_python_mixer_can_be_tried_without_an_engine() -> None:
    routes = [Route(from_leg="a", to="b", gain=0.5), Route(from_leg="b", to="a")]
    plan = callsup.compile_mix_plan(RouteSet("c", 3, routes), ["a", "b"])
    assert plan.slots == ("a", "b")
    assert plan.slot_of("b") == 1 and plan.slot_of("zz") is None
    b_hears = plan.listener(1)  # b hears a at 0.5, a hears b at 1
    assert b_hears is not None and b_hears.sources[0].slot == 0 and b_hears.sources[0].gain == 0.5
    assert plan.needed_as_source == (True, True) and plan.hears_tone == (False, False)
    assert plan.routes == RouteSet("c", 3, [Route(from_leg="a", to="b", gain=0.5), Route(from_leg="b", to="a")])
    inputs = [memoryview(array.array("h", [1000] * 160)), memoryview(array.array("h", [2000] * 160))]
    outputs = [memoryview(array.array("h", [0] * 160)), memoryview(array.array("h", [0] * 160))]
    frames = MixFrames(160, inputs, outputs)
    NumpyMixer(offset=0).mix(plan, frames)
    assert list(frames.produced) == [1, 1]
    assert np.frombuffer(outputs[0], dtype=np.int16)[0] == 2000  # a hears b at 1
    assert np.frombuffer(outputs[1], dtype=np.int16)[0] == 500  # b hears a at 0.5
    with pytest.raises(callsup.InvalidArgumentError, match="'a'"):
        callsup.compile_mix_plan(RouteSet("c", 1), ["a", "a"])


def test_engine_keeps_a_python_mixer_alive_and_lets_it_go() -> None:
    mixer = RecordingBackend()
    alive = weakref.ref(mixer)
    engine = MediaEngine(MediaEngineConfig(threads=1, mixer=mixer))
    del mixer
    gc.collect()
    assert alive() is not None  # the engine holds it
    engine.update_routes(RouteSet("k", 1, [Route(from_leg="a", to="b")]))
    assert eventually(lambda: alive() is not None and len(alive().updates) == 1)  # type: ignore[union-attr]
    engine.stop()
    del engine
    gc.collect()
    assert alive() is None
