"""Deck presets: per-deck steps, retention, maximum interval, leeches, limits and FSRS parameters.

Two user decks, ``alpha`` in the preset ``slow`` and ``beta`` in none (the default preset), next
to the bundled decks. Every figure the queue shows, the deck list and the dashboard show too.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.config import parse_settings, set_config_values
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import InputError, NotFoundError
from studytui.core.scheduling import Rating, Status
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.decks import DeckService
from studytui.core.services.leech_list import leeches
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.storage.models import Card, Deck, ReviewLog, SchedulerParams
from studytui.core.yamldoc import load_yaml

ALL = ReviewFilter()
PRESETS = (
    "{new_cards_per_day: 20, reviews_per_day: 200, presets: {slow: {decks: [alpha], "
    "new_cards_per_day: 2, reviews_per_day: 3, learning_steps: [1m, 10m, 1h], "
    "desired_retention: 0.8, maximum_interval_days: 30, leech_threshold: 2}}}"
)


def two_decks(ctx: AppContext, n: int = 10) -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("alpha", "beta"):
        cards = "".join(
            f"  - id: q{i}\n    front: {name} question {i}\n    back: Answer {i}\n"
            for i in range(n)
        )
        text = f"schema: 1\ntopic: {name}\ntitle: {name.title()}\ncards:\n{cards}"
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    set_config_values(ctx.paths.config_file, {"review": PRESETS})
    ctx.reload_settings()
    sync_decks(ctx)


def make_due(ctx: AppContext, clock: ManualClock, deck: str, count: int) -> None:
    due = clock.now() - timedelta(days=1)
    with ctx.db.write() as s:
        deck_id = s.scalar(select(Deck.id).where(Deck.name == deck))
        ids = list(s.scalars(select(Card.id).where(Card.deck_id == deck_id).limit(count)))
        s.execute(
            update(Card)
            .where(Card.id.in_(ids))
            .values(state=int(Status.REVIEW), stability=5.0, difficulty=5.0, due=due,
                    last_review=due - timedelta(days=5))
        )  # fmt: skip


# -- the settings ---------------------------------------------------------------------------


def test_a_preset_sets_its_keys_and_takes_the_rest_from_review() -> None:
    settings = parse_settings(load_yaml(f"review: {PRESETS}\n", "config.yaml")).review
    slow, beta = settings.for_deck("alpha"), settings.for_deck("beta")
    assert settings.preset_of("alpha") == "slow"
    assert settings.preset_of("beta") == "default"
    assert slow.learning_steps == (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))
    assert (slow.desired_retention, slow.maximum_interval_days) == (0.8, 30)
    assert (slow.new_cards_per_day, slow.reviews_per_day, slow.leech_threshold) == (2, 3, 2)
    assert slow.fuzz == settings.fuzz
    assert slow.presets == ()
    assert beta == settings.for_preset("default")
    assert (beta.desired_retention, beta.new_cards_per_day) == (0.9, 20)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{default: {decks: [a]}}", "review.presets.default"),
        ("{Maths: {decks: [a]}}", "not a preset name"),
        ("{m: {decks: [a], fuzz: false}}", "review.presets.m.fuzz: unknown key"),
        ("{m: {decks: [a], desired_retention: 2}}", "review.presets.m.desired_retention"),
        ("{m: {decks: [a], learning_steps: [1x]}}", "review.presets.m.learning_steps[0]"),
        ("{m: {decks: [a]}, n: {decks: [a]}}", "already in preset 'm'"),
        ("{m: {desired_retention: 0.9}}", "missing required key 'decks'"),
        ("{m: {decks: []}}", "name at least one deck"),
        ("[m]", "review.presets: expected a mapping"),
    ],
)
def test_a_bad_preset_is_refused_with_its_line_and_key(body: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_settings(load_yaml(f"review:\n  presets: {body}\n", "config.yaml"))
    assert "config.yaml:2" in str(err.value)
    assert message in str(err.value)


# -- scheduling -----------------------------------------------------------------------------


def test_each_deck_is_scheduled_by_its_preset(ctx: AppContext, clock: ManualClock) -> None:
    two_decks(ctx, 2)
    service = ReviewService(ctx)
    cards = {d: service.start(ReviewFilter(deck=d)).new[0] for d in ("alpha", "beta")}
    schedulers = service.schedulers()
    alpha = schedulers.for_deck("alpha").review(
        cards["alpha"].id, cards["alpha"].state, Rating.Good, clock.now(), 0
    )
    beta = schedulers.for_deck("beta").review(
        cards["beta"].id, cards["beta"].state, Rating.Good, clock.now(), 0
    )
    assert alpha.interval == timedelta(minutes=10) == beta.interval  # second of the steps
    # Good on the last step: beta graduates, alpha has a third step of an hour.
    alpha2 = schedulers.for_deck("alpha").review(
        cards["alpha"].id, alpha.after, Rating.Good, clock.now() + timedelta(minutes=10), 1
    )
    beta2 = schedulers.for_deck("beta").review(
        cards["beta"].id, beta.after, Rating.Good, clock.now() + timedelta(minutes=10), 1
    )
    assert alpha2.after.status == Status.LEARNING
    assert alpha2.interval == timedelta(hours=1)
    assert beta2.after.status == Status.REVIEW
    # Desired retention 0.8 and a 30-day cap: an easy card of alpha stops at 30 days.
    state = alpha2.after
    at = clock.now()
    for reps in range(2, 12):
        at += timedelta(days=40)
        state = schedulers.for_deck("alpha").review(cards["alpha"].id, state, Rating.Easy, at, reps)
        assert state.days is not None
        assert state.days <= 30
        state = state.after


def test_the_leech_threshold_is_the_decks(ctx: AppContext, clock: ManualClock) -> None:
    two_decks(ctx, 1)
    with ctx.db.write() as s:
        for deck in ("alpha", "beta"):
            card_id = s.scalar(
                select(Card.id).join(Deck, Deck.id == Card.deck_id).where(Deck.name == deck)
            )
            for day in (1, 2):
                s.add(ReviewLog(
                    card_id=card_id, rating=1, reviewed_at=clock.now() - timedelta(days=day),
                    duration_ms=1000, state_before=int(Status.REVIEW),
                    state_after=int(Status.RELEARNING), card_before="{}",
                ))  # fmt: skip
    found = leeches(ctx)
    assert [leech.deck for leech in found] == ["alpha"]  # 2 lapses: alpha's threshold, not 8


# -- limits ---------------------------------------------------------------------------------


def test_a_decks_own_new_limit_holds_within_the_total(ctx: AppContext, clock: ManualClock) -> None:
    two_decks(ctx)
    service = ReviewService(ctx)
    assert service.start(ReviewFilter(deck="alpha")).counts().new == 2  # its own limit
    assert service.start(ReviewFilter(deck="beta")).counts().new == 10  # none of its own
    stats = DeckStatsService(ctx)
    rows = {row.deck: row for row in stats.decks()}
    assert (rows["alpha"].new, rows["beta"].new) == (2, 10)
    assert stats.stats().new_available == service.start(ALL).counts().new
    # The total holds too: with 3 a day over all decks and 2 of beta's rated, alpha gets 1.
    set_config_values(ctx.paths.config_file, {"review": PRESETS.replace("20,", "3,", 1)})
    ctx.reload_settings()
    beta = ReviewService(ctx).start(ReviewFilter(deck="beta"))
    for _ in range(2):
        assert beta.next_card() is not None
        beta.rate(Rating.Easy)
    beta.flush()
    assert ReviewService(ctx).start(ReviewFilter(deck="alpha")).counts().new == 1
    rows = {row.deck: row for row in DeckStatsService(ctx).decks()}
    assert (rows["alpha"].new, rows["beta"].new) == (1, 1)


def test_burying_a_new_card_of_a_limited_deck_brings_the_next(
    ctx: AppContext, clock: ManualClock
) -> None:
    two_decks(ctx)
    session = ReviewService(ctx).start(ReviewFilter(deck="alpha"))
    assert session.counts().new == 2
    first = session.next_card()
    assert first is not None
    assert first.deck == "alpha"
    session.bury()
    session.flush()
    assert session.counts().new == 2  # the buried card used nothing: the next one came
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Good)
    session.flush()
    assert session.counts().new == 1


def test_rated_new_cards_use_up_the_decks_limit(ctx: AppContext, clock: ManualClock) -> None:
    two_decks(ctx)
    session = ReviewService(ctx).start(ReviewFilter(deck="alpha"))
    for _ in range(2):
        assert session.next_card() is not None
        session.rate(Rating.Easy)
    session.flush()
    service = ReviewService(ctx)
    assert service.start(ReviewFilter(deck="alpha")).counts().new == 0
    assert service.start(ReviewFilter(deck="beta")).counts().new == 10
    assert Counter(card.deck for card in service.start(ALL).new)["alpha"] == 0
    rows = {row.deck: row for row in DeckStatsService(ctx).decks()}
    assert rows["alpha"].new == 0


def test_a_decks_own_review_limit(ctx: AppContext, clock: ManualClock) -> None:
    two_decks(ctx)
    make_due(ctx, clock, "alpha", 6)
    make_due(ctx, clock, "beta", 4)
    session = ReviewService(ctx).start(ALL)
    per_deck = Counter(card.deck for card in session.review)
    assert (per_deck["alpha"], per_deck["beta"]) == (3, 4)
    assert session.review_limited
    assert Counter(card.deck for card in session.new)["alpha"] == 0  # its reviews used its 3
    stats = DeckStatsService(ctx)
    rows = {row.deck: row for row in stats.decks()}
    assert (rows["alpha"].review, rows["beta"].review) == (3, 4)
    assert (rows["alpha"].new, rows["beta"].new) == (0, 6)
    assert stats.stats().due_today == 7 == session.counts().review
    assert stats.stats().new_available == session.counts().new


# -- parameters per preset ------------------------------------------------------------------


def test_parameters_are_fitted_and_used_per_preset(ctx: AppContext, clock: ManualClock) -> None:
    two_decks(ctx, 1)
    service = ReviewService(ctx)
    assert service.parameters("alpha") is None
    assert service.parameters("beta") is None
    default = [0.5] * 21
    with ctx.db.write() as s:
        s.add(SchedulerParams(fitted_at=clock.now(), parameters=json.dumps(default),
                              reviews_used=500, loss_before=None, loss_after=None))  # fmt: skip
    # A preset never fitted starts from the default preset's fit.
    assert service.parameters("alpha") == service.parameters("beta") == tuple(default)
    slow = [0.6] * 21
    with ctx.db.write() as s:
        s.add(SchedulerParams(fitted_at=clock.now(), parameters=json.dumps(slow),
                              reviews_used=500, loss_before=None, loss_after=None,
                              preset="slow"))  # fmt: skip
    assert service.parameters("alpha") == tuple(slow)
    assert service.parameters("beta") == tuple(default)
    assert DeckService(ctx).current_parameters("slow") == tuple(slow)


def test_optimizing_an_unknown_preset_is_refused(ctx: AppContext) -> None:
    with pytest.raises(NotFoundError, match="no preset 'nope'"):
        DeckService(ctx).optimize(preset="nope")


def test_optimize_fits_each_preset_and_says_which_lack_history(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    two_decks(ctx, 1)
    ctx.close()
    assert run(["decks", "optimize"]) == 1
    out = capsys.readouterr().out
    assert "Preset default:" in out
    assert "Preset slow:" in out
    assert out.count("not enough review history") == 2


def test_the_preset_of_a_fit_survives_export_and_import(
    ctx: AppContext, clock: ManualClock, tmp_path: Path
) -> None:
    from studytui.core.services.transfer import TransferService

    two_decks(ctx, 1)
    with ctx.db.write() as s:
        s.add(SchedulerParams(fitted_at=clock.now(), parameters=json.dumps([0.6] * 21),
                              reviews_used=500, loss_before=None, loss_after=None,
                              preset="slow"))  # fmt: skip
    target = TransferService(ctx).export(tmp_path / "export.json")
    doc = TransferService(ctx).document()
    assert [p["preset"] for p in doc["scheduler_params"]] == ["slow"]
    with ctx.db.write() as s:
        s.execute(SchedulerParams.__table__.delete())
    TransferService(ctx).import_file(target)
    assert ReviewService(ctx).parameters("alpha") == tuple([0.6] * 21)
    assert ReviewService(ctx).parameters("beta") is None


def test_decks_list_shows_presets_and_a_deck_no_preset_finds(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    two_decks(ctx, 1)
    set_config_values(
        ctx.paths.config_file,
        {"review": "{presets: {slow: {decks: [alpha, alpah], new_cards_per_day: 1}}}"},
    )
    ctx.close()
    assert run(["decks", "list"]) == 0
    captured = capsys.readouterr()
    assert "preset slow: alpha, alpah" in captured.out
    assert "review.presets.slow: no deck 'alpah'" in captured.err


async def test_the_review_screen_says_which_limit_keeps_new_cards_waiting(
    ctx: AppContext, clock: ManualClock
) -> None:
    """Pressing real keys: two Easy ratings use alpha's own limit of 2 new cards a day."""
    from studytui.ui.app import StudyApp
    from test_review_screen import body, settle

    two_decks(ctx, 4)
    app = StudyApp(ctx, start_mode="review", review={"deck": "alpha"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(2):
            clock.advance(seconds=4)
            await pilot.press("space", "4")
        await settle(pilot)
        text = body(app)
    assert "2 new card(s) wait" in text
    assert "today's limit of 2 new cards a day in deck alpha, preset slow is reached" in text
    summary = ReviewService(ctx).summary(ReviewFilter(deck="beta"))
    assert not summary.limited  # beta has no limit of its own, and the total has room


def test_sibling_burying_is_the_decks_preset(ctx: AppContext) -> None:
    """As Anki's burying options are a preset's: alpha's preset lets a note's two cards come the
    same day; beta, in no preset, keeps the default (one new card per note a day)."""
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("alpha", "beta"):
        cards = "".join(
            f"  - id: q{i}\n    type: reversed\n    front: {name} term {i}\n"
            f"    back: {name} meaning {i}\n"
            for i in range(3)
        )
        text = f"schema: 1\ntopic: {name}\ntitle: {name.title()}\ncards:\n{cards}"
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    set_config_values(
        ctx.paths.config_file,
        {"review": "{presets: {together: {decks: [alpha], bury_new_siblings: false}}}"},
    )
    ctx.reload_settings()
    sync_decks(ctx)
    service = ReviewService(ctx)
    assert service.start(ReviewFilter(deck="alpha")).counts().new == 6
    assert service.start(ReviewFilter(deck="beta")).counts().new == 3
    rows = {row.deck: row for row in DeckStatsService(ctx).decks()}
    assert (rows["alpha"].new, rows["beta"].new) == (6, 3)


def test_an_included_new_card_counts_against_its_home_deck_in_the_queue_and_the_row(
    ctx: AppContext,
) -> None:
    two_decks(ctx)
    path = ctx.paths.user_deck_dir / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("cards:\n", "include:\n  - deck: beta\n    note: card:q0\ncards:\n", 1),
        encoding="utf-8",
    )
    sync_decks(ctx)
    queue = ReviewService(ctx).start(ReviewFilter(deck="alpha"))
    assert Counter(card.deck for card in queue.new) == {"alpha": 2, "beta": 1}
    rows = {row.deck: row for row in DeckStatsService(ctx).decks()}
    assert rows["alpha"].new == queue.counts().new == 3
