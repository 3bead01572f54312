"""Schema migrations: a hand-built version-1 file upgrades with a backup and loses nothing."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from studytui.core.errors import DatabaseError
from studytui.core.storage.database import Database, read_version
from studytui.core.storage.migrations import LATEST_VERSION, MIGRATIONS
from studytui.core.storage.models import Base


def build_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO topic_status_event (topic_id, status, at) "
        "VALUES ('rag', 'learning', '2026-11-01 10:00:00.000000')"
    )
    conn.execute(
        "INSERT INTO checklist_event (curriculum_id, list_id, item, done, at) VALUES "
        "('ml-ai-senior-12w', 'milestone:month-1', 'Build first ML model', 1, "
        "'2026-11-02 10:00:00.000000')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_upgrade_from_version_1_keeps_everything(tmp_path: Path) -> None:
    db_path = tmp_path / "studytui.db"
    build_v1(db_path)
    db = Database(db_path, tmp_path / "backups")
    try:
        assert db.previous_version == 1
        assert read_version(db_path) == LATEST_VERSION
        backups = list((tmp_path / "backups").glob("*.db"))
        assert len(backups) == 1
        assert read_version(backups[0]) == 1
        conn = sqlite3.connect(db_path)
        rows = conn.execute("SELECT topic_id, status, at FROM topic_status_event").fetchall()
        assert rows == [("rag", "learning", "2026-11-01 10:00:00.000000")]
        assert conn.execute("SELECT count(*) FROM checklist_event").fetchone() == (1,)
        conn.close()
        from studytui.core.storage.models import TopicStatusEvent

        with db.read() as s:
            event = s.query(TopicStatusEvent).one()
            assert event.at.tzinfo is not None
    finally:
        db.close()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    db = Database(tmp_path / "new.db", tmp_path / "backups")
    try:
        inspector = inspect(db.engine)
        for table in Base.metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
        conn = db.engine.raw_connection()
        try:
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
            }
        finally:
            conn.close()
        for table in Base.metadata.sorted_tables:
            assert names >= {str(i.name) for i in table.indexes}, table.name
        assert not list((tmp_path / "backups").glob("*")), "no backup for a new file"
    finally:
        db.close()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    db_path = tmp_path / "future.db"
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer studytui"):
        Database(db_path, tmp_path / "backups")
    assert db_path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "garbage.db"
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="not a studytui database"):
        Database(db_path, tmp_path / "backups")


def test_database_file_is_private(tmp_path: Path) -> None:
    db = Database(tmp_path / "private.db", tmp_path / "backups")
    db.close()
    assert (tmp_path / "private.db").stat().st_mode & 0o777 == 0o600


def test_one_running_session_at_most(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.db", tmp_path / "backups")
    db.close()
    conn = sqlite3.connect(tmp_path / "s.db")
    insert = (
        "INSERT INTO study_session (category, source, status, started_at, paused_seconds) "
        "VALUES ('theory', 'timer', ?, '2026-11-01 10:00:00', 0)"
    )
    conn.execute(insert, ("running",))
    conn.execute(insert, ("completed",))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(insert, ("paused",))
    conn.close()


def test_a_newer_database_names_the_copy_taken_before_its_migration(tmp_path: Path) -> None:
    """Downgrade safety: the refusal says which copy this version can open again."""
    db_path, backups = tmp_path / "future.db", tmp_path / "backups"
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    backups.mkdir()
    for name in (
        f"studytui-v{LATEST_VERSION}-before-migration-20261101T100000Z.db",
        f"studytui-v{LATEST_VERSION}-before-migration-20261201T100000Z.db",
        f"studytui-v{LATEST_VERSION + 1}-before-migration-20261202T100000Z.db",  # too new too
        "studytui-20261203.db",  # a daily backup, at the new schema
    ):
        (backups / name).write_bytes(b"")
    with pytest.raises(DatabaseError) as err:
        Database(db_path, backups)
    wanted = backups / f"studytui-v{LATEST_VERSION}-before-migration-20261201T100000Z.db"
    assert f"studytui restore {shlex.quote(str(wanted))} " in str(err.value)


def test_a_version_3_file_without_the_session_time_zone_gets_it(tmp_path: Path) -> None:
    """505eaa7 to 987fa17's parent made version 3 without study_session.timezone (987fa17 added
    it in place); migration 8 adds it there and nowhere else."""
    db_path = tmp_path / "early.db"
    conn = sqlite3.connect(db_path)
    for step in MIGRATIONS[:3]:
        for statement in step.statements:
            conn.execute(statement)
    conn.execute("ALTER TABLE study_session DROP COLUMN timezone")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    Database(db_path, tmp_path / "backups").close()
    conn = sqlite3.connect(db_path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(study_session)")]
    conn.close()
    assert columns.count("timezone") == 1
    fresh = tmp_path / "fresh.db"
    Database(fresh, tmp_path / "backups2").close()
    conn = sqlite3.connect(fresh)
    assert [row[1] for row in conn.execute("PRAGMA table_info(study_session)")].count(
        "timezone"
    ) == 1
    conn.close()
