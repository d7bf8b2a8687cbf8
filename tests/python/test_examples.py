"""Every program in examples/python/ runs as a user would run it (its own interpreter
process), exits 0 within its time limit and prints what it is about."""

from __future__ import annotations

import ast
import asyncio
import json
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"

# What each example must print (besides its own "OK" line), in this order.
KEY_OUTPUT = {
    "policy_hooks.py": [
        "799 listens to 744 (Support queue)     -> denied: custom by queue_allow_list:Support",
        "700 barges into 744 after hours        -> denied: mode_not_granted by barge_in_business_hours",
        "700 switches that session to barge     -> allowed",
    ],
    "event_log.py": ['"kind": "denied"', '"reason": "privacy"', '"kind": "mode_changed"', "records: attempt, denied"],
    "event_server.py": [
        "listening on ws://127.0.0.1:",
        "client got attempt",
        "client got started         session 1 700 -> 744 (listen)",
        "client got mode_changed    session 1 700 -> 744 (whisper)",
        "client got mode_changed    session 1 700 -> 744 (barge)",
        "client got ended",
        "stopped: 7 events sent, 0 dropped",
    ],
    "external_mixer.py": ["bridge c1 create", "bridge c1 link sup700 -> agent gain 1.00", "bridge c1 destroy"],
    "mini_pbx.py": [
        "listen:",
        "supervisor hears agent, customer",
        "whisper:",
        "agent      hears customer, supervisor",
        "barge:",
        "customer   hears agent, supervisor",
    ],
}


def example_files() -> list[str]:
    return sorted(path.name for path in EXAMPLES.glob("*.py"))


def test_every_example_is_checked_here() -> None:
    assert example_files() == sorted(KEY_OUTPUT)


@pytest.mark.parametrize("name", example_files())
def test_example_runs_standalone(name: str, tmp_path: Path) -> None:
    path = EXAMPLES / name
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring and docstring.startswith(path.stem + ":"), f"{name} needs a docstring saying what it shows"
    result = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"
    assert result.stderr == ""
    position = 0
    for line in KEY_OUTPUT[name]:
        found = result.stdout.find(line, position)
        assert found >= 0, f"{name}: {line!r} missing (or out of order) in:\n{result.stdout}"
        position = found + len(line)
    assert result.stdout.splitlines()[-1].endswith(f"{path.stem}: OK")


# --- event_server.py as a server, with WebSocket clients of the test's own ------------------


def first_line(process: subprocess.Popen[str], seconds: float) -> str:
    """The process's first line of output, waiting at most `seconds` for it."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    assert ready, "no output from the server"
    return process.stdout.readline()


async def read_events(url: str, clients: int) -> list[list[dict[str, object]]]:
    """`clients` WebSocket clients, connected at once, each reading JSON events until "ended"."""
    async def read(websocket: ClientConnection) -> list[dict[str, object]]:
        got: list[dict[str, object]] = []
        async for message in websocket:
            got.append(json.loads(message))
            if got[-1]["kind"] == "ended":
                break
        return got

    connections = [await connect(url, proxy=None) for _ in range(clients)]
    try:
        return list(await asyncio.gather(*(read(c) for c in connections)))
    finally:
        for connection in connections:
            await connection.close()


def test_event_server_streams_the_demo_to_every_websocket_client(tmp_path: Path) -> None:
    command = [sys.executable, str(EXAMPLES / "event_server.py"), "--port", "0", "--demo", "--clients", "2"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path) as server:
        try:
            line = first_line(server, 30)
            assert line.startswith("listening on ws://127.0.0.1:"), line
            url = line.split()[-1]
            received = asyncio.run(asyncio.wait_for(read_events(url, clients=2), 30))
        finally:
            server.send_signal(signal.SIGTERM)  # the server stops cleanly on SIGTERM
            try:
                out, err = server.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()  # by its pid, also when the test failed
                server.communicate()
                raise
    assert server.returncode == 0, err
    assert err == ""
    expected = ["attempt", "started", "mode_changed", "agent_notified", "mode_changed", "agent_notified", "ended"]
    for events in received:
        assert [e["kind"] for e in events] == expected
        assert [e["mode"] for e in events] == ["listen", "listen", "whisper", "whisper", "barge", "barge", "barge"]
        assert [e["seq"] for e in events] == list(range(1, 8))
        assert {(e["supervisor"], e["target"], e["call"]) for e in events[1:]} == {("700", "744", "c1")}
    assert received[0] == received[1]  # every client got the same events
    assert "demo played" in out and "stopped: 7 events sent, 0 dropped" in out
