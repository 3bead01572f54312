"""Concurrency: processes sharing one database (one reviewing, one logging, one running a
timer) while the parent exports and takes backups. No "database is locked" reaches anyone and
nothing is lost: SQLite's WAL lets readers run beside the one writer, writers queue behind
``BEGIN IMMEDIATE`` with a busy timeout.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crash_harness import Reported, check_database, prepare_home, spawn
from studytui.core.backups import check_database_file, manual_backup
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.services.transfer import TransferService
from studytui.paths import AppPaths

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process handling")

BASE = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ACTIONS = 120


def test_two_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "studyhome"
    prepare_home(root, BASE)
    paths = AppPaths(config_dir=root / "config", data_dir=root / "data")
    # Separate stretches of time: the logger's sessions end before the timer's starts.
    reviewer = spawn("review", root, BASE + timedelta(days=1), 1, ACTIONS)
    logger = spawn("log", root, BASE + timedelta(days=2), 2, ACTIONS)
    timer = spawn("timer", root, BASE + timedelta(days=30), 3, ACTIONS)
    procs = {"review": reviewer, "log": logger, "timer": timer}
    # Meanwhile this process reads everything and copies the file, again and again.
    ctx = open_context(paths, ManualClock(BASE + timedelta(days=60)))
    exports = backups = 0
    try:
        while any(p.poll() is None for p in procs.values()) and exports < 200:
            doc = TransferService(ctx).document()
            assert doc["format"] == "studytui-export"
            exports += 1
            if exports % 5 == 1:  # from the first export: fast writers may finish early
                target = manual_backup(paths, ctx.clock.now() + timedelta(seconds=exports))
                assert check_database_file(target) > 0
                backups += 1
    finally:
        ctx.close()
    reported = Reported()
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{name} failed:\n{err}"
        assert "locked" not in err.lower(), err
        assert "Traceback" not in err, err
        lines = [line for line in out.splitlines() if line.strip()]
        assert len(lines) >= ACTIONS, f"{name} stopped early"
        reported.add(lines)
    assert len(reported.ratings) == ACTIONS
    assert len(reported.sessions) == ACTIONS
    assert len(reported.timers) == ACTIONS + 1
    assert exports > 0
    assert backups > 0
    check_database(root, reported)
    conn = sqlite3.connect(paths.database)
    try:
        assert conn.execute("SELECT count(*) FROM review_log").fetchone() == (ACTIONS,)
        assert conn.execute("SELECT count(*) FROM study_session").fetchone() == (ACTIONS + 1,)
    finally:
        conn.close()
