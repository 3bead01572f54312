"""Daily backups when the system clock was wrong once: a copy dated ahead of the clock is set
aside (kept, never rotated) instead of holding a rotation slot and standing in for its day."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from studytui.core.backups import daily_backups, list_backups, take_daily_backup


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "studytui.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    return db


def test_a_copy_taken_while_the_clock_ran_ahead_does_not_block_its_day(tmp_path: Path) -> None:
    db, folder = _db(tmp_path), tmp_path / "backups"
    real = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    ahead = real + timedelta(days=30)  # the clock was a month ahead for one start
    assert take_daily_backup(db, folder, ahead.date(), keep=3, now=ahead) is not None
    # The clock is right again: the next starts of the following days.
    for i in range(1, 4):
        now = real + timedelta(days=i)
        assert take_daily_backup(db, folder, now.date(), keep=3, now=now) is not None
    days = [d for d, _ in daily_backups(folder)]
    assert days == [date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 24)]
    kept = [b for b in list_backups(folder) if b.kind == "clock-ahead"]
    assert len(kept) == 1, "the early copy is kept, under a name that no rotation touches"
    assert "2026-12-21" in kept[0].path.name
    # When its date really comes, that day gets a real copy.
    day = ahead + timedelta(hours=1)
    assert take_daily_backup(db, folder, day.date(), keep=3, now=day) is not None
    assert date(2026, 12, 21) in [d for d, _ in daily_backups(folder)]


def test_a_right_copy_is_left_alone(tmp_path: Path) -> None:
    db, folder = _db(tmp_path), tmp_path / "backups"
    now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    made = take_daily_backup(db, folder, now.date(), keep=3, now=now)
    assert made is not None
    later = now + timedelta(hours=3)
    assert take_daily_backup(db, folder, later.date(), keep=3, now=later) is None
    assert made.exists()
    assert [b.kind for b in list_backups(folder)] == ["daily"]
