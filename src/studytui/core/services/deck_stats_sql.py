"""The SQL of the deck statistics: each a range scan of a partial index (see the comments)."""

from __future__ import annotations

from studytui.core.scheduling import Rating, Status

# Cards that can be shown on the study day :today: not retired, suspended or buried, the same
# condition as the review queue's. ``suspended = 0`` stays a literal so that SQLite can prove the
# partial index ix_card_queue's condition (a bound parameter would not).
ACTIVE = "retired_at IS NULL AND suspended = 0 AND (buried_until IS NULL OR buried_until <= :today)"
NEW, LEARNING, REVIEW, RELEARNING = (
    int(s) for s in (Status.NEW, Status.LEARNING, Status.REVIEW, Status.RELEARNING)
)
AGAIN = int(Rating.Again)

# The due counts: range scans of ix_card_queue, counted per deck.
NEW_PER_DECK = (
    f"SELECT deck_id, count(*) FROM card WHERE state = {NEW} AND {ACTIVE} GROUP BY deck_id"
)
LEARNING_PER_DECK = (
    f"SELECT deck_id, count(*) FROM card WHERE state IN ({LEARNING}, {RELEARNING})"
    f" AND due <= :now AND {ACTIVE} GROUP BY deck_id"
)
REVIEW_PER_DECK = (
    f"SELECT deck_id, count(*) FROM card WHERE state = {REVIEW} AND due < :end AND {ACTIVE}"
    " GROUP BY deck_id"
)
# Today's reviews by the state the card was in: what is left of the daily limits.
DONE = (
    "SELECT state_before, count(*) FROM review_log"
    " WHERE reviewed_at >= :start AND reviewed_at < :end GROUP BY state_before"
)
# Learning cards due on the study day that were last reviewed on an earlier one (Anki's interday
# learning): they come under the review limit, before the reviews.
INTERDAY_PER_DECK = (
    f"SELECT deck_id, count(*) FROM card WHERE state IN ({LEARNING}, {RELEARNING})"
    f" AND due < :end AND last_review < :start AND {ACTIVE} GROUP BY deck_id"
)
# The study day's first answers of such cards, per deck: reviews for the limit, as in Anki
# (its DayLearn queue counts with the reviews).
INTERDAY_DONE_PER_DECK = (
    "SELECT card.deck_id, count(*) FROM review_log AS l JOIN card ON card.id = l.card_id"
    f" WHERE l.reviewed_at >= :start AND l.reviewed_at < :end"
    f" AND l.state_before IN ({LEARNING}, {RELEARNING})"
    " AND NOT EXISTS (SELECT 1 FROM review_log AS e WHERE e.card_id = l.card_id"
    " AND e.reviewed_at >= :start AND (e.reviewed_at < l.reviewed_at"
    " OR (e.reviewed_at = l.reviewed_at AND e.id < l.id)))"
    " AND EXISTS (SELECT 1 FROM review_log AS p WHERE p.card_id = l.card_id"
    " AND p.reviewed_at < :start)"
    " GROUP BY card.deck_id"
)
# The same per (home) deck, new cards and reviews only: what is left of each deck's own limits.
DONE_PER_DECK = (
    "SELECT card.deck_id, review_log.state_before, count(*) FROM review_log"
    " JOIN card ON card.id = review_log.card_id"
    f" WHERE reviewed_at >= :start AND reviewed_at < :end AND state_before IN ({NEW}, {REVIEW})"
    " GROUP BY card.deck_id, review_log.state_before"
)
# The cards decks include from other decks, by the including deck: the same three counts.
INCLUDED = (
    "SELECT di.deck_id,"
    f" sum(CASE WHEN card.state = {NEW} THEN 1 ELSE 0 END),"
    f" sum(CASE WHEN card.state IN ({LEARNING}, {RELEARNING}) AND card.due <= :now"
    " THEN 1 ELSE 0 END),"
    f" sum(CASE WHEN card.state = {REVIEW} AND card.due < :end THEN 1 ELSE 0 END)"
    " FROM deck_include AS di JOIN card ON card.id = di.card_id"
    " WHERE card.retired_at IS NULL AND card.suspended = 0"
    " AND (card.buried_until IS NULL OR card.buried_until <= :today) GROUP BY di.deck_id"
)
DECK_NAMES = "SELECT id, name FROM deck"
DECKS = "SELECT id, name, topic_id, title, source FROM deck ORDER BY name"
# Cards per deck: a scan of ix_card_live.
LIVE_PER_DECK = (
    "SELECT deck_id, count(*), sum(suspended) FROM card WHERE retired_at IS NULL GROUP BY deck_id"
)
# Scheduled cards due on a study day (day 0 also holds everything overdue).
DUE_BEFORE = (
    f"SELECT count(*) FROM card WHERE state IN ({LEARNING}, {REVIEW}, {RELEARNING})"
    f" AND {ACTIVE} AND due < :hi"
)
DUE_BETWEEN = f"{DUE_BEFORE} AND due >= :lo"
REVIEWS_BETWEEN = (
    f"SELECT count(*), sum(CASE WHEN rating = {AGAIN} THEN 1 ELSE 0 END),"
    " coalesce(sum(duration_ms), 0) FROM review_log WHERE reviewed_at >= :lo AND reviewed_at < :hi"
)
# True retention: share of Review-state cards not forgotten (rating > Again), per deck. Reviews
# are summed per card first (from ix_review_log_time; the unary + keeps the planner off
# ix_review_log_card, a full scan) so each card's deck is looked up once, in id order: half the
# time of a join per review (100k cards: ~90 ms instead of ~190 ms).
RETENTION = (
    "SELECT deck.name, deck.title, sum(r.n), sum(r.passed) FROM ("
    f"SELECT card_id, count(*) AS n, sum(CASE WHEN rating > {AGAIN} THEN 1 ELSE 0 END) AS passed"
    f" FROM review_log WHERE state_before = {REVIEW} AND reviewed_at >= :start"
    " GROUP BY +card_id"
    ") AS r JOIN card ON card.id = r.card_id JOIN deck ON deck.id = card.deck_id"
    " GROUP BY deck.id ORDER BY deck.name"
)
# Shown cards by state, buried ones apart: a scan of ix_card_queue.
STATES = (
    "SELECT state, buried_until IS NOT NULL AND buried_until > :today, count(*) FROM card"
    " WHERE retired_at IS NULL AND suspended = 0 GROUP BY 1, 2"
)
LIVE = "SELECT count(*), sum(suspended) FROM card WHERE retired_at IS NULL"
ALL = "SELECT count(id) FROM card"
