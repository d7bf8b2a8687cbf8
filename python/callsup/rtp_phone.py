"""A phone on a UDP socket, for tests, examples and PBX prototypes: it sends G.711 µ-law
RTP (RFC 3550) carrying a constant level, one packet per ptime, sends DTMF digits as
RFC 4733 telephone-events, and decodes and keeps what it receives.

A constant level per phone makes "who hears whom" measurable: what a phone receives is the
sum of the levels of the phones it hears, and :func:`who_is_heard` takes it apart::

    with RtpPhone("customer", level=1000) as phone:
        phone.connect(endpoint.local_address.as_tuple())
        ...
        who_is_heard(phone.heard_level(), {"agent": 2000, "supervisor": 4000})

:func:`who_hears_whom` does it for a set of phones at once, :func:`wait_for_hearing` until
the routes have taken effect.
"""

from __future__ import annotations

import itertools
import random
import select
import socket
import statistics
import struct
import threading
import time
from collections.abc import Mapping
from typing import Optional

Hearing = dict[str, Optional[frozenset[str]]]
"""Who each phone heard, by name: the names of the phones it heard, None when unclear."""

from ._core import make_codec

__all__ = ["RtpPhone", "wait_for_hearing", "who_hears_whom", "who_is_heard"]

_HEADER = struct.Struct("!BBHII")  # V/P/X/CC, M/PT, sequence, timestamp, SSRC
_EVENT_DIGITS = "0123456789*#ABCD"


class RtpPhone:
    """A PCMU phone bound to `bind_ip` (a free port). It starts sending once started and
    connected, every `ptime_ms`, from its own thread, with a random SSRC (or `ssrc`)."""

    def __init__(
        self,
        name: str,
        level: int,
        *,
        ssrc: Optional[int] = None,
        ptime_ms: int = 20,
        dtmf_payload_type: int = 101,
        bind_ip: str = "127.0.0.1",
    ) -> None:
        if not -32768 <= level <= 32767:
            raise ValueError(f"RtpPhone level must be in -32768..32767, got {level!r}")
        if ptime_ms not in (10, 20, 30, 40):
            raise ValueError(f"RtpPhone ptime_ms must be 10, 20, 30 or 40, got {ptime_ms!r}")
        self.name = name
        self.level = level
        self.ssrc = ssrc if ssrc is not None else random.getrandbits(32)
        self.ptime_ms = ptime_ms
        self.dtmf_payload_type = dtmf_payload_type
        self._codec = make_codec("PCMU")
        self._samples = 8 * ptime_ms
        self._payload = self._codec.encode([level] * self._samples)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind((bind_ip, 0))
        self._remote: Optional[tuple[str, int]] = None
        self._lock = threading.Lock()
        self._recording: list[int] = []
        self._digits_to_send: list[str] = []
        self._digits_received: list[str] = []
        self._events_seen: set[tuple[int, int]] = set()
        self._packets_received = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"RtpPhone {name}", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        """Where this phone receives: give it to the engine as EndpointConfig.remote."""
        ip, port = self._socket.getsockname()[:2]
        return (ip, port)

    def connect(self, remote: tuple[str, int]) -> None:
        """Sends to `remote` (the endpoint's local address) from now on."""
        with self._lock:
            self._remote = remote

    def start(self) -> RtpPhone:
        """Starts the phone's thread (sending once connected, and receiving); returns the phone."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops the thread, waits for it and closes the socket."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()

    def __enter__(self) -> RtpPhone:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def send_dtmf(self, digits: str) -> None:
        """Sends each digit as an RFC 4733 event of 100 ms (audio pauses meanwhile)."""
        bad = [d for d in digits if d not in _EVENT_DIGITS]
        if bad:
            raise ValueError(f"not DTMF digits: {''.join(bad)!r}")
        with self._lock:
            self._digits_to_send.extend(digits)

    def clear(self) -> None:
        """Forgets what was received so far (start of a measurement)."""
        with self._lock:
            self._recording.clear()

    def recording(self) -> list[int]:
        """The PCM samples received since the last clear(), decoded."""
        with self._lock:
            return list(self._recording)

    def heard_level(self) -> Optional[float]:
        """The median received sample since the last clear(); None when nothing arrived."""
        samples = self.recording()
        return statistics.median(samples) if samples else None

    @property
    def packets_received(self) -> int:
        """RTP packets received so far (audio and telephone-events)."""
        with self._lock:
            return self._packets_received

    @property
    def digits_received(self) -> str:
        """RFC 4733 digits received (each event once)."""
        with self._lock:
            return "".join(self._digits_received)

    # --- the phone's thread ---------------------------------------------------------------

    def _run(self) -> None:
        sequence = itertools.count(random.getrandbits(16))
        timestamp = random.getrandbits(32)
        next_send = time.monotonic()
        event: Optional[_Event] = None
        while not self._stopping.is_set():
            wait = max(0.0, next_send - time.monotonic())
            readable, _, _ = select.select([self._socket], [], [], wait)
            if readable:
                self._receive()
                continue
            next_send += self.ptime_ms / 1000
            with self._lock:
                remote = self._remote
                if event is None and self._digits_to_send:
                    event = _Event(self._digits_to_send.pop(0), timestamp, self._samples)
            if remote is None:
                continue
            seq = next(sequence) & 0xFFFF
            if event is not None:
                packet = event.next_packet(seq, self.ssrc, self.dtmf_payload_type)
                if event.finished:
                    event = None
            else:
                packet = _HEADER.pack(0x80, 0, seq, timestamp, self.ssrc) + self._payload
            timestamp = (timestamp + self._samples) & 0xFFFFFFFF
            self._socket.sendto(packet, remote)

    def _receive(self) -> None:
        data = self._socket.recv(4096)
        if len(data) < _HEADER.size or data[0] >> 6 != 2:
            return
        _, marker_pt, _, ts, ssrc = _HEADER.unpack_from(data)
        payload = data[_HEADER.size + 4 * (data[0] & 0x0F) :]
        payload_type = marker_pt & 0x7F
        with self._lock:
            self._packets_received += 1
            if payload_type == 0:
                self._recording.extend(self._codec.decode(payload))
            elif payload_type == self.dtmf_payload_type and len(payload) >= 4 and payload[0] < 16:
                if (ssrc, ts) not in self._events_seen:
                    self._events_seen.add((ssrc, ts))
                    self._digits_received.append(_EVENT_DIGITS[payload[0]])


class _Event:
    """One RFC 4733 event being sent: 5 packets of growing duration, then 3 end packets."""

    def __init__(self, digit: str, timestamp: int, samples_per_packet: int) -> None:
        self.code = _EVENT_DIGITS.index(digit)
        self.timestamp = timestamp
        self.step = samples_per_packet
        self.sent = 0
        self.finished = False

    def next_packet(self, sequence: int, ssrc: int, payload_type: int) -> bytes:
        marker = 0x80 if self.sent == 0 else 0
        end = self.sent >= 4
        duration = self.step * min(self.sent + 1, 5)
        self.sent += 1
        self.finished = self.sent >= 8
        header = _HEADER.pack(0x80, marker | payload_type, sequence, self.timestamp, ssrc)
        return header + struct.pack("!BBH", self.code, (0x80 if end else 0) | 10, duration)


def who_is_heard(level: Optional[float], levels: Mapping[str, int], tolerance: float = 400) -> Optional[frozenset[str]]:
    """The set of sources whose levels add up to `level` (within `tolerance`), the smallest
    set first; frozenset() for silence, None when no combination fits. Choose levels whose
    sums are all distinct (1000, 2000, 4000, ...)."""
    if level is None:
        return None
    names = sorted(levels)
    best: Optional[tuple[float, frozenset[str]]] = None
    for size in range(len(names) + 1):
        for combination in itertools.combinations(names, size):
            error = abs(level - sum(levels[n] for n in combination))
            if error <= tolerance and (best is None or error < best[0]):
                best = (error, frozenset(combination))
    return None if best is None else best[1]


def who_hears_whom(phones: Mapping[str, RtpPhone], window: float = 0.3) -> Hearing:
    """Clears every phone, listens for `window` seconds, and says whom each one heard among
    the others (by their levels)."""
    for phone in phones.values():
        phone.clear()
    time.sleep(window)
    return {
        name: who_is_heard(phone.heard_level(), {n: p.level for n, p in phones.items() if n != name})
        for name, phone in phones.items()
    }


def wait_for_hearing(
    phones: Mapping[str, RtpPhone], expected: Mapping[str, frozenset[str]], timeout: float = 5.0
) -> Hearing:
    """Measures until a window matches `expected` (new routes take a tick or two, a busy
    machine longer) or `timeout` passes, then measures once more and returns that window:
    equal to `expected` only if the audio held it."""
    deadline = time.monotonic() + timeout
    heard = who_hears_whom(phones)
    while heard != expected and time.monotonic() < deadline:
        heard = who_hears_whom(phones)
    return who_hears_whom(phones) if heard == expected else heard
