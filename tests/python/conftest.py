"""Fixtures shared by the Python tests (helpers to build records: model_support.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import callsup
from model_support import DATA_DIR, acme_directory, external_call


@pytest.fixture
def registry() -> callsup.CallRegistry:
    """An empty call registry."""
    return callsup.CallRegistry()


@pytest.fixture
def acme() -> callsup.Directory:
    """The seed directory: tenant acme, agents 744/745 in Support (supervised by 700), 746."""
    return acme_directory()


@pytest.fixture
def acme_call(registry: callsup.CallRegistry) -> callsup.CallRegistry:
    """The registry with seed call c1: customer leg "client" and agent 744's leg "agent744",
    both up and bridged."""
    external_call(registry, "c1", "744", "client", "agent744")
    return registry


@pytest.fixture
def clock() -> callsup.ManualClock:
    """A clock that moves only when the test says so."""
    return callsup.ManualClock()


@pytest.fixture
def data_dir() -> Path:
    """tests/data: the JSON documents the C++ tests load too."""
    return DATA_DIR


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Collects what reaches sys.unraisablehook (exceptions raised by subscribers that C++
    calls), instead of letting pytest turn them into warnings."""
    reports: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reports.append)
    yield reports
