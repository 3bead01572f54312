"""The rows of a database file about to be restored, checked by the rules the app writes by.

A file can have studytui's schema and pass ``integrity_check`` and still hold rows the app
would never write (``started_at = 'garbage'``, a negative stability, a session in the future):
restored, they would break every later start. Every row is read here, with plain ``sqlite3``
(a restore must not depend on the ORM accepting the values), and checked by column type and by
the shared record rules of ``core/records.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from studytui.core.errors import Problem
from studytui.core.records import (
    SessionFacts,
    card_problems,
    rating_problems,
    session_problems,
    time_problems,
)
from studytui.core.storage.sqltypes import stored_datetime

MAX_PROBLEMS = 20
"""Enough to show what is wrong with a file; a file wrong in every row is refused either way."""


def _columns(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    return {r[1]: str(r[2]).upper() for r in conn.execute(f'PRAGMA table_info("{table}")')}


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def _typed(value: Any, decl: str) -> tuple[Any, str | None]:
    """The stored value as the app reads it, or why it cannot be one."""
    if value is None:
        return None, None
    if decl == "DATETIME":
        if not isinstance(value, str):
            return None, f"{value!r} is not a time"
        try:
            parsed = stored_datetime(value)
        except ValueError:
            return None, f"{value[:60]!r} is not a time"
        return parsed, None
    if decl == "DATE":
        try:
            return date.fromisoformat(value), None
        except (TypeError, ValueError):
            return None, f"{str(value)[:60]!r} is not a date"
    if decl == "INTEGER" and (not isinstance(value, int) or isinstance(value, bool)):
        return None, f"{str(value)[:60]!r} is not a whole number"
    if decl == "FLOAT" and not isinstance(value, int | float):
        return None, f"{str(value)[:60]!r} is not a number"
    return value, None


def _row_problems(table: str, row: dict[str, Any], now: datetime | None) -> list[tuple[str, str]]:
    if table == "study_session":
        facts = SessionFacts(
            str(row.get("status")),
            row["started_at"],
            row.get("ended_at"),
            row.get("paused_seconds") or 0,
            row.get("paused_at"),
            row.get("deleted_at"),
        )
        return session_problems(facts, now)
    if table == "card":
        return card_problems(
            row.get("stability"), row.get("difficulty"), row.get("step"), row.get("state")
        ) + time_problems("last_review", row.get("last_review"), now)
    if table == "review_log":
        rating = row.get("rating")
        found = rating_problems(rating) if isinstance(rating, int) else []
        return found + time_problems("reviewed_at", row.get("reviewed_at"), now)
    return []


def _problems(conn: sqlite3.Connection, name: str, now: datetime | None) -> Iterator[Problem]:
    for table in _tables(conn):
        columns = _columns(conn, table)
        quoted = ", ".join(f'"{c}"' for c in columns)
        for values in conn.execute(f'SELECT rowid, {quoted} FROM "{table}" ORDER BY rowid'):
            rowid, raw = values[0], values[1:]
            row: dict[str, Any] = {}
            bad = False
            for column, value in zip(columns, raw, strict=True):
                typed, why = _typed(value, columns[column])
                if why is not None:
                    bad = True
                    yield Problem(name, None, f"{table}[{rowid}].{column}", why)
                row[column] = typed
            if bad:
                continue
            for column, why in _row_problems(table, row, now):
                yield Problem(name, None, f"{table}[{rowid}].{column}", why)
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        yield Problem(name, None, f"{table}[{rowid}]", f"refers to a missing {parent} row")


def row_problems(conn: sqlite3.Connection, name: str, now: datetime | None) -> list[Problem]:
    """Up to MAX_PROBLEMS problems with the rows of ``conn``'s database (none: it is sound)."""
    out: list[Problem] = []
    for problem in _problems(conn, name, now):
        out.append(problem)
        if len(out) >= MAX_PROBLEMS:
            out.append(Problem(name, None, "", f"(only the first {MAX_PROBLEMS} are shown)"))
            break
    return out
