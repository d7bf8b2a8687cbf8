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
    assert {a["extension"] for a in sample["accounts"]} == {"700", "744", "745", "790"}
    assert sample["console"]["listen"].startswith("127.0.0.1:")
    assert all(a["web_password_hash"].startswith("$argon2id$") for a in sample["accounts"])
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
    sample["accounts"][0]["web_password_hash"] = "web-700"
    sample["console"]["login_attempts"] = 0
    sample["tenants"]["acme"]["agent_sees_listening"] = "yes"
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
        "accounts[0].web_password_hash: 'web-700' is not a crypto_pwhash_str hash",
        "console.login_attempts: 0 is not a whole number in 1..1000",
        'tenants.acme.agent_sees_listening: must be true or false, not "yes"',
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


def test_hash_password_makes_a_hash_the_console_accepts(tmp_path: Path) -> None:
    made = subprocess.run([str(PBX_BINARY), "--hash-password"], input="s3cret pass\n", capture_output=True,
                          text=True, timeout=30)
    assert made.returncode == 0, made.stderr
    first = made.stdout.strip()
    assert first.startswith("$argon2id$v=19$")
    again = subprocess.run([str(PBX_BINARY), "--hash-password"], input="s3cret pass\n", capture_output=True,
                           text=True, timeout=30)
    assert again.stdout.strip() != first, "each hash has its own salt"
    empty = subprocess.run([str(PBX_BINARY), "--hash-password"], input="", capture_output=True, text=True, timeout=30)
    assert empty.returncode == 2 and "stdin" in empty.stderr


def test_unreadable_and_malformed_files_exit_2(tmp_path: Path) -> None:
    missing = run("--check-config", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"sip": ')
    malformed = run("--check-config", str(broken))
    assert malformed.returncode == 2 and "not valid JSON" in malformed.stderr
    assert run("--frobnicate").returncode == 2
