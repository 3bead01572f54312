"""Leeches: cards that keep lapsing, as Anki finds them.

A lapse is an Again on a card in the Review state. A card becomes a leech when its lapses reach
the threshold (``review.leech_threshold``, 8 as in Anki; 0 turns leeches off), and is flagged
again every half threshold after that (12, 16, … for 8). The action (``review.leech_action``):
``suspend`` (Anki's default) takes it out of review until ``decks unsuspend``; ``tag`` only
lists it. Lapses are counted from the review log, so they survive deck edits and restores, and
every card with at least the threshold's lapses is listed by ``studytui decks leeches``.
"""

from __future__ import annotations

import math

LEECH_ACTIONS = ("suspend", "tag")
# The card's lapses: Again ratings given while it was in review (state 2).
LAPSES_SQL = "SELECT count(*) FROM review_log WHERE card_id = ? AND state_before = 2 AND rating = 1"


def leech_threshold_met(lapses: int, threshold: int) -> bool:
    """At the threshold, and every half threshold after it (rounded up, at least 1)."""
    if threshold <= 0:
        return False
    half = max(1, math.ceil(threshold / 2))
    return lapses >= threshold and (lapses - threshold) % half == 0
