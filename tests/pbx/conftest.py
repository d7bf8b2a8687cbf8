"""Fixtures of the sipp tests: `pbx` (callsup-pbx on free loopback ports, stopped by pid even when
the test fails) and `sipp` (scenarios run against it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pbx_process import PbxProcess, free_port_block, pbx_config
from sipp_runner import Sipp


@pytest.fixture
def trunk_port() -> int:
    """Where the PBX expects its trunk (a sipp plays the carrier there)."""
    return free_port_block(1)


@pytest.fixture
def pbx(tmp_path: Path, trunk_port: int) -> Iterator[PbxProcess]:
    sip_port = free_port_block(1, tcp=True)
    rtp = free_port_block(40)
    config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + 39), audit_log=tmp_path / "pbx-audit.jsonl",
                        trunk_port=trunk_port, max_calls=20, notify_agent="beep_and_info")
    with PbxProcess(tmp_path / "pbx", config) as process:  # stopped by pid even when the test fails
        yield process


@pytest.fixture
def sipp(pbx: PbxProcess, tmp_path: Path) -> Iterator[Sipp]:
    with Sipp(pbx, tmp_path) as runner:
        yield runner
