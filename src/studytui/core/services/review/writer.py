"""Writing what a review session did: ratings, their undo, bury and suspend.

Each operation runs in its own transaction (``BEGIN IMMEDIATE``), and a rating is computed there
from the card's *stored* state, not from what the screen loaded: another studytui (a second
terminal) may have rated the same card meanwhile. When the stored state is not the one the screen
showed, the rating is recomputed from the stored state with the same rating and review time; when
the other review is later in time than this one, this review is put in its place and the later
ones are replayed after it. Every review stays in ``review_log``, and the card ends in the state
that replaying its reviews in time order gives. An undo removes only its own review and replays
any later one, so it never takes back another instance's review.

A rating's statements are SQL text on the DB-API cursor: SQLAlchemy's per-statement work was
most of a rating's cost (bench/, rate + next card + commit: ORM objects ~1.2 ms, prebuilt Core
statements ~0.5 ms, SQL text ~0.3 ms). Times are stored as the models' column type stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from studytui.core.errors import NotFoundError
from studytui.core.leeches import LAPSES_SQL, leech_threshold_met
from studytui.core.scheduling import CardState, Outcome, ReviewScheduler, Status
from studytui.core.storage.models import Card
from studytui.core.storage.sqltypes import db_datetime, stored_datetime, utc_datetime

_CARD_STATE_SQL = (
    "SELECT state, step, stability, difficulty, due, last_review FROM card WHERE id = ?"
)
_SET_STATE_SQL = (
    "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
    "last_review = ? WHERE id = ?"
)
_ADD_LOG_SQL = (
    "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before, "
    "state_after, card_before, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# The card's reviews after a point in time, in the order they happened.
_LATER_LOGS_SQL = (
    "SELECT id, rating, reviewed_at, card_before FROM review_log "
    "WHERE card_id = ? AND (reviewed_at > ? OR (reviewed_at = ? AND id > ?)) "
    "ORDER BY reviewed_at, id"
)
_RESTATE_LOG_SQL = (
    "UPDATE review_log SET state_before = ?, state_after = ?, card_before = ?, due_after = ? "
    "WHERE id = ?"
)


_AFTER_ALL = 2**62  # an id after every log: only reviews strictly later in time


class Op(Protocol):
    """One queued change, written in its own transaction."""

    def run(self, s: Session) -> None: ...


def _stored(value: datetime | None) -> str | None:
    return db_datetime(value) if value is not None else None


def _read_state(cursor: Any, card_id: int) -> CardState | None:
    row = cursor.execute(_CARD_STATE_SQL, (card_id,)).fetchone()
    if row is None:
        return None
    return CardState(
        Status(row[0]), row[1], row[2], row[3], utc_datetime(row[4]), utc_datetime(row[5])
    )


def _put(cursor: Any, card_id: int, state: CardState) -> None:
    cursor.execute(
        _SET_STATE_SQL,
        (int(state.status), state.step, state.stability, state.difficulty, _stored(state.due),
         _stored(state.last_review), card_id),
    )  # fmt: skip


def _later_logs(
    cursor: Any, card_id: int, at: datetime, after_id: int
) -> list[tuple[int, int, datetime, str]]:
    t = db_datetime(at)
    rows = cursor.execute(_LATER_LOGS_SQL, (card_id, t, t, after_id)).fetchall()
    return [(r[0], r[1], stored_datetime(r[2]), r[3]) for r in rows]


def _reps_before(cursor: Any, card_id: int, at: datetime) -> int:
    """The card's reviews before ``at``: with its id, the seed of its fuzz (as in Anki)."""
    row = cursor.execute(
        "SELECT count(*) FROM review_log WHERE card_id = ? AND reviewed_at < ?",
        (card_id, db_datetime(at)),
    ).fetchone()
    return int(row[0])


def _replay(
    cursor: Any,
    scheduler: ReviewScheduler,
    card_id: int,
    state: CardState,
    logs: list[tuple[int, int, datetime, str]],
) -> CardState:
    """Apply ``logs`` (in order) to ``state``, restating each log's before and after."""
    for log_id, rating, at, _before in logs:
        out = scheduler.review(card_id, state, rating, at, _reps_before(cursor, card_id, at))
        cursor.execute(
            _RESTATE_LOG_SQL,
            (int(out.before.status), int(out.after.status), out.before.to_json(),
             _stored(out.after.due), log_id),
        )  # fmt: skip
        state = out.after
    return state


@dataclass
class RateOp:
    """A rating: the outcome the screen computed, rewritten from the stored state if needed."""

    card_id: int
    outcome: Outcome  # from the state the screen showed
    duration_ms: int
    scheduler: ReviewScheduler
    log_id: int | None = None
    written: Outcome | None = None  # what was stored (another outcome after a conflict)
    leech_lapses: int | None = None  # set when this lapse made the card a leech (again)
    leech_suspended: bool = False  # and the leech action suspended it

    def run(self, s: Session) -> None:
        self.write(s.connection())

    def write(self, conn: Connection) -> None:
        """The card's new state and its log, in the caller's transaction."""
        cursor = conn.connection.cursor()
        try:
            self._write(cursor)
        finally:
            cursor.close()

    def _write(self, cursor: Any) -> None:
        stored = _read_state(cursor, self.card_id)
        if stored is None:
            raise NotFoundError(f"card {self.card_id} no longer exists")
        at = self.outcome.reviewed_at
        later: list[tuple[int, int, datetime, str]] = []
        if stored == self.outcome.before:
            outcome = self.outcome
        else:  # changed since the screen loaded it: start from what is stored
            if stored.last_review is not None and stored.last_review > at:
                later = _later_logs(cursor, self.card_id, at, _AFTER_ALL)
            base = CardState.from_json(later[0][3]) if later else stored
            reps = _reps_before(cursor, self.card_id, at)
            outcome = self.scheduler.review(self.card_id, base, self.outcome.rating, at, reps)
        before, after = outcome.before, outcome.after
        cursor.execute(
            _ADD_LOG_SQL,
            (self.card_id, int(outcome.rating), db_datetime(at), self.duration_ms,
             int(before.status), int(after.status), before.to_json(), _stored(after.due)),
        )  # fmt: skip
        self.log_id = cursor.lastrowid
        final = _replay(cursor, self.scheduler, self.card_id, after, later) if later else after
        _put(cursor, self.card_id, final)
        self.written = outcome
        if before.status == Status.REVIEW and int(outcome.rating) == 1:
            self._check_leech(cursor)

    def _check_leech(self, cursor: Any) -> None:
        """A lapse: at the threshold (and every half of it after) the card is a leech."""
        settings = self.scheduler.settings
        lapses = int(cursor.execute(LAPSES_SQL, (self.card_id,)).fetchone()[0])
        if not leech_threshold_met(lapses, settings.leech_threshold):
            return
        self.leech_lapses = lapses
        if settings.leech_action == "suspend":
            row = cursor.execute("SELECT suspended FROM card WHERE id = ?", (self.card_id,))
            if not row.fetchone()[0]:
                cursor.execute("UPDATE card SET suspended = 1 WHERE id = ?", (self.card_id,))
                self.leech_suspended = True


@dataclass
class UndoRateOp:
    """Take back one rating: its log goes, and the card gets the state it would have without
    it (the state before it, with any later review of another instance replayed on top)."""

    rate: RateOp

    def run(self, s: Session) -> None:
        log_id = self.rate.log_id
        if log_id is None:  # never written
            return
        cursor = s.connection().connection.cursor()
        try:
            row = cursor.execute(
                "SELECT reviewed_at, card_before FROM review_log WHERE id = ?", (log_id,)
            ).fetchone()
            if row is None:  # already gone
                return
            at, before = stored_datetime(row[0]), CardState.from_json(row[1])
            later = _later_logs(cursor, self.rate.card_id, at, log_id)
            cursor.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
            if self.rate.leech_suspended:  # the undone lapse made it a leech: not any more
                cursor.execute("UPDATE card SET suspended = 0 WHERE id = ?", (self.rate.card_id,))
            stored = _read_state(cursor, self.rate.card_id)
            if stored is None:
                return
            if later:
                state = _replay(cursor, self.rate.scheduler, self.rate.card_id, before, later)
                _put(cursor, self.rate.card_id, state)
            elif stored.last_review == at:  # this review is the card's last one
                _put(cursor, self.rate.card_id, before)
            # else: changed since by something other than a review; that change stays
        finally:
            cursor.close()


@dataclass
class FlagOp:
    """Bury or suspend a card, or undo that."""

    card_id: int
    bury: bool = False
    buried_until: date | None = None
    suspended: bool | None = None

    def run(self, s: Session) -> None:
        card = s.get(Card, self.card_id)
        if card is None:
            return
        if self.bury:
            card.buried_until = self.buried_until
        if self.suspended is not None:
            card.suspended = self.suspended
