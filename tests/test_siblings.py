"""Sibling burying, Anki's three options: the queue and every count agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from studytui.core.clock import ManualClock
from studytui.core.config import set_config_values
from studytui.core.context import AppContext
from studytui.core.scheduling import Status
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewService
from studytui.core.siblings import INTERDAY, INTRADAY, NEW, REVIEW, Burying, BuryRules
from studytui.core.storage.models import Card, Deck
from test_review_service import DECK, demo_deck

CONCEPTS = "concepts:\n" + "".join(
    f"  - {{id: c{i}, term: Term {i}, definition: Meaning number {i}.}}\n" for i in range(4)
)


def settings(ctx: AppContext, **flags: bool) -> None:
    values = ", ".join(f"{k}: {'true' if v else 'false'}" for k, v in flags.items())
    set_config_values(ctx.paths.config_file, {"review": "{" + values + "}"})
    ctx.reload_settings()


def counts(ctx: AppContext) -> tuple[int, int, int]:
    queue = ReviewService(ctx).start(DECK).counts()
    listed = DeckStatsService(ctx).due_counts()["demo"]
    assert (listed.new, listed.review) == (queue.new, queue.review)  # one count everywhere
    return queue.new, queue.learning, queue.review


def test_the_rules_follow_ankis_gathering_order() -> None:
    rules = BuryRules(new=True, review=True, interday=True)
    assert rules.buried_by(REVIEW) == {REVIEW, NEW}  # never an interday sibling
    assert rules.buried_by(NEW) == {NEW}
    assert rules.buried_by(INTRADAY) == {INTERDAY, REVIEW, NEW}
    burying = Burying(rules)
    assert burying.take((1, "concept:x"), INTRADAY)
    assert burying.take((1, "concept:x"), INTRADAY)  # due at a time: never buried
    assert not burying.take((1, "concept:x"), REVIEW)
    assert Burying(BuryRules(new=False)).take((1, "concept:x"), NEW)


def test_new_siblings_wait_a_day_unless_turned_off(ctx: AppContext) -> None:
    demo_deck(ctx, 0, extra=CONCEPTS)
    assert counts(ctx)[0] == 4  # one card of each concept
    settings(ctx, bury_new_siblings=False)
    assert counts(ctx)[0] == 8  # Anki's default: both cards of a concept the same day


@pytest.mark.parametrize("bury_reviews", [False, True])
def test_review_siblings_are_buried_when_asked(
    ctx: AppContext, clock: ManualClock, bury_reviews: bool
) -> None:
    demo_deck(ctx, 0, extra=CONCEPTS)
    due = clock.now() - timedelta(hours=1)
    with ctx.db.write() as s:  # every card in review, due now
        demo = s.scalar(select(Deck.id).where(Deck.name == "demo"))
        s.execute(
            update(Card)
            .where(Card.deck_id == demo)
            .values(state=int(Status.REVIEW), stability=5.0, difficulty=5.0, due=due,
                    last_review=due - timedelta(days=5))
        )  # fmt: skip
    settings(ctx, bury_review_siblings=bury_reviews)
    assert counts(ctx) == (0, 0, 4 if bury_reviews else 8)


def test_a_new_card_waits_while_its_sibling_is_due_for_review(
    ctx: AppContext, clock: ManualClock
) -> None:
    demo_deck(ctx, 0, extra=CONCEPTS)
    with ctx.db.write() as s:  # the forward card of c0 is due for review; its reverse is new
        s.execute(
            update(Card)
            .where(Card.key == "concept:c0:fwd")
            .values(state=int(Status.REVIEW), stability=5.0, difficulty=5.0,
                    due=clock.now() - timedelta(hours=1),
                    last_review=clock.now() - timedelta(days=5))
        )  # fmt: skip
    new, _learning, review = counts(ctx)
    assert (new, review) == (3, 1)
    session = ReviewService(ctx).start(DECK)
    assert "concept:c0:rev" not in {c.key for c in session.new}
    settings(ctx, bury_new_siblings=False)
    assert counts(ctx)[0] == 7


def test_answering_buries_later_kinds_only(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, 0, extra=CONCEPTS)
    settings(ctx, bury_new_siblings=True, bury_review_siblings=True)
    session = ReviewService(ctx).start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(3)
    session.flush()
    # The answered new card buries its new sibling for the day, in a fresh queue too.
    again = ReviewService(ctx).start(DECK)
    group = card.key.rsplit(":", 1)[0]
    assert all(not c.key.startswith(group) for c in again.new)
