"""external_mixer: callsup driving a media server it does not run.

Shows a MixerBackend written in Python with mixes_audio=False: the MediaEngine then carries
no audio itself, and each call's RouteSet reaches on_routes() (on the backend's own thread,
never a media thread) whenever the routing changes. The backend turns the difference
between a call's previous and new routes into the commands a conference bridge would take
("link agent -> sup700", "gain ...", "unlink ...") and prints them: what an Asterisk or
FreeSWITCH bridge, or a hardware mixer, would be sent. A supervisor listens, whispers, turns
the volume up, barges, and leaves; then the call ends.

Run: python examples/python/external_mixer.py
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable

from callsup import (
    CallRegistry,
    Directory,
    Leg,
    LegState,
    MediaEngine,
    MediaEngineConfig,
    MixerBackend,
    Mode,
    RouteSet,
    SupervisionService,
    connect_media,
    volume_gain,
)

Edge = tuple[str, str]  # (from, to): `to` hears `from`


class BridgeCommands(MixerBackend):
    """Keeps the last routes of each call and emits bridge commands for the changes."""

    def __init__(self) -> None:
        super().__init__(mixes_audio=False)
        self.lock = threading.Lock()
        self.bridges: dict[str, dict[Edge, float]] = {}
        self.versions: dict[str, int] = {}
        self.commands: list[str] = []
        self.ended: set[str] = set()

    def on_routes(self, routes: RouteSet) -> None:
        call = routes.call
        new = {} if routes.ended else {(r.from_leg, r.to): r.gain for r in routes.routes}
        with self.lock:
            old = self.bridges.get(call)
            out = []
            if old is None and not routes.ended:
                out.append(f"bridge {call} create")
            old = old or {}
            for edge in sorted(old.keys() - new.keys()):
                out.append(f"bridge {call} unlink {edge[0]} -> {edge[1]}")
            for edge in sorted(new.keys() - old.keys()):
                out.append(f"bridge {call} link {edge[0]} -> {edge[1]} gain {new[edge]:.2f}")
            for edge in sorted(new.keys() & old.keys()):
                if abs(new[edge] - old[edge]) > 1e-6:
                    out.append(f"bridge {call} gain {edge[0]} -> {edge[1]} {new[edge]:.2f}")
            if routes.ended:
                out.append(f"bridge {call} destroy")
                self.bridges.pop(call, None)
            else:
                self.bridges[call] = new
            self.versions[call] = routes.version
            if routes.ended:
                self.ended.add(call)
            self.commands.extend(out)
        for line in out:
            print("  " + line)

    def has_seen(self, routes: RouteSet) -> bool:
        """Whether the bridge got `routes` (or a later version) of its call."""
        with self.lock:
            if routes.ended:
                return routes.call in self.ended
            return self.versions.get(routes.call, -1) >= routes.version


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


# Tenant acme: supervisors 700 (Support), 701 (Sales) and 799 (tenant admin); agents 744 and
# 746 (privacy) in Support, 747 in Sales.
DIRECTORY = Path(__file__).with_name("acme_directory.json")


def main() -> int:
    directory = Directory()
    directory.load_file(DIRECTORY)
    registry = CallRegistry()
    bridge = BridgeCommands()
    with SupervisionService(registry, directory) as service, MediaEngine(
        MediaEngineConfig(threads=1, mixer=bridge)
    ) as engine, connect_media(service, engine):  # routes drive the engine; digits reach the service

        def step(title: str, action: Callable[[], object]) -> None:
            print(title)
            action()
            latest = service.routes("c1")  # after the call ended: its final set (ended)
            assert latest is not None
            # The engine applies a call's routes at its next tick (20 ms), then calls on_routes.
            if not wait_until(lambda: bridge.has_seen(latest)):
                raise SystemExit(f"the bridge never got {latest}: {bridge.last_route_failure}")

        def call_up() -> None:
            registry.add_call("c1", "acme")
            registry.add_leg("c1", Leg.off_net("customer", "+15551230000", LegState.up))
            registry.add_leg("c1", Leg.on_net("agent", "744", LegState.up))
            registry.bridge("c1")

        step("a customer calls agent 744:", call_up)
        session = 0

        def listen() -> None:
            nonlocal session
            session = service.dial("sup700", "700", "*90744").session

        step("supervisor 700 dials *90744 (listen):", listen)
        step("700 presses 1 (whisper):", lambda: service.dtmf(session, "1"))
        step("700 turns the volume up two steps:", lambda: service.set_volume(session, 2))
        step("700 switches to barge:", lambda: service.switch_mode(session, Mode.barge))
        step("700 leaves:", lambda: service.stop(session))
        step("the call ends:", lambda: registry.end_call("c1"))
        delivered = bridge.flush_routes(timeout=5)

    expected = [  # in this order, among the others
        "bridge c1 create",
        "bridge c1 link agent -> sup700 gain 1.00",  # listen: the supervisor hears both
        "bridge c1 link sup700 -> agent gain 1.00",  # whisper: the agent hears the supervisor
        f"bridge c1 gain agent -> sup700 {volume_gain(2):.2f}",
        "bridge c1 link sup700 -> customer gain 1.00",  # barge: the customer too
        "bridge c1 unlink sup700 -> agent",  # gone
        "bridge c1 destroy",
    ]
    remaining = iter(bridge.commands)
    ok = delivered and bridge.route_failures == 0 and all(line in remaining for line in expected)
    print(f"{len(bridge.commands)} commands; external_mixer: {'OK' if ok else 'unexpected commands'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
