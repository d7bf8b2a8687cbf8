"""pytest fixtures for the real-softphone tests (import them into a test module)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from softphone_process import make_voice_loop, voice_file

VOICES = ("customer", "agent", "supervisor")
LOOP_SECONDS = 240.0  # longer than any call in these tests: baresip's aufile ends the call at EOF


def require_program(name: str) -> str:
    """The path of `name`; fails (not skips) the test when it is missing: the tests need it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (Debian: baresip, linphone-cli, sox); these tests run real softphones")
    return path


@pytest.fixture(scope="session")
def voice_loops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each bundled voice repeated for LOOP_SECONDS: what a phone plays (name -> WAV)."""
    out = tmp_path_factory.mktemp("voice-loops")
    return {name: make_voice_loop(voice_file(name), out / f"{name}-loop.wav", LOOP_SECONDS) for name in VOICES}


@pytest.fixture(scope="session")
def voices() -> dict[str, Path]:
    """The bundled voices as loops for the analysis (name -> one loop, from its sample 0)."""
    return {name: voice_file(name) for name in VOICES}
