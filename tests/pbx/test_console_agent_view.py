"""What an agent's page is told about the supervisor on its call (docs/console.md): whisper and
barge whenever the SDK notified the agent, listen only when the tenant says so
(tenants.<name>.agent_sees_listening)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from console_fixtures import G711A, ConsolePbx, ConsoleSipp, console_config, find_call, requires_pbx
from pbx_process import wait_until

pytestmark = requires_pbx


def supervisors_seen(pbx: ConsolePbx, agent: Any, call: str) -> list[tuple[str, str]]:
    row = find_call(agent.call_list(), call)
    assert row is not None and row["mine"] is True and row["agent"] == "744", row
    assert row["modes"] == {"listen": False, "whisper": False, "barge": False}, row
    return [(s["supervisor"], s["mode"]) for s in row["supervisors"]]


@pytest.mark.parametrize("sees_listening", [False, True])
def test_the_agent_sees_the_supervisor_as_the_tenant_allows(
    tmp_path: Path, trunk_port: int, sees_listening: bool
) -> None:
    config = console_config(tmp_path, trunk_port)
    config["tenants"]["acme"]["agent_sees_listening"] = sees_listening
    with ConsolePbx(tmp_path / "pbx", config) as pbx:
        with ConsoleSipp(pbx, tmp_path) as sipp:
            call = pbx.call_from_trunk(sipp, trunk_port)
            agent = pbx.login("744")
            assert supervisors_seen(pbx, agent, call) == []
            sipp.registered_phone("700", "uas.xml", PCAP=G711A)
            supervisor = pbx.login("700")
            supervisor.start(call, "listen").ok(202)
            session = pbx.wait_audit(kind="started", supervisor="700", call=call)["session"]
            expected = [("700", "listen")] if sees_listening else []
            # the view follows the SDK's events on the control thread: wait for it to settle
            wait_until(lambda: supervisors_seen(pbx, agent, call) == expected, 5, f"744 told {expected}")
            supervisor.switch(session, "whisper").ok()
            pbx.wait_audit(kind="agent_notified", supervisor="700", mode="whisper")
            wait_until(lambda: supervisors_seen(pbx, agent, call) == [("700", "whisper")], 5,
                       "744 told of the whisper")
            supervisor.switch(session, "listen").ok()
            pbx.wait_audit(kind="mode_changed", supervisor="700", mode="listen", from_mode="whisper")
            wait_until(lambda: supervisors_seen(pbx, agent, call) == expected, 5, f"744 told {expected} again")
