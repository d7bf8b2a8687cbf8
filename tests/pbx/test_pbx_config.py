"""callsup-pbx's command line: the sample config is valid, bad input exits 2 naming each problem's
JSON path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pbx_process import PBX_BINARY


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PBX_BINARY), *args], capture_output=True, text=True, timeout=30)


def test_print_config_is_a_valid_config(tmp_path: Path) -> None:
    printed = run("--print-config")
    assert printed.returncode == 0, printed.stderr
    sample = json.loads(printed.stdout)
    assert sample["sip"]["listen"].startswith("127.0.0.1:")
    assert {a["extension"] for a in sample["accounts"]} == {"700", "744", "745"}
    path = tmp_path / "sample.json"
    path.write_text(printed.stdout)
    checked = run("--check-config", str(path))
    assert checked.returncode == 0, checked.stderr
    assert "ok" in checked.stdout


def test_check_config_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    sample = json.loads(run("--print-config").stdout)
    sample["sip"]["listen"] = "localhost"
    sample["accounts"][1]["srtp"] = "maybe"
    sample["hunt_groups"][0]["group"] = "Nobody"
    sample["tenants"]["acme"]["notify_agent"] = "shout"
    sample["rtp"]["port_min"] = 80
    sample["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sample))
    checked = run("--check-config", str(path))
    assert checked.returncode == 2
    for expected in (
        "sip.listen: 'localhost' is not host:port",
        "accounts[1].srtp: 'maybe' is not one of off, optional, mandatory",
        "hunt_groups[0].group: 'Nobody' is not in directory.groups",
        "tenants.acme.notify_agent: 'shout' is not one of none, info, beep, beep_and_info",
        "rtp.port_min: 80 is not a whole number in 1024..65534",
        "colour: unknown key",
    ):
        assert expected in checked.stderr, checked.stderr


def test_directory_errors_name_their_path(tmp_path: Path) -> None:
    sample = json.loads(run("--print-config").stdout)
    sample["directory"]["extensions"][2]["privcy"] = True
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sample))
    checked = run("--config", str(path))
    assert checked.returncode == 2
    assert "directory.extensions[2]: unknown key 'privcy'" in checked.stderr, checked.stderr


def test_unreadable_and_malformed_files_exit_2(tmp_path: Path) -> None:
    missing = run("--check-config", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"sip": ')
    malformed = run("--check-config", str(broken))
    assert malformed.returncode == 2 and "not valid JSON" in malformed.stderr
    assert run("--frobnicate").returncode == 2
