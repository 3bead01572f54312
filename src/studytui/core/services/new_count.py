"""How many new cards today's queue introduces: the count the dashboard and deck list show.

The queue (``review/queue.py``) gathers the day's cards in Anki's order — learning due today,
reviews up to the limit, then new cards — burying siblings as ``core/siblings.py`` says. The
count here walks the same order over the same rows, so the figures agree with what a review
session offers; it reads only until the limit is reached (a deck of 90,000 new cards costs a
few dozen rows). Plain ``sqlite3``, like the rest of the statistics.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date

from studytui.core.decks.cards import sibling_group
from studytui.core.scheduling import Status
from studytui.core.services.deck_stats_sql import ACTIVE, LEARNING, NEW, RELEARNING, REVIEW
from studytui.core.siblings import INTERDAY, INTRADAY, Burying, BuryRules
from studytui.core.siblings import NEW as NEW_KIND
from studytui.core.siblings import REVIEW as REVIEW_KIND
from studytui.core.storage.sqltypes import stored_datetime
from studytui.core.studyday import StudyCalendar

# A deck's cards and the ones it includes (for the day's answers, a few hundred rows at most).
_DECK_CARDS = (
    "SELECT id FROM card WHERE deck_id = :deck"
    " UNION ALL SELECT card_id FROM deck_include WHERE deck_id = :deck"
)
_ANSWERED = (
    'SELECT card.deck_id, card."key", review_log.state_before FROM review_log'
    " JOIN card ON card.id = review_log.card_id"
    " WHERE review_log.reviewed_at >= :start AND review_log.reviewed_at < :end"
)
_LEARNING_COLS = ("deck_id", '"key"', "last_review", "due", "id")
_LEARNING_IF = f"state IN ({LEARNING}, {RELEARNING}) AND due < :end AND {ACTIVE}"
_REVIEW_COLS = ("deck_id", '"key"', "due", "id")
_REVIEW_IF = f"state = {REVIEW} AND due < :end AND {ACTIVE}"


def _due_sql(cols: tuple[str, ...], cond: str, one_deck: bool) -> str:
    """Due cards oldest first (the last two columns are due and id); of one deck (``:deck``):
    its own from the deck's index, then those it includes, never a scan of every due card."""
    order = f" ORDER BY {len(cols) - 1}, {len(cols)}"
    if not one_deck:
        return f"SELECT {', '.join(cols)} FROM card WHERE {cond}{order}"
    own = f"SELECT {', '.join(cols)} FROM card WHERE {cond} AND deck_id = :deck"
    included = (
        f"SELECT {', '.join('card.' + c for c in cols)} FROM deck_include AS di"
        f" CROSS JOIN card ON card.id = di.card_id WHERE di.deck_id = :deck AND {cond}"
    )
    return f"{own} UNION ALL {included}{order}"


_NEW_CARDS = f'SELECT deck_id, "key" FROM card WHERE state = {NEW} AND {ACTIVE}'
# One deck's new cards from its own index (ix_card_due: deck, state), then those it includes.
_NEW_IN_DECK = (
    f'{_NEW_CARDS} AND deck_id = :deck UNION ALL SELECT card.deck_id, card."key"'
    " FROM deck_include AS di CROSS JOIN card ON card.id = di.card_id"
    f" WHERE di.deck_id = :deck AND card.state = {NEW} AND {ACTIVE}"
)


def due_shown(
    conn: sqlite3.Connection,
    rules: BuryRules,
    calendar: StudyCalendar,
    params: dict[str, str],
    review_left: int,
    deck_id: int | None = None,
    interday_left: int | None = None,
) -> tuple[int, int]:
    """(learning, review) cards the queue holds today with review or interday-learning
    siblings buried, at most ``review_left`` reviews (only needed when those options are on:
    otherwise every due card is shown, and a count of rows says it)."""
    args = dict(params)
    if deck_id is not None:
        args["deck"] = str(deck_id)
    burying = _answered(conn, rules, args)
    learning = _take_learning(conn, burying, calendar, params, args, interday_left)
    reviews = _take_reviews(conn, burying, args, review_left)
    return learning, reviews


_ANSWERED_IN_DECK = f" AND card.id IN ({_DECK_CARDS})"


def _answered(conn: sqlite3.Connection, rules: BuryRules, args: dict[str, str]) -> Burying:
    """The burying the day's answers cause; for one deck (``args["deck"]``) only its cards'
    answers, the only ones that can bury a card of it (siblings share a deck)."""
    burying = Burying(rules)
    sql = _ANSWERED + (_ANSWERED_IN_DECK if "deck" in args else "")
    for d, key, state_before in conn.execute(sql, args):
        burying.answered((int(d), sibling_group(key)), Status(state_before))
    return burying


def _take_learning(
    conn: sqlite3.Connection,
    burying: Burying,
    calendar: StudyCalendar,
    params: dict[str, str],
    args: dict[str, str],
    interday_left: int | None = None,
) -> int:
    """Learning cards due today the queue keeps (those due at a time first, as Anki gathers;
    at most ``interday_left`` of those due on the day, which come under the review limit);
    returns how many of them are due by ``params["now"]`` (what the counts show)."""
    today = date.fromisoformat(params["today"])
    now = params.get("now")
    sql = _due_sql(_LEARNING_COLS, _LEARNING_IF, "deck" in args)
    rows = [r[:4] for r in conn.execute(sql, args)]
    kinds = [
        (
            INTERDAY if last and calendar.day_of(stored_datetime(last)) < today else INTRADAY,
            d,
            k,
            due,
        )
        for d, k, last, due in rows
    ]
    kept = 0
    room = interday_left
    for kind, d, key, due in sorted(kinds, key=lambda t: t[0] != INTRADAY):
        group = (int(d), sibling_group(key))
        if kind == INTERDAY and room is not None:
            if room <= 0 or burying.buries(group, kind):
                continue
            room -= 1
        if burying.take(group, kind) and (now is None or due <= now):
            kept += 1
    return kept


def _take_reviews(
    conn: sqlite3.Connection, burying: Burying, args: dict[str, str], left: int
) -> int:
    taken = 0
    if left > 0:
        sql = _due_sql(_REVIEW_COLS, _REVIEW_IF, "deck" in args)
        for d, key, _due, _id in conn.execute(sql, args):
            if burying.take((int(d), sibling_group(key)), REVIEW_KIND):
                taken += 1
                if taken >= left:
                    break
    return taken


def new_shown(
    conn: sqlite3.Connection,
    rules: BuryRules,
    calendar: StudyCalendar,
    params: dict[str, str],
    limit: int,
    review_left: int,
    deck_id: int | None = None,
    deck_caps: Mapping[int, int] | None = None,
) -> int:
    """New cards the queue would introduce today, at most ``limit``; ``params`` holds the study
    day's ``today``, ``start`` and ``end``; ``deck_id`` counts one deck as if studied alone;
    ``deck_caps``: at most so many of each (home) deck with a limit of its own."""
    if limit <= 0:
        return 0
    args = dict(params)
    if deck_id is not None:
        args["deck"] = str(deck_id)
    burying = Burying(rules)
    if rules.any_new:  # what was answered and gathered before the new cards buries siblings
        burying = _answered(conn, rules, args)
        _take_learning(conn, burying, calendar, params, args)
        _take_reviews(conn, burying, args, review_left)
    caps = dict(deck_caps or {})
    shown = 0
    new_sql = _NEW_CARDS if deck_id is None else _NEW_IN_DECK
    for d, key in conn.execute(new_sql, args):  # any order: the count is the same
        group = (int(d), sibling_group(key))
        cap = caps.get(int(d))
        if (cap is not None and cap <= 0) or not burying.take(group, NEW_KIND):
            continue
        if cap is not None:
            caps[int(d)] = cap - 1
        shown += 1
        if shown >= limit:
            break
    return shown
