"""event_server: supervision events streamed as JSON over WebSocket to every connected client.

Shows callsup.aio: `async for event in service.events()` on an asyncio event loop, while
another thread drives the service (here a scripted PBX; in production your SIP stack):
the delivering thread only posts each event to the loop (loop.call_soon_threadsafe), and
the loop sends it, as its audit JSON line (to_json_line), to every WebSocket client
connected at the time. A client reads it back with parse_audit_line. The demo scenario: a
supervisor listens to agent 744, switches to whisper, then to barge, then hangs up.

Needs the `websockets` package (pip install websockets). Binds to 127.0.0.1 only.

Run:
  python examples/python/event_server.py
      self-check: serves on a free port, connects a client, plays the demo, prints what
      the client received, exits
  python examples/python/event_server.py --port PORT [--demo] [--clients N]
      serves on 127.0.0.1:PORT (0: a free port; the line "listening on ws://..." names it)
      until SIGINT or SIGTERM; --demo plays the scenario once N clients (default 1) are
      connected
  python examples/python/event_server.py --client ws://127.0.0.1:PORT [--count N]
      prints the events a server sends (the first N; default: until the server closes)
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

from callsup import (
    CallRegistry,
    Directory,
    Event,
    Leg,
    LegState,
    Mode,
    SupervisionService,
    parse_audit_line,
    to_json_line,
)
from callsup.aio import EventStream

# Tenant acme: supervisor 700 (Support) may barge; agent 744 is in Support.
DIRECTORY = Path(__file__).with_name("acme_directory.json")
HOST = "127.0.0.1"


class EventServer:
    """Sends every event of one service to every client connected when it happens."""

    def __init__(self, events: EventStream[Event], clients_wanted: int = 1) -> None:
        self.events = events
        self.clients: set[ServerConnection] = set()
        self.clients_wanted = clients_wanted
        self.enough_clients = asyncio.Event()
        self.sent = 0

    async def handler(self, connection: ServerConnection) -> None:
        """One client: registered until it disconnects (it sends nothing we read)."""
        self.clients.add(connection)
        if len(self.clients) >= self.clients_wanted:
            self.enough_clients.set()
        try:
            await connection.wait_closed()
        finally:
            self.clients.discard(connection)

    async def pump(self) -> None:
        """The loop's side of the stream: one JSON text message per event, to everyone."""
        async for event in self.events:
            broadcast(self.clients, to_json_line(event))
            self.sent += 1


def make_pbx() -> tuple[CallRegistry, SupervisionService]:
    directory = Directory()
    directory.load_file(DIRECTORY)
    registry = CallRegistry()
    return registry, SupervisionService(registry, directory)


def play_demo(registry: CallRegistry, service: SupervisionService) -> None:
    """The scripted PBX, on a thread of its own: a call to agent 744, supervisor 700 listens,
    whispers, barges, hangs up. Each service call returns once the event is posted."""
    registry.add_call("c1", "acme")
    registry.add_leg("c1", Leg.off_net("c1-customer", "+15551230000", LegState.up))
    registry.add_leg("c1", Leg.on_net("c1-agent", "744", LegState.up))
    registry.bridge("c1")
    started = service.dial("sup-leg", "700", "*90744")  # listen
    assert started, started
    service.switch_mode(started.session, Mode.whisper)
    service.switch_mode(started.session, Mode.barge)
    registry.add_call("sc", "acme")
    registry.add_leg("sc", Leg.on_net("sup-leg", "700", LegState.up))
    registry.remove_leg("sup-leg")  # the supervisor hangs up: the session ends


async def serve_events(port: int, demo: bool, clients_wanted: int, ready: asyncio.Future[int] | None = None,
                       stop: asyncio.Event | None = None) -> int:
    """Serves until `stop` is set (by default: on SIGINT or SIGTERM). Returns the number
    of events sent."""
    registry, service = make_pbx()
    stop = stop if stop is not None else asyncio.Event()
    with service:
        async with service.events() as events:  # registered now: the demo's events are all in it
            server = EventServer(events, clients_wanted)
            async with serve(server.handler, HOST, port) as ws_server:
                bound = ws_server.sockets[0].getsockname()[1]
                print(f"listening on ws://{HOST}:{bound}", flush=True)
                if ready is not None:
                    ready.set_result(bound)
                else:
                    for signum in (signal.SIGINT, signal.SIGTERM):
                        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
                pump = asyncio.create_task(server.pump())
                if demo:
                    await server.enough_clients.wait()
                    await asyncio.to_thread(play_demo, registry, service)
                    print("demo played", flush=True)
                await stop.wait()
                await events.aclose()  # the pump's `async for` ends
                await pump
        print(f"stopped: {server.sent} events sent, {events.dropped} dropped", flush=True)
        return server.sent


async def receive(url: str, count: int | None = None, until_kind: str | None = None) -> list[Event]:
    """A client: prints each event as it arrives; the first `count`, or until one of kind
    `until_kind`, or until the server closes the connection."""
    got: list[Event] = []
    async with connect(url, proxy=None) as websocket:
        try:
            async for message in websocket:
                # One audit JSON line per message: any JSON reader takes it; callsup reads it back.
                event = parse_audit_line(message if isinstance(message, str) else message.decode())
                mode = event.mode.name if event.mode is not None else "-"
                print(f"client got {event.kind.name:<15} session {event.session} "
                      f"{event.supervisor} -> {event.target} ({mode})", flush=True)
                got.append(event)
                if len(got) == count or event.kind.name == until_kind:
                    break
        except ConnectionClosed:
            pass
    return got


async def self_check() -> int:
    """The server and one client in this process: the demo's events reach the client."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[int] = loop.create_future()
    stop = asyncio.Event()
    server = asyncio.create_task(serve_events(0, demo=True, clients_wanted=1, ready=ready, stop=stop))
    port = await asyncio.wait_for(ready, 30)
    got = await asyncio.wait_for(receive(f"ws://{HOST}:{port}", until_kind="ended"), 30)
    stop.set()
    sent = await server
    kinds = [e.kind.name for e in got]
    expected = ["attempt", "started", "mode_changed", "agent_notified", "mode_changed", "agent_notified", "ended"]
    ok = kinds == expected and sent == len(got) and [e.sequence for e in got] == list(range(1, len(got) + 1))
    print("event_server: OK" if ok else f"event_server: unexpected events {kinds}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, help="serve on 127.0.0.1:PORT (0: a free port) until SIGINT/SIGTERM")
    parser.add_argument("--demo", action="store_true", help="play the demo scenario once --clients are connected")
    parser.add_argument("--clients", type=int, default=1, help="clients to wait for before the demo (default 1)")
    parser.add_argument("--client", metavar="URL", help="be a client of a server at URL instead")
    parser.add_argument("--count", type=int, help="client: stop after this many events")
    args = parser.parse_args()
    if args.client:
        asyncio.run(receive(args.client, args.count))
        return 0
    if args.port is not None:
        asyncio.run(serve_events(args.port, args.demo, args.clients))
        return 0
    return asyncio.run(self_check())


if __name__ == "__main__":
    sys.exit(main())
