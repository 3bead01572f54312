"""The heavy versions of tests/test_crash.py and tests/test_concurrency.py.

Usage:
    uv run python scripts/torture.py [--kills 200] [--homes 2] [--timer-kills 20]
                                      [--rounds 5] [--actions 400] [--seed N] [--keep DIR]

Children rate cards and log sessions (or run a timer) through the real services and are SIGKILLed
at seeded random moments; after every kill the database must pass ``PRAGMA integrity_check`` and
hold every change the children reported as committed. Then ``--rounds`` rounds of a reviewer, a
logger and a timer sharing one database while this process exports and takes backups; no child may
see "database is locked" and nothing may be lost. Exits non-zero on the first failure.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from crash_harness import (
    Reported,
    check_database,
    copy_home,
    kill_after,
    prepare_home,
    spawn,
)

BASE = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def kill_loop(root: Path, seed: int, kills: int) -> Reported:
    rnd = random.Random(seed)
    reported = Reported()
    for k in range(kills):
        start = BASE + timedelta(days=60 * (k + 1))
        proc = spawn("work", root, start, rnd.randrange(1 << 30))
        reported.add(kill_after(proc, rnd.randrange(0, 80)))
        check_database(root, reported)
    return reported


def timer_kills(root: Path, seed: int, kills: int) -> int:
    from studytui.core.clock import ManualClock
    from studytui.core.context import open_context
    from studytui.core.services.sessions import RecoveryChoice, SessionsService
    from studytui.paths import AppPaths

    rnd = random.Random(seed)
    offered = 0
    for k in range(kills):
        start = BASE + timedelta(days=10 * (k + 1))
        reported = Reported()
        reported.add(kill_after(spawn("timer", root, start, k), rnd.randrange(1, 60)))
        check_database(root, reported)
        session_id, last = reported.timers[-1]
        paths = AppPaths(config_dir=root / "config", data_dir=root / "data")
        ctx = open_context(paths, ManualClock(last + timedelta(minutes=5)))
        try:
            sessions = SessionsService(ctx)
            found = sessions.abandoned()
            if found is None or found.session.id != session_id:
                raise AssertionError(f"kill {k}: the killed timer {session_id} was not offered")
            offered += 1
            sessions.stop(sessions.recover(session_id, RecoveryChoice.RESUME))
        finally:
            ctx.close()
    return offered


def concurrency_round(root: Path, actions: int, offset: int) -> tuple[int, int]:
    from studytui.core.backups import check_database_file, manual_backup
    from studytui.core.clock import ManualClock
    from studytui.core.context import open_context
    from studytui.core.services.transfer import TransferService
    from studytui.paths import AppPaths

    paths = AppPaths(config_dir=root / "config", data_dir=root / "data")
    base = BASE + timedelta(days=400 * (offset + 1))
    procs = {
        "review": spawn("review", root, base + timedelta(days=1), offset * 3 + 1, actions),
        "log": spawn("log", root, base + timedelta(days=2), offset * 3 + 2, actions),
        "timer": spawn("timer", root, base + timedelta(days=200), offset * 3 + 3, actions),
    }
    ctx = open_context(paths, ManualClock(base + timedelta(days=300)))
    exports = backups = 0
    try:
        while any(p.poll() is None for p in procs.values()):
            TransferService(ctx).document()
            exports += 1
            if exports % 3 == 0:
                target = manual_backup(paths, ctx.clock.now() + timedelta(seconds=exports))
                check_database_file(target)
                target.unlink()
                backups += 1
    finally:
        ctx.close()
    reported = Reported()
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or "locked" in err.lower() or "Traceback" in err:
            raise AssertionError(f"{name} failed (exit {proc.returncode}):\n{err}")
        reported.add([line for line in out.splitlines() if line.strip()])
    check_database(root, reported)
    # Close the timer left open, so the next round's logger is not refused by it.
    conn = sqlite3.connect(paths.database)
    conn.execute(
        "UPDATE study_session SET status = 'interrupted', ended_at = heartbeat_at "
        "WHERE status IN ('running', 'paused')"
    )
    conn.commit()
    conn.close()
    return exports, backups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--kills", type=int, default=200, help="SIGKILLs of rating/logging children"
    )
    parser.add_argument("--homes", type=int, default=2, help="homes killed side by side")
    parser.add_argument("--timer-kills", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5, help="concurrency rounds")
    parser.add_argument("--actions", type=int, default=400, help="changes per concurrent child")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="studytui-torture-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    template = work / "template"
    prepare_home(template, BASE)

    per_home = max(1, args.kills // args.homes)
    homes = []
    for i in range(args.homes):
        homes.append(work / f"kill-home-{i}")
        copy_home(template, homes[-1])
    with ThreadPoolExecutor(args.homes) as pool:
        results = list(
            pool.map(lambda i: kill_loop(homes[i], args.seed + i, per_home), range(args.homes))
        )
    ratings = sum(len(r.ratings) for r in results)
    sessions = sum(len(r.sessions) for r in results)
    print(
        f"{per_home * args.homes} kills while rating and logging: intact every time; "
        f"{ratings} ratings and {sessions} sessions reported saved, all found"
    )

    timer_home = work / "timer-home"
    copy_home(template, timer_home)
    offered = timer_kills(timer_home, args.seed, args.timer_kills)
    print(f"{args.timer_kills} kills of a running timer: resume offered {offered} times")

    shared = work / "shared-home"
    copy_home(template, shared)
    for r in range(args.rounds):
        exports, backups = concurrency_round(shared, args.actions, r)
        print(
            f"concurrency round {r + 1}: 3 writers x {args.actions} changes, "
            f"{exports} exports and {backups} backups alongside; nothing locked, nothing lost"
        )
    print(f"all passed in {time.monotonic() - started:.0f} s")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
