"""The leech list: every live card with at least the threshold's lapses, most lapses first."""

from __future__ import annotations

from dataclasses import dataclass

from studytui.core.context import AppContext

_LEECHES_SQL = """
SELECT card.id, deck.name, card.front, card.suspended, count(*) AS lapses
FROM review_log JOIN card ON card.id = review_log.card_id JOIN deck ON deck.id = card.deck_id
WHERE review_log.state_before = 2 AND review_log.rating = 1 AND card.retired_at IS NULL
GROUP BY card.id HAVING count(*) >= ?
ORDER BY lapses DESC, card.id
"""


@dataclass(frozen=True)
class LeechView:
    card_id: int
    deck: str
    front: str
    lapses: int
    suspended: bool


def leeches(ctx: AppContext) -> list[LeechView]:
    """Cards that lapsed at least ``review.leech_threshold`` times (none when it is 0)."""
    threshold = ctx.settings.review.leech_threshold
    if threshold <= 0:
        return []
    with ctx.db.query() as conn:
        rows = conn.execute(_LEECHES_SQL, (threshold,)).fetchall()
    return [LeechView(r[0], r[1], r[2], int(r[4]), bool(r[3])) for r in rows]
