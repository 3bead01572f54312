"""Values as SQLAlchemy stores them in SQLite, for the plain-``sqlite3`` paths.

SQLAlchemy writes a ``DateTime`` as ``YYYY-MM-DD HH:MM:SS.ffffff`` text and a ``Date`` as
``YYYY-MM-DD``; ``UTCDateTime`` columns hold UTC. Reading and writing through these helpers keeps
rows written by ``sqlite3`` indistinguishable from rows written by the ORM.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def db_datetime(value: datetime) -> str:
    """An aware datetime as the stored UTC text; a naive one is refused, as the ORM refuses it."""
    if value.tzinfo is None:
        raise ValueError(f"refusing to store a naive datetime: {value!r}")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def utc_datetime(text: str | None) -> datetime | None:
    """Stored UTC text back as an aware datetime."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stored_datetime(text: str) -> datetime:
    """A NOT NULL column's stored UTC text as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def db_date(value: date) -> str:
    return value.isoformat()


def stored_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
