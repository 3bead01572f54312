"""The plain-sqlite3 way into the database: same stored values and transaction rules as the ORM."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from studytui.core.storage.database import Database
from studytui.core.storage.models import StudySession
from studytui.core.storage.sqltypes import db_date, db_datetime, stored_date, utc_datetime


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "s.db", tmp_path / "backups")
    yield database
    database.close()


def test_values_round_trip_with_the_orm(db: Database) -> None:
    berlin = timezone(timedelta(hours=1))
    start = datetime(2026, 11, 21, 10, 30, 15, 123456, tzinfo=berlin)
    with db.write() as s:
        s.add(StudySession(category="theory", status="completed", source="manual",
                           started_at=start, ended_at=start + timedelta(minutes=25)))  # fmt: skip
    with db.query() as conn:
        text = conn.execute("SELECT started_at FROM study_session").fetchone()[0]
    assert text == db_datetime(start) == "2026-11-21 09:30:15.123456"
    back = utc_datetime(text)
    assert back == start
    assert back is not None
    assert back.tzinfo is UTC
    with db.change() as conn:
        conn.execute(
            "INSERT INTO study_session (category, status, source, started_at, paused_seconds) "
            "VALUES ('community', 'completed', 'manual', ?, 0)",
            (db_datetime(start + timedelta(hours=2)),),
        )
    with db.read() as s:
        starts = s.scalars(select(StudySession.started_at).order_by(StudySession.id)).all()
    assert starts == [start, start + timedelta(hours=2)]
    assert stored_date(db_date(date(2026, 3, 29))) == date(2026, 3, 29)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        db_datetime(datetime(2026, 11, 21, 9, 0))  # noqa: DTZ001 (the point of the test)


def test_change_rolls_back_on_error_and_query_sees_a_snapshot(db: Database) -> None:
    insert = (
        "INSERT INTO topic_status_event (topic_id, status, at) "
        "VALUES ('rag', 'done', '2026-11-21 09:00:00.000000')"
    )

    def failing_action() -> None:
        with db.change() as conn:
            conn.execute(insert)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_action()
    with db.query() as conn:
        assert conn.execute("SELECT count(*) FROM topic_status_event").fetchone()[0] == 0
        with db.query() as inner:  # nested: joins the outer snapshot
            assert inner is conn
        other = threading.Thread(target=lambda: _write(db, insert))
        other.start()
        other.join()
        # Committed by another thread meanwhile, but this snapshot predates it.
        assert conn.execute("SELECT count(*) FROM topic_status_event").fetchone()[0] == 0
    with db.query() as conn:
        assert conn.execute("SELECT count(*) FROM topic_status_event").fetchone()[0] == 1


def _write(db: Database, statement: str) -> None:
    with db.change() as conn:
        conn.execute(statement)


def test_connections_have_the_engine_pragmas_and_close(db: Database) -> None:
    with db.query() as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    db.close()
    with db.query() as conn:  # a new connection after close
        assert conn.execute("SELECT 1").fetchone()[0] == 1


def test_connections_are_pooled_not_kept_per_thread(db: Database) -> None:
    """Each worker thread reads through the pool: connections stay as many as ran at once."""
    seen: set[int] = set()

    def read() -> None:
        with db.query() as conn:
            seen.add(id(conn))

    for _ in range(20):
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()
    assert len(seen) == 1
    assert len(db._idle) == 1


def test_a_change_inside_a_query_is_refused(db: Database) -> None:
    with db.query(), pytest.raises(RuntimeError, match="nested"), db.change():
        pass
    with db.change() as outer, db.change() as inner:  # a change inside a change joins it
        assert inner is outer
