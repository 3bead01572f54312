"""The review queue's reads as SQL text on plain ``sqlite3``: decks, the day's answers, and the
due learning and review cards.

Why not SQLAlchemy statements: SQLAlchemy compiles each statement on its first use in a process,
and for the queue's first card that compiling cost more than the reads themselves (at 100k cards
/ 1M reviews, ~25 ms of ~60 ms, against ~35 ms for Anki's whole first queue). The review screen's
first card (``queue.start_head``) reads through ``Database.query``; the whole queue runs the same
reads on its ORM session's own connection (``raw_connection``), in the same snapshot as its new
cards. Times are read back as ``sqltypes`` stores them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from studytui.core.scheduling import Status
from studytui.core.services.deck_stats_sql import DONE_PER_DECK, INTERDAY_DONE_PER_DECK
from studytui.core.storage.sqltypes import db_date, db_datetime, utc_datetime

NEW, LEARNING, REVIEW, RELEARNING = (int(s) for s in Status)


@dataclass(frozen=True)
class DeckRef:
    """A deck as the queue needs it."""

    id: int
    name: str
    title: str
    topic_id: str | None


class QueueRow(NamedTuple):
    """A card as the queue reads it, in ``views.CARD_COLUMNS``' order (``row_view`` reads both)."""

    id: int
    deck_id: int
    key: str
    kind: str
    front: str
    back: str
    tags: str
    origin: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None
    edited_at: datetime | None
    reps: int
    lapses: int


_CARD_FIELDS = (
    "c.id, c.deck_id, c.key, c.kind, c.front, c.back, c.tags, c.origin, c.state, c.step,"
    " c.stability, c.difficulty, c.due, c.last_review, c.edited_at"
)
_COLUMNS = (
    f"{_CARD_FIELDS},"
    # Its reviews (with the id, the seed of its fuzz) and lapses (leeches), by the log's indexes.
    " (SELECT count(*) FROM review_log AS r WHERE r.card_id = c.id),"
    f" (SELECT count(*) FROM review_log AS r WHERE r.card_id = c.id AND r.state_before = {REVIEW}"
    " AND r.rating = 1)"
)
# Cards that can be shown today, spelt with literals so that SQLite uses the partial index
# ix_card_queue (``views.active_clause``).
_ACTIVE = (
    "c.retired_at IS NULL AND c.suspended = 0"
    " AND (c.buried_until IS NULL OR c.buried_until <= :today)"
)


def raw_connection(s: Session) -> sqlite3.Connection:
    """The ``sqlite3`` connection under an ORM session: its reads share the session's snapshot."""
    conn: Any = s.connection().connection.driver_connection
    return conn  # type: ignore[no-any-return]


def deck_rows(conn: sqlite3.Connection) -> list[DeckRef]:
    rows = conn.execute("SELECT id, name, title, topic_id FROM deck ORDER BY name")
    return [DeckRef(int(i), str(n), str(t), tid) for i, n, t, tid in rows]


def _members(ids: Sequence[int] | None) -> str:
    """Cards of these decks (None: every deck), their own and the ones they include."""
    if ids is None:
        return ""
    listed = ", ".join(str(int(i)) for i in ids)
    return (
        f" AND (c.deck_id IN ({listed}) OR c.id IN"
        f" (SELECT card_id FROM deck_include WHERE deck_id IN ({listed})))"
    )


def _row(r: Sequence[Any]) -> QueueRow:
    return QueueRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
        utc_datetime(r[12]), utc_datetime(r[13]), utc_datetime(r[14]), int(r[15]), int(r[16]),
    )  # fmt: skip


def learning_rows(
    conn: sqlite3.Connection, ids: Sequence[int] | None, day_end: datetime, today: date
) -> list[QueueRow]:
    """Learning and relearning cards due before the day ends, by due time."""
    sql = (
        f"SELECT {_COLUMNS} FROM card AS c WHERE c.state IN ({LEARNING}, {RELEARNING})"
        f" AND c.due < :end AND {_ACTIVE}{_members(ids)} ORDER BY c.due, c.id"
    )
    params = {"end": db_datetime(day_end), "today": db_date(today)}
    return [_row(r) for r in conn.execute(sql, params)]


def review_rows(
    conn: sqlite3.Connection,
    ids: Sequence[int] | None,
    day_end: datetime,
    today: date,
    limit: int | None = None,
) -> Iterator[QueueRow]:
    """Review cards due before the day ends, by due date (the first ``limit`` of them)."""
    sql = (
        f"SELECT {_COLUMNS} FROM card AS c WHERE c.state = {REVIEW} AND c.due < :end"
        f" AND {_ACTIVE}{_members(ids)} ORDER BY c.due, c.id"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    params = {"end": db_datetime(day_end), "today": db_date(today)}
    return (_row(r) for r in conn.execute(sql, params))


def answered_rows(conn: sqlite3.Connection, day_start: datetime) -> Iterable[tuple[int, str, int]]:
    """The study day's answers: (home deck, card key, state before), once per card and state."""
    return conn.execute(
        "SELECT DISTINCT c.deck_id, c.key, l.state_before FROM review_log AS l"
        " JOIN card AS c ON c.id = l.card_id WHERE l.reviewed_at >= :start",
        {"start": db_datetime(day_start)},
    )


def done_by_deck(
    conn: sqlite3.Connection, start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    """The study day's ratings per deck id: (new cards introduced, reviews of review cards);
    the day's first answers of interday learning cards count as reviews (as in Anki)."""
    params = {"start": db_datetime(start), "end": db_datetime(end)}
    counted = [*conn.execute(DONE_PER_DECK, params)]
    counted += [(deck_id, REVIEW, n) for deck_id, n in conn.execute(INTERDAY_DONE_PER_DECK, params)]
    done: dict[int, tuple[int, int]] = {}
    for deck_id, state, n in counted:
        new, reviews = done.get(int(deck_id), (0, 0))
        if int(state) == NEW:
            new += int(n)
        else:
            reviews += int(n)
        done[int(deck_id)] = (new, reviews)
    return done


class NewRow(NamedTuple):
    """A new card as the queue walks them: enough for the limits and burying."""

    id: int
    deck_id: int
    key: str


def new_rows(conn: sqlite3.Connection, ids: Sequence[int], today: date) -> dict[int, list[NewRow]]:
    """Each deck's new cards that can be shown today, its own and the ones it includes, in
    file order (position, then id), by deck id. Only what the walk needs: the ~10,000 taken at
    100k cards are read in full afterwards (``full_rows``)."""
    listed = ", ".join(str(int(i)) for i in ids)
    where = f"c.state = {NEW} AND {_ACTIVE}"
    sql = (
        "SELECT c.deck_id, c.position, c.id, c.deck_id, c.key FROM card AS c"
        f" WHERE c.deck_id IN ({listed}) AND {where}"
        # CROSS JOIN keeps the includes first: SQLite would otherwise walk every new card
        # of the partial queue index and probe the includes for each (1 s at 100k, not 1 ms).
        " UNION ALL SELECT di.deck_id, c.position, c.id, c.deck_id, c.key FROM deck_include AS di"
        f" CROSS JOIN card AS c ON c.id = di.card_id WHERE di.deck_id IN ({listed}) AND {where}"
    )
    by_deck: dict[int, list[tuple[int, int, NewRow]]] = {}
    for member, position, card_id, deck_id, key in conn.execute(sql, {"today": db_date(today)}):
        row = NewRow(int(card_id), int(deck_id), str(key))
        by_deck.setdefault(int(member), []).append((int(position), row.id, row))
    return {deck: [t[2] for t in sorted(rows)] for deck, rows in by_deck.items()}


_CHUNK = 500


def full_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> list[QueueRow]:
    """These cards in full, in this order, with their reviews and lapses counted per chunk."""
    out: dict[int, QueueRow] = {}
    for start in range(0, len(ids), _CHUNK):
        listed = ", ".join(str(int(i)) for i in ids[start : start + _CHUNK])
        counts = {
            int(card_id): (int(reps), int(lapses or 0))
            for card_id, reps, lapses in conn.execute(
                "SELECT card_id, count(*),"
                f" sum(CASE WHEN state_before = {REVIEW} AND rating = 1 THEN 1 ELSE 0 END)"
                f" FROM review_log WHERE card_id IN ({listed}) GROUP BY card_id"
            )
        }
        for r in conn.execute(f"SELECT {_CARD_FIELDS} FROM card AS c WHERE c.id IN ({listed})"):
            reps, lapses = counts.get(int(r[0]), (0, 0))
            out[int(r[0])] = _row((*r, reps, lapses))
    return [out[i] for i in ids if i in out]


def including_decks(conn: sqlite3.Connection, ids: Sequence[int]) -> set[int]:
    """Which of these decks include a card of another deck."""
    listed = ", ".join(str(int(i)) for i in ids)
    rows = conn.execute(f"SELECT DISTINCT deck_id FROM deck_include WHERE deck_id IN ({listed})")
    return {int(deck_id) for (deck_id,) in rows}


def card_keys(conn: sqlite3.Connection, ids: Iterable[int]) -> list[tuple[int, str]]:
    """(home deck, key) of these cards."""
    listed = ", ".join(str(int(i)) for i in ids)
    return [
        (int(d), str(k))
        for d, k in conn.execute(f"SELECT deck_id, key FROM card WHERE id IN ({listed})")
    ]
