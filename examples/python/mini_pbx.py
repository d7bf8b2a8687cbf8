"""mini_pbx: a supervised call on loopback, with callsup carrying the audio.

Shows a whole small PBX in one file: the directory and the call registry (what a PBX's
signalling would feed), a SupervisionService, and a MediaEngine connected to it, with an
RTP endpoint per leg. Three phones (callsup.rtp_phone) send G.711 RTP over UDP, each a
constant level of its own, so who hears whom can be measured from the audio each phone
receives. The supervisor dials *90744 to listen, presses 1 on its phone (an RFC 4733 digit
the engine hands to the service) to whisper, and is switched to barge through the API;
after each change the program prints who hears whom, as measured, and checks it against
the routing table of docs/architecture.md.

Run: python examples/python/mini_pbx.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from callsup import (
    CallRegistry,
    Directory,
    EndpointConfig,
    Leg,
    LegState,
    MediaEngine,
    MediaEngineConfig,
    Mode,
    SocketAddress,
    SupervisionService,
    connect_media,
)
from callsup.rtp_phone import Hearing, RtpPhone, wait_for_hearing

# Tenant acme: supervisors 700 (Support), 701 (Sales) and 799 (tenant admin); agents 744 and
# 746 (privacy) in Support, 747 in Sales.
DIRECTORY = Path(__file__).with_name("acme_directory.json")

# party -> (leg id, the level its phone sends). Levels whose sums are all distinct.
PARTIES = {"customer": ("customer", 1000), "agent": ("agent", 2000), "supervisor": ("sup700", 4000)}


def expect(**hears: set[str]) -> dict[str, frozenset[str]]:
    return {name: frozenset(sources) for name, sources in hears.items()}


EXPECTED = {
    "before": expect(customer={"agent"}, agent={"customer"}, supervisor=set()),
    "listen": expect(customer={"agent"}, agent={"customer"}, supervisor={"customer", "agent"}),
    "whisper": expect(customer={"agent"}, agent={"customer", "supervisor"}, supervisor={"customer", "agent"}),
    "barge": expect(
        customer={"agent", "supervisor"}, agent={"customer", "supervisor"}, supervisor={"customer", "agent"}
    ),
}


def show(phase: str, heard: Hearing) -> bool:
    print(f"{phase}:")
    for listener, sources in heard.items():
        said = "nobody" if sources == frozenset() else ", ".join(sorted(sources)) if sources else "?"
        print(f"  {listener:<10} hears {said}")
    return heard == EXPECTED[phase]


def main() -> int:
    directory = Directory()
    directory.load_file(DIRECTORY)
    registry = CallRegistry()
    ok = True
    with SupervisionService(registry, directory) as service, MediaEngine(
        MediaEngineConfig(threads=2)
    ) as engine, connect_media(service, engine):  # route changes drive the engine; digits reach the service
        # The PBX's signalling: a customer's call answered by agent 744, and the supervisor's phone.
        registry.add_call("c1", "acme")
        registry.add_leg("c1", Leg.off_net("customer", "+15551230000", LegState.up))
        registry.add_leg("c1", Leg.on_net("agent", "744", LegState.up))
        registry.bridge("c1")
        registry.add_call("sc", "acme")
        registry.add_leg("sc", Leg.on_net("sup700", "700", LegState.up))

        phones: dict[str, RtpPhone] = {}
        for name, (leg, level) in PARTIES.items():
            phone = RtpPhone(name, level)
            # The supervisor's leg joins the media group of the call it will supervise.
            endpoint = engine.add_endpoint(
                "c1", leg, EndpointConfig(remote=SocketAddress(*phone.address), remote_ssrc=phone.ssrc)
            )
            phone.connect(endpoint.local_address.as_tuple())
            phones[name] = phone.start()
        try:
            ok &= show("before", wait_for_hearing(phones, EXPECTED["before"]))

            outcome = service.dial(supervisor_leg="sup700", supervisor="700", dialled="*90744")
            session = service.session_handle(outcome)  # a callsup.Session: .mode, .switch(), .stop()
            ok &= show("listen", wait_for_hearing(phones, EXPECTED["listen"]))

            phones["supervisor"].send_dtmf("1")  # the service switches when the engine hands it the digit
            ok &= show("whisper", wait_for_hearing(phones, EXPECTED["whisper"]))
            ok &= session.mode is Mode.whisper

            session.switch(Mode.barge)
            ok &= show("barge", wait_for_hearing(phones, EXPECTED["barge"]))
        finally:
            for phone in phones.values():
                phone.stop()
        stats = engine.stats().total
        print(f"engine: {stats.ticks} ticks, {stats.packets_in} packets in, {stats.packets_out} out")
    print("mini_pbx: OK" if ok else "mini_pbx: the audio did not follow the routes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
