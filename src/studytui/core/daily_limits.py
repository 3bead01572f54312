"""The day's limits, one rule for the queue, the dashboard, the stats and the deck list.

As in Anki's v3 scheduler, the review limit also caps new cards: reviews due come first, and
new cards fill only what the review limit leaves (250 due with a limit of 200: no new cards).
New cards introduced today count towards the review limit too. With
``review.new_cards_ignore_review_limit`` (Anki's "New cards ignore review limit"), only the new
card limit applies to them. Learning steps are never limited.
"""

from __future__ import annotations

from dataclasses import dataclass

from studytui.core.config import ReviewSettings


@dataclass(frozen=True)
class DailyAllowance:
    reviews: int  # review cards that may still be shown today
    new: int  # new cards that may still be introduced today


def allowance(
    settings: ReviewSettings, *, due_reviews: int, done_reviews: int, done_new: int
) -> DailyAllowance:
    """What today's limits leave, given the reviews due and the study day's ratings so far."""
    new_left = max(0, settings.new_cards_per_day - done_new)
    if settings.new_cards_ignore_review_limit:
        review_left = max(0, settings.reviews_per_day - done_reviews)
        return DailyAllowance(min(due_reviews, review_left), new_left)
    review_left = max(0, settings.reviews_per_day - done_reviews - done_new)
    reviews = min(due_reviews, review_left)
    return DailyAllowance(reviews, min(new_left, review_left - reviews))
