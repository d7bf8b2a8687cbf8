"""Every program in examples/python/ runs as a user would run it (its own interpreter
process), exits 0 within its time limit and prints what it is about."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"

# What each example must print (besides its own "OK" line), in this order.
KEY_OUTPUT = {
    "policy_hooks.py": [
        "799 listens to 744 (Support queue)     -> denied: custom by queue_allow_list:Support",
        "700 barges into 744 after hours        -> denied: mode_not_granted by barge_in_business_hours",
        "700 switches that session to barge     -> allowed",
    ],
    "event_log.py": ['"kind": "denied"', '"reason": "privacy"', '"kind": "mode_changed"', "records: attempt, denied"],
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
