"""Searching every card, as Anki's browser does: ``studytui cards search`` and the browser.

One snapshot read of the live cards (retired ones keep their history but are not cards any
more), each with its deck, study days, lapses and reviews, then the query's predicate in Python.
Plain ``sqlite3`` with a handful of columns: at 100k cards the read is a few hundred
milliseconds, and the browser runs it in a worker and builds table lines only for what it shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from studytui.core.cardsearch.matcher import CardRow, MatchContext, matcher, sort_rows
from studytui.core.cardsearch.query import parse_query, terms_of
from studytui.core.context import AppContext
from studytui.core.decks.cards import sibling_group
from studytui.core.errors import NotFoundError
from studytui.core.scheduling import Status
from studytui.core.services.review.views import LEARN_AHEAD
from studytui.core.siblings import INTERDAY, NEW, REVIEW, Burying, BuryRules
from studytui.core.storage.sqltypes import db_datetime, utc_datetime

_CARDS = """
SELECT c.id, d.name, d.title, d.topic_id, c."key", c.kind, c.front, c.back, c.tags, c.state,
       c.due, c.last_review, c.stability, c.difficulty, c.suspended, c.buried_until, c.created_at,
       c.deck_id
FROM card c JOIN deck d ON d.id = c.deck_id
WHERE c.retired_at IS NULL
"""
_ORDER = " ORDER BY d.name, c.position, c.id"  # deck file order: the order of cards without a value
_ANSWERED_TODAY = """
SELECT c.id, c.deck_id, c."key", r.state_before FROM review_log r JOIN card c ON c.id = r.card_id
WHERE r.reviewed_at >= ?
"""
_COUNTS = """
SELECT card_id, count(*), sum(state_before = 2 AND rating = 1) FROM review_log GROUP BY card_id
"""


@dataclass(frozen=True)
class SearchResult:
    query: str
    sort: str
    descending: bool
    rows: tuple[CardRow, ...]
    total_cards: int  # live cards searched


@dataclass(frozen=True)
class ReviewEntry:
    """One answer of a card's history, as the browser lists it."""

    reviewed_at: datetime
    rating: int
    state_before: int
    state_after: int
    duration_ms: int | None
    due_after: datetime | None


class CardSearchService:
    """Read-only: search, one card, its review history."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _rows(self, only: set[int] | None = None) -> list[CardRow]:
        cal = self.ctx.calendar
        today = self.ctx.today()
        review = self.ctx.settings.review
        sql = _CARDS
        params: tuple[object, ...] = ()
        if only is not None:
            marks = ",".join("?" * len(only))
            sql += f" AND c.id IN ({marks})"
            params = tuple(only)
        sql += _ORDER
        count_sql = _COUNTS
        if only is not None:
            count_sql = count_sql.replace("GROUP BY", f"WHERE card_id IN ({marks}) GROUP BY")
        day_start, day_end = cal.day_bounds(today)
        with self.ctx.db.query() as conn:
            raw = conn.execute(sql, params).fetchall()
            counts = {r[0]: (r[1], r[2] or 0) for r in conn.execute(count_sql, params)}
            answered = conn.execute(_ANSWERED_TODAY, (db_datetime(day_start),)).fetchall()
        burying = self._burying(answered)
        answered_ids = {row[0] for row in answered}
        thresholds: dict[str, int] = {}
        rows: list[CardRow] = []
        for row in raw:
            cid, deck, title, topic, key, kind, front, back, tags, state = row[:10]
            due_text, last_text, stability, difficulty, suspended, buried_text = row[10:16]
            created_text, deck_id = row[16:]
            due = utc_datetime(due_text)
            last = utc_datetime(last_text)
            due_day = cal.day_of(due) if due is not None else None
            last_day = cal.day_of(last) if last is not None else None
            interval: int | None = 0  # Anki's ivl of new and learning cards
            if state in (2, 3):
                interval = (due_day - last_day).days if due_day and last_day else None
            day_learning = (
                state in (1, 3)
                and due is not None
                and (due >= day_end or (last_day is not None and last_day < today))
            )
            buried = buried_text is not None and date.fromisoformat(str(buried_text)) > today
            if not buried and burying is not None and cid not in answered_ids:
                # A sibling answered today buried it, as Anki's queue -3.
                kind_now = _bury_kind(state, day_learning)
                group = (deck_id, sibling_group(key))
                buried = kind_now is not None and burying.buries(group, kind_now)
            created = utc_datetime(created_text)
            if deck not in thresholds:
                thresholds[deck] = review.for_deck(deck).leech_threshold
            reps, lapses = counts.get(cid, (0, 0))
            rows.append(
                CardRow(
                    id=cid,
                    deck=deck,
                    deck_title=title,
                    topic_id=topic,
                    key=key,
                    kind=kind,
                    front=front,
                    back=back,
                    tags=tuple((tags or "").split()),
                    state=state,
                    due=due,
                    due_day=due_day,
                    interval_days=interval,
                    stability=stability,
                    difficulty=difficulty,
                    suspended=bool(suspended),
                    buried=buried,
                    day_learning=day_learning,
                    created_day=cal.day_of(created) if created else today,
                    reps=reps,
                    lapses=lapses,
                    leech_threshold=thresholds[deck],
                )
            )
        return rows

    def _burying(self, answered: list[tuple[int, int, str, int]]) -> Burying | None:
        if not answered:
            return None
        with self.ctx.db.query() as conn:
            names = dict(conn.execute("SELECT id, name FROM deck").fetchall())
        burying = Burying(BuryRules.of(self.ctx.settings.review, names))
        for _card_id, deck_id, key, state_before in answered:
            burying.answered((deck_id, sibling_group(key)), Status(state_before))
        return burying

    def _rated(
        self, wanted: set[tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], frozenset[int]]:
        out: dict[tuple[int, int | None], frozenset[int]] = {}
        if not wanted:
            return out
        cal = self.ctx.calendar
        today = self.ctx.today()
        longest = max(days for days, _ in wanted)
        since = cal.day_start(today - timedelta(days=longest - 1))
        by: dict[tuple[int, int | None], set[int]] = defaultdict(set)
        with self.ctx.db.query() as conn:
            logs = conn.execute(
                "SELECT card_id, reviewed_at, rating FROM review_log WHERE reviewed_at >= ?",
                (db_datetime(since),),
            ).fetchall()
        for card_id, at_text, rating in logs:
            at = utc_datetime(at_text)
            if at is None:
                continue
            age = (today - cal.day_of(at)).days + 1  # today: 1
            for days, want in wanted:
                if age <= days and (want is None or want == rating):
                    by[(days, want)].add(card_id)
        for w in wanted:
            out[w] = frozenset(by.get(w, set()))
        return out

    def search(self, query: str, sort: str = "due", descending: bool = False) -> SearchResult:
        """Every live card the query matches, in the sort column's order."""
        node = parse_query(query)
        wanted = {(int(t.number), t.rating) for t in terms_of(node) if t.kind == "rated"}
        rows = self._rows()
        now = self.ctx.clock.now()
        today = self.ctx.today()
        ctx = MatchContext(
            today=today,
            now=now,
            learn_ahead=now + LEARN_AHEAD,
            day_end=self.ctx.calendar.day_start(today + timedelta(days=1)),
            rated=self._rated(wanted),
        )
        keep = matcher(node, ctx)
        found = sort_rows([r for r in rows if keep(r)], sort, descending)
        return SearchResult(query, sort, descending, tuple(found), len(rows))

    def card(self, card_id: int) -> CardRow:
        rows = self._rows({card_id})
        if not rows:
            raise NotFoundError(f"no card {card_id}")
        return rows[0]

    def cards(self, ids: set[int]) -> list[CardRow]:
        """These cards (those still live), fresh from the database."""
        return self._rows(ids) if ids else []

    def history(self, card_id: int) -> tuple[ReviewEntry, ...]:
        """Every answer of the card, oldest first."""
        with self.ctx.db.query() as conn:
            logs = conn.execute(
                "SELECT reviewed_at, rating, state_before, state_after, duration_ms, due_after "
                "FROM review_log WHERE card_id = ? ORDER BY reviewed_at, id",
                (card_id,),
            ).fetchall()
        out = []
        for at, rating, before, after, ms, due_after in logs:
            when = utc_datetime(at)
            if when is None:
                continue
            out.append(ReviewEntry(when, rating, before, after, ms, utc_datetime(due_after)))
        return tuple(out)


def _bury_kind(state: int, day_learning: bool) -> str | None:
    """The queue a card waits in, for sibling burying: Anki buries the new, review and
    day-learning siblings of an answered card (``siblings_for_bury.sql``), whatever their due
    day, each kind as the bury options of the card's preset say."""
    if state == 0:
        return NEW
    if state == 2:
        return REVIEW
    return INTERDAY if day_learning else None
