"""Backups: daily rotation, manual copies, restore (keeping what it replaces), private modes."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.core.backups import (
    check_database_file,
    daily_backups,
    make_private,
    restore,
    take_daily_backup,
)
from studytui.core.clock import ManualClock
from studytui.core.config import set_config_values
from studytui.core.context import AppContext, open_context
from studytui.core.errors import ConflictError, InputError
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.core.storage.database import read_version
from studytui.core.storage.migrations import LATEST_VERSION, MIGRATIONS
from studytui.paths import AppPaths


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def reopen(paths: AppPaths, clock: ManualClock) -> AppContext:
    ctx = open_context(paths, clock)
    ctx.close()
    return ctx


def statuses(paths: AppPaths) -> list[tuple[str, str]]:
    conn = sqlite3.connect(paths.database)
    try:
        return conn.execute(
            "SELECT topic_id, status FROM topic_status_event ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_daily_backup_once_per_study_day_and_rotated(paths: AppPaths, clock: ManualClock) -> None:
    reopen(paths, clock)
    assert daily_backups(paths.backup_dir) == [], "a database created just now is not copied"
    set_config_values(paths.config_file, {"backups_keep": "3"})
    for day in range(6):
        ctx = open_context(paths, clock)
        RoadmapService(ctx).set_topic_status(f"topic-{day}", TopicStatus.DONE)
        ctx.close()
        reopen(paths, clock)  # a second start the same day takes no second copy
        clock.advance(days=1)
    found = daily_backups(paths.backup_dir)
    assert [d.isoformat() for d, _ in found] == ["2026-11-24", "2026-11-25", "2026-11-26"]
    # The copy of 26 November was taken at the first start that day: before topic-5 was set.
    conn = sqlite3.connect(found[-1][1])
    rows = conn.execute("SELECT topic_id FROM topic_status_event ORDER BY id").fetchall()
    conn.close()
    assert rows == [(f"topic-{i}",) for i in range(5)]
    assert check_database_file(found[-1][1]) == LATEST_VERSION


def test_study_day_rolls_over_at_the_configured_hour(paths: AppPaths) -> None:
    # 01:30 in Berlin on Sunday still belongs to Saturday's study day (rollover 04:00).
    clock = ManualClock(datetime(2026, 11, 22, 0, 30, tzinfo=UTC))
    reopen(paths, clock)
    reopen(paths, clock)
    assert [d.isoformat() for d, _ in daily_backups(paths.backup_dir)] == ["2026-11-21"]
    clock.advance(hours=3)  # 04:30 Berlin: Sunday
    reopen(paths, clock)
    assert [d.isoformat() for d, _ in daily_backups(paths.backup_dir)] == [
        "2026-11-21",
        "2026-11-22",
    ]


def test_rotation_never_deletes_other_backups(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    sqlite3.connect(db).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    others = ["studytui-manual-20260101T000000Z.db", "studytui-v1-before-migration-x.db",
              "studytui-before-restore-20260101T000000Z.db", "notes.txt"]  # fmt: skip
    for name in others:
        (folder / name).write_text("keep me")
    start = datetime(2026, 1, 1, tzinfo=UTC).date()
    for i in range(10):
        take_daily_backup(db, folder, start + timedelta(days=i), keep=2)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [*others, "studytui-daily-2026-01-09.db", "studytui-daily-2026-01-10.db"]
    )


def test_keep_zero_turns_daily_backups_off(paths: AppPaths, clock: ManualClock) -> None:
    reopen(paths, clock)
    set_config_values(paths.config_file, {"backups_keep": "0"})
    clock.advance(days=1)
    reopen(paths, clock)
    assert daily_backups(paths.backup_dir) == []


def test_a_failing_daily_backup_is_a_notice_not_a_crash(
    paths: AppPaths, clock: ManualClock
) -> None:
    reopen(paths, clock)
    paths.backup_dir.write_text("a file where the backup folder should be")
    clock.advance(days=1)
    ctx = open_context(paths, clock)
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)  # the database works
    ctx.close()
    assert len(ctx.notices) == 1
    assert "daily backup" in ctx.notices[0]


def test_files_are_private(paths: AppPaths, clock: ManualClock) -> None:
    ctx = open_context(paths, clock)
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.LEARNING)
    db = paths.database
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert path.stat().st_mode & 0o777 == 0o600, path
    ctx.close()
    clock.advance(days=1)
    reopen(paths, clock)
    backups = list(paths.backup_dir.iterdir())
    assert backups
    for path in backups:
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert paths.backup_dir.stat().st_mode & 0o777 == 0o700
    assert paths.data_dir.stat().st_mode & 0o777 == 0o700
    # Files made loose by hand (or an older version) are repaired at the next start.
    db.chmod(0o644)
    backups[0].chmod(0o644)
    make_private(paths)
    assert db.stat().st_mode & 0o777 == 0o600
    assert backups[0].stat().st_mode & 0o777 == 0o600


# -- studytui backup / restore ------------------------------------------------------------------


def test_backup_command_and_list(
    ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    code, out, _ = cli(capsys, "backup")
    assert code == 0
    made = Path(out.strip().removeprefix("Backup written to "))
    assert made.parent == ctx.paths.backup_dir
    assert made.stat().st_mode & 0o777 == 0o600
    assert check_database_file(made) == LATEST_VERSION
    code, out, _ = cli(capsys, "backup", "--list")
    assert code == 0
    assert made.name in out
    assert "manual" in out
    target = tmp_path / "mine.db"
    code, _, _ = cli(capsys, "backup", str(target))
    assert code == 0
    assert target.stat().st_mode & 0o777 == 0o600
    # An existing file is never replaced.
    before = target.read_bytes()
    code, _, err = cli(capsys, "backup", str(target))
    assert code == 1
    assert "file exists" in err
    assert "Traceback" not in err
    assert target.read_bytes() == before


def test_restore_replaces_content_and_keeps_a_copy(
    ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roadmap = RoadmapService(ctx)
    roadmap.set_topic_status("rag", TopicStatus.LEARNING)
    saved = tmp_path / "saved.db"
    assert cli(capsys, "backup", str(saved))[0] == 0
    roadmap.set_topic_status("rag", TopicStatus.DONE)
    # ctx stays open while restoring, as another process would: it must see the restored data.
    code, out, err = cli(capsys, "restore", str(saved))
    assert code == 0, err
    kept = Path(out.strip().splitlines()[-1].removeprefix("The database it replaced is kept as "))
    assert kept.parent == ctx.paths.backup_dir
    assert roadmap.topic_statuses(["rag"]) == {"rag": TopicStatus.LEARNING}
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT status FROM topic_status_event ORDER BY id").fetchall() == [
        ("learning",),
        ("done",),
    ]
    conn.close()
    assert conn is not None
    roadmap.set_topic_status("rag", TopicStatus.SKIPPED)  # the live file still works
    assert statuses(ctx.paths)[-1] == ("rag", "skipped")
    integrity = sqlite3.connect(ctx.paths.database).execute("PRAGMA integrity_check").fetchone()
    assert integrity == ("ok",)


def test_restore_by_name_from_the_backup_folder(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    code, out, _ = cli(capsys, "backup")
    name = Path(out.strip().removeprefix("Backup written to ")).name
    RoadmapService(ctx).set_topic_status("nlp", TopicStatus.DONE)
    code, _, err = cli(capsys, "restore", name)
    assert code == 0, err
    assert statuses(ctx.paths) == [("rag", "done")]


def test_restore_is_refused_while_a_timer_runs(
    ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert cli(capsys, "backup", str(saved))[0] == 0
    conn = sqlite3.connect(ctx.paths.database)
    conn.execute(
        "INSERT INTO study_session (category, source, status, started_at, paused_seconds) "
        "VALUES ('theory', 'timer', 'running', '2026-11-21 08:50:00', 0)"
    )
    conn.commit()
    conn.close()
    before = statuses(ctx.paths)
    code, _, err = cli(capsys, "restore", str(saved))
    assert code == 1
    assert "a timer is running" in err
    assert "--force" in err
    assert list(ctx.paths.backup_dir.glob("studytui-before-restore-*")) == []
    assert statuses(ctx.paths) == before
    code, _, err = cli(capsys, "restore", "--force", str(saved))
    assert code == 0, err
    assert len(list(ctx.paths.backup_dir.glob("studytui-before-restore-*"))) == 1


BAD_RESTORE_FILES: list[tuple[str, bytes, str]] = [
    ("empty.db", b"", "not a SQLite database"),
    ("text.db", b"hello, I am not a database\n", "not a SQLite database"),
    ("garbage.db", bytes(range(256)) * 64, "not a SQLite database"),
    ("truncated.db", b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 30, "not a"),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD_RESTORE_FILES)
def test_restore_refuses_files_that_are_not_studytui_backups(
    ctx: AppContext,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    content: bytes,
    words: str,
) -> None:
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    bad = tmp_path / name
    bad.write_bytes(content)
    db_before = statuses(ctx.paths)
    code, _, err = cli(capsys, "restore", str(bad))
    assert code == 2
    assert err.startswith(f"studytui: {bad}: ")
    assert words in err
    assert "Traceback" not in err
    assert bad.read_bytes() == content
    assert statuses(ctx.paths) == db_before


def test_restore_refuses_foreign_sqlite_and_newer_files(
    ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    code, _, err = cli(capsys, "restore", str(foreign))
    assert code == 2
    assert f"{foreign}: checklist_event: table missing" in err
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    code, _, err = cli(capsys, "restore", str(newer))
    assert code == 2
    assert "newer studytui" in err
    code, _, err = cli(capsys, "restore", str(tmp_path / "missing.db"))
    assert code == 2
    assert "no such file" in err
    code, _, err = cli(capsys, "restore", str(ctx.paths.database))
    assert code == 1
    assert "is the database itself" in err


def test_restore_an_older_schema_upgrades_it(
    ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO topic_status_event (topic_id, status, at) "
        "VALUES ('rag', 'done', '2026-01-01 10:00:00.000000')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    code, out, err = cli(capsys, "restore", str(old))
    assert code == 0, err
    assert "upgraded" in out
    assert read_version(ctx.paths.database) == LATEST_VERSION
    assert statuses(ctx.paths) == [("rag", "done")]
    assert RoadmapService(ctx).topic_statuses(["rag"]) == {"rag": TopicStatus.DONE}


def test_restore_over_a_damaged_database_moves_it_aside(
    paths: AppPaths, clock: ManualClock, tmp_path: Path
) -> None:
    ctx = open_context(paths, clock)
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    ctx.close()
    saved = tmp_path / "saved.db"
    from studytui.core.backups import manual_backup

    manual_backup(paths, clock.now(), saved)
    damaged = b"SQLite format 3\x00" + os.urandom(8192)
    paths.database.write_bytes(damaged)
    result = restore(paths, saved, clock.now())
    assert result.kept_copy is not None
    assert result.kept_copy.read_bytes() == damaged
    assert statuses(paths) == [("rag", "done")]


def test_restore_into_a_missing_database(
    paths: AppPaths, clock: ManualClock, tmp_path: Path
) -> None:
    ctx = open_context(paths, clock)
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    ctx.close()
    saved = tmp_path / "saved.db"
    from studytui.core.backups import manual_backup

    manual_backup(paths, clock.now(), saved)
    for extra in ("", "-wal", "-shm"):
        Path(str(paths.database) + extra).unlink(missing_ok=True)
    result = restore(paths, saved, clock.now())
    assert result.kept_copy is None
    assert statuses(paths) == [("rag", "done")]
    assert paths.database.stat().st_mode & 0o777 == 0o600


def test_restore_refusal_raises_typed_errors(paths: AppPaths, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        restore(paths, tmp_path / "nope.db", datetime(2026, 1, 1, tzinfo=UTC))
    paths.ensure()
    sqlite3.connect(paths.database).close()
    with pytest.raises(ConflictError):
        restore(paths, paths.database, datetime(2026, 1, 1, tzinfo=UTC))
