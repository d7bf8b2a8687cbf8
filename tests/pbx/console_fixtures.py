"""Fixtures and helpers of the console tests (test_console_*.py): callsup-pbx with its browser
console on free loopback ports, sipp calls from the trunk to agent 744, web logins."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console_client import Console
from pbx_process import (
    HOST,
    PASSWORDS,
    PBX_BINARY,
    WEB_PASSWORDS,
    PbxProcess,
    free_port_block,
    pbx_config,
)
from sipp_runner import PCAPS, Sipp, SippProcess

G711A = str(PCAPS / "g711a.pcap")
FOREIGN_ORIGIN = "http://evil.example"

requires_pbx = pytest.mark.skipif(
    not PBX_BINARY.is_file(),
    reason=f"{PBX_BINARY} is not built: cmake --build --preset dev --target callsup-pbx",
)


def console_config(workdir: Path, trunk_port: int | None = None, **console: Any) -> dict[str, Any]:
    """pbx_config with the console on a free port; `console` adds keys to its section
    (login_attempts, login_window_seconds, ...)."""
    rtp = free_port_block(40)
    config = pbx_config(
        sip_port=free_port_block(1, tcp=True),
        rtp_ports=(rtp, rtp + 39),
        audit_log=workdir / "pbx-audit.jsonl",
        trunk_port=trunk_port,
        max_calls=20,
        console_port=free_port_block(1, tcp=True),
    )
    config["console"].update(console)
    return config


class ConsoleSipp(Sipp):
    """Sipp with the calls the console tests need: the trunk calling an agent, phones registered
    for as long as a test lasts."""

    def start_trunk_call(self, trunk_port: int, dialled: str = "744", hold_ms: int = 120_000) -> SippProcess:
        """The carrier (from the trunk's address) calls `dialled`, plays g711a.pcap, hangs up
        after `hold_ms` (or when stopped)."""
        scenario = self.render("trunk_call.xml", DIALLED=dialled, PCAP=G711A, HOLD_MS=str(hold_ms))
        timeout_s = hold_ms // 1000 + 30
        cmd, error_file = self._command(scenario, "carrier", None, trunk_port, 1, timeout_s, True, [])
        proc = subprocess.Popen(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        call = SippProcess(proc, error_file)
        self._background.append(call)
        return call

    def registered_phone(self, extension: str, scenario: str = "uas.xml", timeout_s: int = 150,
                         **values: str) -> SippProcess:
        """Registers `extension` from a fresh port and runs `scenario` there as its phone."""
        port = free_port_block(1)
        registered = self.register(extension, PASSWORDS[extension], port)
        assert registered.returncode == 0, registered.describe()
        return self.start_phone(self.render(scenario, **values), extension, port, timeout_s=timeout_s)


class ConsolePbx(PbxProcess):
    """PbxProcess whose config has a console; `console_url` is where it is served."""

    def __enter__(self) -> ConsolePbx:
        self.start()
        return self

    @property
    def url(self) -> str:
        assert self.console_url is not None
        return self.console_url

    def login(self, extension: str) -> Console:
        """A new Console logged in as `extension` with its web password."""
        console = Console(self.url)
        console.login_ok(extension, WEB_PASSWORDS[extension])
        return console

    def call_from_trunk(self, sipp: ConsoleSipp, trunk_port: int, agent: str = "744") -> str:
        """The carrier calls `agent` (a sipp phone answering it): the call's id once answered."""
        sipp.registered_phone(agent, PCAP=G711A)
        sipp.start_trunk_call(trunk_port, dialled=agent)
        match = self.wait_log(rf"INVITE \+15550100 -> {agent} \((call-\d+)\): 200 OK", timeout=10)
        return match.group(1)


@pytest.fixture
def console_pbx(tmp_path: Path, trunk_port: int) -> Iterator[ConsolePbx]:
    """callsup-pbx with the console, for one test (its login rate limit counts 127.0.0.1's
    failures: a PBX per test keeps them apart); trunk_port is conftest's."""
    with ConsolePbx(tmp_path / "pbx", console_config(tmp_path, trunk_port)) as process:
        yield process


@pytest.fixture
def console_sipp(console_pbx: ConsolePbx, tmp_path: Path) -> Iterator[ConsoleSipp]:
    with ConsoleSipp(console_pbx, tmp_path) as runner:
        yield runner


def find_call(calls: list[dict[str, Any]], call_id: str) -> dict[str, Any] | None:
    return next((c for c in calls if c.get("id") == call_id), None)


def mentions(message: object, *needles: str) -> bool:
    """Whether any of `needles` occurs as a string value anywhere in `message` (JSON)."""
    if isinstance(message, str):
        return any(message == n or re.search(rf"\b{re.escape(n)}\b", message) for n in needles)
    if isinstance(message, dict):
        return any(mentions(v, *needles) for v in message.values())
    if isinstance(message, list):
        return any(mentions(v, *needles) for v in message)
    return False


__all__ = [
    "FOREIGN_ORIGIN",
    "G711A",
    "HOST",
    "ConsolePbx",
    "ConsoleSipp",
    "console_config",
    "console_pbx",
    "find_call",
    "mentions",
    "console_sipp",
    "requires_pbx",
]
