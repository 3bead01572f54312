"""The app fuzzes as Anki does: each card's draw is seeded with its id and its review count."""

from __future__ import annotations

from studytui.core.anki_rng import anki_fuzz_factor, anki_learning_secs
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.intervals import whole_days
from studytui.core.scheduling import Rating, Status
from studytui.core.services.review import ReviewService
from test_review_service import DECK, demo_deck


def test_known_draws_of_rusts_stdrng() -> None:
    # StdRng::seed_from_u64(s).random_range(0.0..1.0) as f32, from Rust rand 0.9 (Anki's).
    assert 0.0 <= anki_fuzz_factor(1, 0) < 1.0
    assert anki_fuzz_factor(1_700_000_000_000, 3) != anki_fuzz_factor(1_700_000_000_000, 4)
    # A learning step gets up to 25 % more, at most 5 minutes, and never less.
    for reps in range(50):
        assert 600 <= anki_learning_secs(7, reps, 600) < 750
        assert 3600 <= anki_learning_secs(7, reps, 3600) < 3900
    assert anki_learning_secs(7, 0, 3) == 3  # too short to fuzz
    assert len({anki_learning_secs(7, r, 600) for r in range(50)}) > 10


def test_buttons_and_ratings_draw_from_the_cards_id_and_review_count(
    ctx: AppContext, clock: ManualClock
) -> None:
    demo_deck(ctx, n=1)
    service = ReviewService(ctx)
    for _ in range(2):  # two learning steps: 1 minute, then 10
        session = service.start(DECK)
        card = session.next_card()
        assert card is not None
        session.rate(Rating.Good)
        session.flush()
        clock.advance(minutes=15)
    clock.advance(days=3)
    session = service.start(DECK)
    card = session.next_card()
    assert card is not None
    assert (card.status, card.reps) == (Status.REVIEW, 2)
    scheduler = service.scheduler()
    now = ctx.clock.now()
    shown = scheduler.preview(card.id, card.state, now, 2)
    outcome = session.rate(Rating.Good)
    assert outcome.after == shown[Rating.Good].after
    # The interval is the one Anki's draw for (id, 2 reviews) picks; another count, another pick
    # somewhere in the same range.
    others = {scheduler.review(card.id, card.state, Rating.Good, now, r).days for r in range(40)}
    assert outcome.days in others
    assert len(others) > 1
    session.flush()
    assert service.start(DECK).next_card() is None


def test_whole_days_uses_the_draw_within_the_range() -> None:
    low = whole_days(30.0, 1, 36500, 0.0)
    high = whole_days(30.0, 1, 36500, 0.999)
    assert low < 30 < high
