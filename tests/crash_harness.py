"""Child processes that use the real services, for the crash and concurrency tests.

Run as ``python crash_harness.py ROLE HOME START SEED [COUNT]``. The child opens the studytui home
under HOME with a ManualClock at START (ISO) and works, printing one line per change *after* its
transaction committed:

- ``rate CARD_ID REVIEWED_AT``: a card rated through ``ReviewSession.rate`` + ``flush``;
- ``session SESSION_ID STARTED_AT``: a session logged through ``SessionsService.log``;
- ``timer SESSION_ID STARTED_AT`` then ``beat SESSION_ID AT``: a pomodoro started and its
  heartbeats, through ``SessionsService.start`` / ``heartbeat``.

Roles: ``work`` (rate and log, interleaved), ``review``, ``log``, ``timer``. The child stops after
COUNT changes (default: never; the parent kills it). ``scripts/torture.py`` and the tests drive
these children and check the database against what they printed.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studytui.core.storage.uri import file_uri

HARNESS = Path(__file__).resolve()
SRC = HARNESS.parent.parent / "src"


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


# -- the child ------------------------------------------------------------------------------------


def child(role: str, root: Path, start: datetime, seed: int, count: int | None) -> None:
    from studytui.core.categories import CATEGORIES, Category
    from studytui.core.clock import ManualClock
    from studytui.core.context import open_context
    from studytui.core.services.review import ReviewService
    from studytui.core.services.sessions import SessionsService
    from studytui.core.timer import WorkTarget
    from studytui.paths import AppPaths

    rnd = random.Random(seed)
    clock = ManualClock(start)
    paths = AppPaths(config_dir=root / "config", data_dir=root / "data")
    # Ready before opening: a kill right away lands in the start-up (migration check, daily backup).
    print("ready", flush=True)
    ctx = open_context(paths, clock)
    out = sys.stdout
    done = 0
    sessions = SessionsService(ctx)
    if role == "timer":
        state = sessions.start(sessions.load_timer(), WorkTarget(Category.THEORY, "rag"))
        print(f"timer {state.session_id} {iso(clock.now())}", file=out, flush=True)
        while count is None or done < count:
            clock.advance(seconds=30)
            state = sessions.heartbeat(state)
            print(f"beat {state.session_id} {iso(clock.now())}", file=out, flush=True)
            done += 1
        ctx.close()
        return
    review = ReviewService(ctx)
    queue = review.start()
    while count is None or done < count:
        if role == "log" or (role == "work" and rnd.random() < 0.4):
            clock.advance(minutes=3)
            view = sessions.log(
                timedelta(minutes=1),
                rnd.choice(CATEGORIES),
                start=clock.now() - timedelta(minutes=2),
                note=f"child {seed}",
            )
            print(f"session {view.id} {iso(view.started_at)}", file=out, flush=True)
        else:
            card = queue.next_card()
            if card is None:
                clock.advance(days=1)
                queue = review.start()
                continue
            clock.advance(seconds=rnd.randint(5, 40))
            outcome = queue.rate(rnd.choice((1, 2, 3, 3, 3, 4)))
            queue.flush()
            print(f"rate {card.id} {iso(outcome.reviewed_at)}", file=out, flush=True)
        done += 1
    ctx.close()


# -- the parent -----------------------------------------------------------------------------------


@dataclass
class Reported:
    """What children said they saved."""

    ratings: list[tuple[int, datetime]] = field(default_factory=list)
    sessions: list[tuple[int, datetime]] = field(default_factory=list)
    timers: list[tuple[int, datetime]] = field(default_factory=list)  # (session id, last beat)

    def add(self, lines: list[str]) -> None:
        for line in lines:
            kind, ident, when = line.split()
            at = datetime.fromisoformat(when)
            if kind == "rate":
                self.ratings.append((int(ident), at))
            elif kind == "session":
                self.sessions.append((int(ident), at))
            elif kind in ("timer", "beat"):
                self.timers.append((int(ident), at))

    @property
    def total(self) -> int:
        return len(self.ratings) + len(self.sessions) + len(self.timers)


def copy_home(source: Path, target: Path) -> None:
    """A copy of a prepared home (its database made self-contained first)."""
    import shutil

    conn = sqlite3.connect(source / "data" / "studytui.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copytree(source, target)


def prepare_home(root: Path, start: datetime) -> None:
    """A home with the bundled decks loaded (so there are cards to rate)."""
    from studytui.core.clock import ManualClock
    from studytui.core.context import open_context
    from studytui.core.decks.sync import sync_decks
    from studytui.paths import AppPaths

    ctx = open_context(
        AppPaths(config_dir=root / "config", data_dir=root / "data"), ManualClock(start)
    )
    try:
        sync_decks(ctx)
    finally:
        ctx.close()


def spawn(
    role: str, root: Path, start: datetime, seed: int, count: int | None = None
) -> subprocess.Popen[str]:
    args = [sys.executable, str(HARNESS), role, str(root), start.isoformat(), str(seed)]
    if count is not None:
        args.append(str(count))
    env = {**_env(), "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != "ready":
        proc.kill()
        _, err = proc.communicate()
        raise RuntimeError(f"child did not start: {first!r} {err}")
    return proc


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def kill_after(proc: subprocess.Popen[str], lines: int) -> list[str]:
    """Read ``lines`` reports, then SIGKILL the child wherever it is; every complete report."""
    assert proc.stdout is not None
    got: list[str] = []
    for _ in range(lines):
        line = proc.stdout.readline()
        if not line:
            break
        got.append(line)
    proc.kill()  # SIGKILL on POSIX
    rest, err = proc.communicate()
    if proc.returncode not in (-9, 0) or "Traceback" in err:
        raise RuntimeError(f"the child failed on its own (exit {proc.returncode}):\n{err}")
    got.append(rest)
    text = "".join(got)
    # A report cut off by the kill has no newline: its change may or may not have committed.
    complete = text.split("\n")[:-1]
    return [line for line in complete if line.strip()]


def check_database(root: Path, reported: Reported) -> None:
    """The file is intact and holds everything reported as saved; every backup is intact."""
    db = root / "data" / "studytui.db"
    for backup in sorted((root / "data" / "backups").glob("*.db")):
        copy = sqlite3.connect(file_uri(backup), uri=True)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)], backup
        finally:
            copy.close()
    conn = sqlite3.connect(db, timeout=10)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for card_id, at in reported.ratings:
            row = conn.execute(
                "SELECT count(*) FROM review_log WHERE card_id = ? AND reviewed_at = ?",
                (card_id, _stored(at)),
            ).fetchone()
            assert row[0] >= 1, f"rating of card {card_id} at {at} was lost"
            last = conn.execute("SELECT last_review FROM card WHERE id = ?", (card_id,)).fetchone()
            assert last[0] is not None, f"card {card_id} lost its state"
            assert last[0] >= _stored(at), f"card {card_id} lost its state"
        for session_id, at in reported.sessions:
            row = conn.execute(
                "SELECT started_at, deleted_at FROM study_session WHERE id = ?", (session_id,)
            ).fetchone()
            assert row == (_stored(at), None), f"session {session_id} was lost"
        last_beat: dict[int, datetime] = {}
        for session_id, at in reported.timers:
            last_beat[session_id] = max(at, last_beat.get(session_id, at))
        for session_id, at in last_beat.items():
            row = conn.execute(
                "SELECT heartbeat_at FROM study_session WHERE id = ?", (session_id,)
            ).fetchone()
            assert row is not None, f"timer session {session_id} was lost"
            assert row[0] >= _stored(at), f"timer {session_id} lost heartbeats"
    finally:
        conn.close()


def _stored(at: datetime) -> str:
    """How UTCDateTime stores an instant in SQLite."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


if __name__ == "__main__":
    role, root, start, seed = sys.argv[1:5]
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else None
    child(role, Path(root), datetime.fromisoformat(start), int(seed), limit)
