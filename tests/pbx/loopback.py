"""Loopback-only networking helpers for the real-softphone tests: free ports chosen by the kernel,
deadlines for polling a condition (never a sleep standing in for one)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

HOST = "127.0.0.1"

T = TypeVar("T")


def _bindable(kind: int, port: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def udp_port_free(port: int) -> bool:
    """Can a UDP socket be bound to 127.0.0.1:port now?"""
    return _bindable(socket.SOCK_DGRAM, port)


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that the kernel says is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def free_tcp_port() -> int:
    """A TCP port on 127.0.0.1 that the kernel says is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def free_sip_port(tcp_extra: int = 0, attempts: int = 50) -> int:
    """A port P free on 127.0.0.1 for UDP and TCP, with P+1..P+tcp_extra free for TCP too (baresip
    listens on sip_listen's port for UDP and TCP and on the next one for TCP as well). The kernel
    picks P (bind to port 0), so parallel tests do not clash; raises RuntimeError after `attempts`
    tries."""
    for _ in range(attempts):
        port = free_udp_port()
        if port + tcp_extra > 65535:
            continue
        if all(_bindable(socket.SOCK_STREAM, p) for p in range(port, port + tcp_extra + 1)):
            return port
    raise RuntimeError(f"no port P with UDP P and TCP P..P+{tcp_extra} free on {HOST} in {attempts} tries")


def wait_until(
    condition: Callable[[], T | None],
    timeout: float,
    what: str,
    interval: float = 0.05,
) -> T:
    """Polls `condition` until it returns something other than None/False, at most `timeout`
    seconds; returns that value or raises TimeoutError naming `what`."""
    if timeout <= 0:
        raise ValueError(f"timeout must be > 0, not {timeout!r}")
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)
