"""Test support for the media tests: phones (callsup.rtp_phone) attached to the legs of a
MediaEngine, and "who hears whom" measured from what each phone receives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from callsup import EndpointConfig, MediaEngine, RtpEndpoint, SocketAddress
from callsup.rtp_phone import Hearing, RtpPhone, wait_for_hearing, who_hears_whom


def thread_name() -> str:
    """The OS name of the calling thread ("callsup-media0", "callsup-control", ...)."""
    with open(f"/proc/self/task/{threading.get_native_id()}/comm") as comm:
        return comm.read().strip()


def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Polls `condition` until it holds or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return condition()
        time.sleep(0.01)
    return True


class Phones:
    """One RtpPhone per party, each sending its own constant level to its leg's endpoint.
    `parties` maps a party name to (leg id, level); every leg gets an endpoint in
    `media_group` on a shared socket, told apart by the phone's address and SSRC."""

    def __init__(self, engine: MediaEngine, media_group: str, parties: Mapping[str, tuple[str, int]]) -> None:
        self.phones: dict[str, RtpPhone] = {}
        self.endpoints: dict[str, RtpEndpoint] = {}
        for name, (leg, level) in parties.items():
            phone = RtpPhone(name, level)
            config = EndpointConfig(remote=SocketAddress(*phone.address), remote_ssrc=phone.ssrc)
            endpoint = engine.add_endpoint(media_group, leg, config)
            phone.connect(endpoint.local_address.as_tuple())
            self.phones[name] = phone.start()
            self.endpoints[name] = endpoint

    def __getitem__(self, name: str) -> RtpPhone:
        return self.phones[name]

    def stop(self) -> None:
        for phone in self.phones.values():
            phone.stop()

    def heard(self, window: float = 0.3) -> Hearing:
        """Who each phone heard during the next `window` seconds."""
        return who_hears_whom(self.phones, window)

    def settle_on(self, expected: Mapping[str, frozenset[str]], timeout: float = 5.0) -> Hearing:
        """Who each phone hears once the routes took effect (see wait_for_hearing)."""
        return wait_for_hearing(self.phones, expected, timeout)


def heard_as(**hears: set[str]) -> dict[str, frozenset[str]]:
    """heard_as(agent={"customer"}) -> {"agent": frozenset({"customer"})}."""
    return {name: frozenset(sources) for name, sources in hears.items()}
