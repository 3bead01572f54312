"""``studytui decks optimize``: too little history, the library missing, and a real fit."""

from __future__ import annotations

import math
import random
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from studytui.cli import run
from studytui.core import optimizer
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.scheduling import DEFAULT_PARAMETERS, CardState, Rating, ReviewScheduler
from studytui.core.services.decks import DeckService
from studytui.core.services.review import ReviewService
from studytui.core.storage.models import Card, Deck, ReviewLog, SchedulerParams


def test_training_items_count_reviews_on_later_days() -> None:
    d = date(2026, 11, 1)
    reviews = [
        (1, d, 3),
        (1, d, 3),  # same day: no item
        (1, d + timedelta(days=3), 3),
        (2, d, 1),
        (1, d + timedelta(days=10), 2),
    ]
    histories = optimizer.training_histories(reviews)
    assert histories == [[(3, 0), (3, 0), (3, 3), (2, 7)], [(1, 0)]]
    assert optimizer.count_items(histories) == 2


def test_not_enough_reviews(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["decks", "optimize"]) == 1
    err = capsys.readouterr().err
    assert "not enough review history to optimize: 0 reviews" in err
    assert "at least 400" in err


def test_library_missing_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)
    assert not optimizer.available()
    with pytest.raises(optimizer.OptimizerUnavailable, match=r"studytui\[optimizer\]"):
        optimizer.fit([[(3, 0), (3, 2)]], DEFAULT_PARAMETERS, min_reviews=1)


def simulate_history(ctx: AppContext, cards: int, reviews_each: int, seed: int = 7) -> int:
    """Review log rows as if someone with a good memory had reviewed for months."""
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"  - id: c{i}\n    front: Q{i}\n    back: A{i}\n" for i in range(cards)]
    (folder / "sim.yaml").write_text(
        "schema: 1\ntopic: sim\ntitle: Simulated\ncards:\n" + "".join(lines), encoding="utf-8"
    )
    sync_decks(ctx)
    rng = random.Random(seed)
    scheduler = ReviewScheduler(ctx.settings.review, ctx.calendar)
    start = ctx.clock.now() - timedelta(days=400)
    written = 0
    with ctx.db.write() as s:
        ids = s.scalars(select(Card.id).join(Deck).where(Deck.name == "sim")).all()
        for card_id in ids:
            state = CardState()
            at = start + timedelta(minutes=rng.randint(0, 600))
            for _ in range(reviews_each):
                if state.last_review is None:
                    rating = Rating.Good
                else:
                    days = (at - state.last_review).total_seconds() / 86400
                    # This learner forgets about three times slower than the default model.
                    recall = math.exp(-days / (3 * max(state.stability or 1, 0.5)))
                    rating = Rating.Good if rng.random() < recall else Rating.Again
                outcome = scheduler.review(card_id, state, rating, at)
                s.add(
                    ReviewLog(
                        card_id=card_id, rating=int(rating), reviewed_at=at, duration_ms=5000,
                        state_before=int(outcome.before.status),
                        state_after=int(outcome.after.status),
                        card_before=outcome.before.to_json(), due_after=outcome.after.due,
                    )
                )  # fmt: skip
                written += 1
                state = outcome.after
                assert state.due is not None
                at = max(state.due, at + timedelta(days=1)) + timedelta(hours=rng.randint(0, 30))
    return written


def test_fit_shows_before_and_after_and_keeps_the_parameters(
    ctx: AppContext, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("fsrs_rs_python")
    simulate_history(ctx, cards=120, reviews_each=6)
    result = DeckService(ctx).optimize(min_reviews=400)
    assert result.fit.items >= 400
    assert result.fit.log_loss_after < result.fit.log_loss_before
    assert result.saved
    assert len(result.parameters) == 21
    with ctx.db.read() as s:
        row = s.scalars(select(SchedulerParams)).one()
        assert row.reviews_used == result.fit.items
        assert row.loss_after == pytest.approx(result.fit.log_loss_after)
    # The scheduler now uses them.
    assert ReviewService(ctx).parameters() == pytest.approx(result.parameters)
    assert ReviewService(ctx).scheduler().parameters == pytest.approx(result.parameters)
    # A second run starts from the fitted parameters; the CLI shows the fit.
    assert run(["decks", "optimize"]) == 0
    out = capsys.readouterr().out
    assert f"Fitted FSRS parameters to {result.fit.items} reviews of 120 cards." in out
    assert "log loss:" in out
    assert "Saved" in out or "kept them" in out
