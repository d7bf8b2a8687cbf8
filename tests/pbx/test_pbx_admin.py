"""The admin endpoint (admin.listen): GET /counters answers the counters as JSON; anything else
is refused; a garbage request does not stop it."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbx_process import HOST, PASSWORDS, PbxProcess, free_port_block, pbx_config
from sipp_runner import Sipp


@pytest.fixture
def admin_pbx(tmp_path: Path) -> Iterator[tuple[PbxProcess, int]]:
    sip_port = free_port_block(1, tcp=True)
    admin_port = free_port_block(1, tcp=True)
    rtp = free_port_block(20)
    config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + 19), audit_log=tmp_path / "audit.jsonl")
    config["admin"] = {"listen": f"{HOST}:{admin_port}"}
    process = PbxProcess(tmp_path / "pbx", config).start()
    try:
        yield process, admin_port
    finally:
        process.stop()


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_counters_as_json(admin_pbx: tuple[PbxProcess, int], tmp_path: Path) -> None:
    pbx, port = admin_pbx
    sipp = Sipp(pbx, tmp_path)
    assert sipp.register("744", PASSWORDS["744"], free_port_block(1)).returncode == 0
    status, body = get(port, "/counters")
    assert status == 200
    counters = json.loads(body)
    assert counters["registers_ok"] == 1
    assert counters["auth_challenges"] == 1
    assert set(counters) == set(pbx.counters())


def test_other_requests_are_refused_and_it_keeps_serving(admin_pbx: tuple[PbxProcess, int]) -> None:
    pbx, port = admin_pbx
    assert get(port, "/calls")[0] == 404
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.sendall(b"\x00\xffgarbage\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.0 400")
    assert get(port, "/counters")[0] == 200
    assert pbx.alive()
