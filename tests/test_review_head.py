"""The queue's head (``ReviewService.start_head``): the first card at once, the rest adopted.

The head must be the whole queue's beginning under every rule the whole queue applies (limits,
burying, filters, includes), and adopting the whole queue after cards were rated, buried or
taken back must show each card once, with the counts of the whole queue less what was taken.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.scheduling import Rating, Status
from studytui.core.services.review import ReviewFilter, ReviewService, ReviewSession
from studytui.core.services.review.queue import HEAD_PAGE
from studytui.core.storage.models import Card

DECK = """\
schema: 1
topic: {topic}
title: Deck {name}
concepts:
{concepts}
cards:
{cards}
"""


def write_deck(ctx: AppContext, name: str, concepts: int, cards: int, extra: str = "") -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    concept_text = "".join(
        f"  - id: c{i}\n    term: Term {name} {i}\n    definition: Meaning {name} {i}\n"
        for i in range(concepts)
    )
    card_text = "".join(
        f"  - id: q{i}\n    front: Question {name} {i}\n    back: Answer {name} {i}\n"
        for i in range(cards)
    )
    text = DECK.format(topic=name, name=name, concepts=concept_text, cards=card_text) + extra
    if not concepts:  # a section left empty is an error
        text = text.replace("concepts:\n", "")
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def make_due(
    ctx: AppContext, clock: ManualClock, deck: str, count: int, state: Status, hours: float
) -> None:
    """Put the first ``count`` new cards of ``deck`` into ``state``, due over the past day
    (learning: within the hour), each at its own time."""
    now = clock.now()
    with ctx.db.write() as s:
        from sqlalchemy import select

        from studytui.core.storage.models import Deck

        deck_id = s.scalar(select(Deck.id).where(Deck.name == deck))
        cards = list(
            s.scalars(
                select(Card)
                .where(Card.deck_id == deck_id, Card.state == int(Status.NEW))
                .order_by(Card.position, Card.id)
                .limit(count)
            )
        )
        for i, card in enumerate(cards):
            card.state = int(state)
            card.stability, card.difficulty = 3.0, 5.0
            card.due = now - timedelta(hours=hours) + timedelta(minutes=i)
            card.last_review = card.due - timedelta(days=3)
            card.step = 0 if state != Status.REVIEW else None


@pytest.fixture
def queue_home(ctx: AppContext, clock: ManualClock) -> AppContext:
    """Two decks: 40 reviews due (siblings among them), 4 learning, new cards left; deck b
    includes a card of deck a."""
    write_deck(ctx, "a", concepts=20, cards=20)
    write_deck(
        ctx, "b", concepts=5, cards=10, extra="include:\n  - deck: a\n    note: 'card:q19'\n"
    )
    sync_decks(ctx)
    make_due(ctx, clock, "a", 36, Status.REVIEW, hours=20)
    make_due(ctx, clock, "a", 2, Status.LEARNING, hours=0.5)
    make_due(ctx, clock, "b", 4, Status.REVIEW, hours=22)
    make_due(ctx, clock, "b", 2, Status.RELEARNING, hours=0.2)
    return ctx


def queue_ids(session: ReviewSession) -> tuple[list[int], list[int], list[int]]:
    return (
        [c.id for c in session.review],
        [c.id for c in session.new],
        [t[1] for t in session.learning],
    )


def settings(ctx: AppContext, **values: object) -> None:
    ctx.settings = replace(ctx.settings, review=replace(ctx.settings.review, **values))


FILTERS = [ReviewFilter(), ReviewFilter(deck="a"), ReviewFilter(deck="b"), ReviewFilter(topic="b")]
RULES = [
    {},
    {"reviews_per_day": 25},
    {"reviews_per_day": 10, "new_cards_per_day": 3},
    {"bury_review_siblings": True, "bury_interday_learning_siblings": True},
    {"bury_new_siblings": False},
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.deck or f.topic or "all")
@pytest.mark.parametrize("rules", RULES, ids=lambda r: ",".join(r) or "defaults")
def test_the_head_is_the_whole_queues_beginning(
    queue_home: AppContext, flt: ReviewFilter, rules: dict[str, object]
) -> None:
    settings(queue_home, **rules)
    service = ReviewService(queue_home)
    whole = service.start(flt)
    head = service.start_head(flt)
    reviews, new, learning = queue_ids(whole)
    h_reviews, h_new, h_learning = queue_ids(head)
    assert h_learning == learning
    if head.complete:  # no review in the head: the new cards came at once
        assert (h_reviews, h_new) == (reviews, new)
    else:
        # A page of due reviews less the buried ones: the whole queue's first reviews.
        assert 0 < len(h_reviews) <= HEAD_PAGE
        assert h_reviews == reviews[: len(h_reviews)]
        assert h_new == []
        assert not head.counts().complete
    assert head.next_card() == whole.next_card()
    head.adopt(service.start(flt))
    assert head.complete
    assert head.counts().complete
    assert head.counts() == whole.counts()


def test_adopting_leaves_out_the_cards_the_head_already_took(
    queue_home: AppContext, clock: ManualClock
) -> None:
    service = ReviewService(queue_home)
    flt = ReviewFilter(deck="a")
    whole = service.start(flt)
    head = service.start_head(flt)
    assert not head.complete
    seen: list[int] = []
    for _ in range(3):  # three learning cards and reviews rated, one buried and undone
        card = head.next_card()
        assert card is not None
        seen.append(card.id)
        head.rate(Rating.Easy)  # out of today's queue, so each card comes once
        clock.advance(seconds=5)
    buried = head.next_card()
    assert buried is not None
    head.bury()
    head.undo()  # the buried card is the current one again
    assert head.current is not None
    assert head.current.id == buried.id
    with head.writes_held():  # as the screen's worker reads it: nothing written in between
        rest = service.start(flt)
    head.adopt(rest)
    shown = [*seen]
    while (card := head.next_card()) is not None and len(shown) < 200:
        shown.append(card.id)
        head.rate(Rating.Easy)
    everything = [*queue_ids(whole)[0], *queue_ids(whole)[1], *queue_ids(whole)[2]]
    assert sorted(set(shown)) == sorted(set(everything))
    assert len(shown) == len(set(shown)), "a card came twice"


def test_new_cards_only_come_at_once_and_the_queue_is_whole(
    ctx: AppContext, clock: ManualClock
) -> None:
    write_deck(ctx, "a", concepts=3, cards=4)
    sync_decks(ctx)
    service = ReviewService(ctx)
    head = service.start_head(ReviewFilter())
    assert head.complete
    assert queue_ids(head) == queue_ids(service.start(ReviewFilter()))


def test_a_used_up_head_waits_for_the_rest_instead_of_saying_done(
    queue_home: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("studytui.core.services.review.queue.HEAD_PAGE", 1)
    service = ReviewService(queue_home)
    flt = ReviewFilter(deck="b")
    head = service.start_head(flt)
    assert not head.complete
    assert len(head.review) == 1
    while head.next_card() is not None:  # the learning cards due now, then the one review
        head.rate(Rating.Easy)
    assert head.loading  # not "done for now": the rest is on its way
    head.adopt(service.start(flt))
    assert not head.loading
    assert head.next_card() is not None


def test_a_failed_rest_leaves_the_head_usable(queue_home: AppContext) -> None:
    service = ReviewService(queue_home)
    head = service.start_head(ReviewFilter())
    first = head.next_card()
    head.adopt_failed()
    assert head.complete
    assert head.next_card() == first
