"""Crash safety: children rating cards, logging sessions or running a timer are SIGKILLed at
seeded random moments; each time the database is intact and holds everything they reported saved.

The kills land wherever the child is (mid-transaction, mid-commit, mid-backup): the parent reads a
seeded random number of reports and kills at once, while the child keeps working. Several homes run
side by side to keep the suite fast; ``scripts/torture.py`` runs hundreds of kills.
"""

from __future__ import annotations

import random
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crash_harness import Reported, check_database, copy_home, kill_after, prepare_home, spawn
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.services.session_log import SessionStatus
from studytui.core.services.sessions import RecoveryChoice, SessionsService
from studytui.paths import AppPaths

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

BASE = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HOMES = 2  # side by side
KILLS_PER_HOME = 3
SEED = 20261121


def paths_of(root: Path) -> AppPaths:
    return AppPaths(config_dir=root / "config", data_dir=root / "data")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prepared") / "home"
    prepare_home(root, BASE)
    return root


def kill_loop(root: Path, seed: int, kills: int) -> tuple[int, Reported]:
    """Run ``kills`` children one after another on one home, each killed at a random moment."""
    rnd = random.Random(seed)
    reported = Reported()
    for k in range(kills):
        start = BASE + timedelta(days=60 * (k + 1))  # each child in its own stretch of time
        proc = spawn("work", root, start, rnd.randrange(1 << 30))
        reported.add(kill_after(proc, rnd.randrange(0, 40)))
        check_database(root, reported)
    return kills, reported


def test_sigkill_while_rating_and_logging_loses_nothing(prepared: Path, tmp_path: Path) -> None:
    for i in range(HOMES):
        copy_home(prepared, tmp_path / f"home{i}")
    with ThreadPoolExecutor(HOMES) as pool:
        results = list(
            pool.map(
                lambda i: kill_loop(tmp_path / f"home{i}", SEED + i, KILLS_PER_HOME),
                range(HOMES),
            )
        )
    kills = sum(k for k, _ in results)
    ratings = sum(len(r.ratings) for _, r in results)
    sessions = sum(len(r.sessions) for _, r in results)
    assert kills == HOMES * KILLS_PER_HOME
    assert ratings > 0
    assert sessions > 0


def test_sigkill_of_a_running_timer_offers_to_resume_it(prepared: Path, tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    root = tmp_path / "studyhome"
    copy_home(prepared, root)
    for k in range(2):
        start = BASE + timedelta(days=10 * (k + 1))
        proc = spawn("timer", root, start, k)
        lines = kill_after(proc, rnd.randrange(1, 30))
        reported = Reported()
        reported.add(lines)
        check_database(root, reported)
        session_id, last_beat = reported.timers[-1]
        # The next start finds the session nobody owns any more and offers to resume it.
        clock = ManualClock(last_beat + timedelta(minutes=5))
        ctx = open_context(paths_of(root), clock)
        try:
            sessions = SessionsService(ctx)
            found = sessions.abandoned()
            assert found is not None
            assert found.session.id == session_id
            assert found.last_heartbeat >= last_beat
            state = sessions.recover(session_id, RecoveryChoice.RESUME)
            assert state.session_id == session_id
            assert sessions.get(session_id).status is SessionStatus.RUNNING
            sessions.stop(state)
            assert sessions.get(session_id).status in (
                SessionStatus.COMPLETED,
                SessionStatus.INTERRUPTED,
            )
        finally:
            ctx.close()


async def test_the_app_asks_about_a_killed_timer(prepared: Path, tmp_path: Path) -> None:
    from studytui.ui.app import StudyApp
    from studytui.ui.screens.recovery import RecoveryScreen

    root = tmp_path / "studyhome"
    copy_home(prepared, root)
    proc = spawn("timer", root, BASE + timedelta(days=1), 7)
    reported = Reported()
    reported.add(kill_after(proc, 5))
    session_id, last_beat = reported.timers[-1]
    ctx = open_context(paths_of(root), ManualClock(last_beat + timedelta(minutes=2)))
    try:
        app = StudyApp(ctx)
        async with app.run_test(size=(110, 40)) as pilot:
            for _ in range(20):
                await pilot.pause()
                await app.workers.wait_for_complete()
                if isinstance(app.screen, RecoveryScreen):
                    break
            assert isinstance(app.screen, RecoveryScreen)
            await pilot.press("r")
            for _ in range(10):
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert app.timer.state.session_id == session_id
    finally:
        ctx.close()
