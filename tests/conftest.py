"""Shared fixtures: every test runs in its own empty home with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.paths import AppPaths

# Saturday 21 November 2026, 10:00 in Berlin.
FIXED_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and every XDG dir at a temporary folder so no test touches a real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    return home


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(FIXED_NOW)


@pytest.fixture
def cli_clock(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> ManualClock:
    """The command line reads the test's clock instead of the wall clock."""
    monkeypatch.setattr("studytui.cli.common.SystemClock", lambda: clock)
    return clock


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.default()


@pytest.fixture
def ctx(paths: AppPaths, clock: ManualClock) -> Iterator[AppContext]:
    context = open_context(paths, clock)
    yield context
    context.close()
