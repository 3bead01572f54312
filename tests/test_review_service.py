"""The review service: daily limits, roadmap order, rating with logs, undo, bury, suspend, edit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import NotFoundError
from studytui.core.scheduling import CardState, Rating, Status
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewFilter, ReviewService, ReviewSession
from studytui.core.storage.models import Card, DeckInclude, ReviewLog

BERLIN = ZoneInfo("Europe/Berlin")

DEMO = """\
schema: 1
topic: demo
title: Demo deck
cards:
"""


def demo_deck(ctx: AppContext, n: int = 8, extra: str = "") -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    cards = "".join(
        f"  - id: q{i}\n    front: Question {i}\n    back: Answer {i}\n" for i in range(n)
    )
    # With no cards, no ``cards:`` line: a section left empty is an error, a deck without
    # sections is a deck for cards added in the app.
    text = DEMO + cards + extra if n else DEMO.replace("cards:\n", "") + extra
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    sync_decks(ctx)


def limits(ctx: AppContext, **values: int) -> None:
    ctx.settings = replace(ctx.settings, review=replace(ctx.settings.review, **values))


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


def logs(ctx: AppContext) -> list[tuple[int, int, int, int, int | None]]:
    with ctx.db.read() as s:
        return [
            tuple(r)  # type: ignore[misc]
            for r in s.execute(
                select(
                    ReviewLog.card_id,
                    ReviewLog.rating,
                    ReviewLog.state_before,
                    ReviewLog.state_after,
                    ReviewLog.duration_ms,
                ).order_by(ReviewLog.id)
            )
        ]


def stored_state(ctx: AppContext, card_id: int) -> CardState:
    return ReviewService(ctx).card(card_id).state


DECK = ReviewFilter(deck="demo")


def test_rating_writes_state_and_log_in_one_go(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    service = ReviewService(ctx)
    session = service.start(DECK)
    assert session.counts().new == 8
    card = session.next_card()
    assert card is not None
    assert card.key == "card:q0"
    clock.advance(seconds=7)
    outcome = session.rate(Rating.Good)
    assert session.pending == 1
    assert logs(ctx) == []  # nothing written until flushed (the UI flushes in a worker)
    assert session.flush() == 1
    assert logs(ctx) == [(card.id, 3, 0, 1, 7000)]
    assert stored_state(ctx, card.id) == outcome.after
    with ctx.db.read() as s:
        log = s.scalars(select(ReviewLog)).one()
        assert log.reviewed_at == clock.now()
        assert log.due_after == outcome.after.due
        assert CardState.from_json(log.card_before) == CardState()


def test_ratings_survive_a_restart(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    session = ReviewService(ctx).start(DECK)
    first = session.next_card()
    assert first is not None
    session.rate(Rating.Easy)
    session.flush()
    ctx.close()
    again = open_context(ctx.paths, clock)
    try:
        state = ReviewService(again).card(first.id).state
        assert state.status == Status.REVIEW
        fresh = ReviewService(again).start(DECK)
        assert fresh.counts().new == 7
    finally:
        again.close()


def test_learning_cards_come_back_the_same_day(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, 1)
    session = ReviewService(ctx).start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Again)  # learning step 1m
    assert session.counts().learning == 1
    # Within the 20-minute learn-ahead it is shown straight away when nothing else is left.
    again = session.next_card()
    assert again is not None
    assert again.id == card.id
    assert session.current_source == "learning"
    session.rate(Rating.Good)  # step 2: 10m
    assert session.next_card() is not None  # learn-ahead
    session.rate(Rating.Good)  # graduates
    assert session.next_card() is None
    session.flush()
    assert [r[1] for r in logs(ctx)] == [1, 3, 3]


def test_daily_new_card_limit(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    limits(ctx, new_cards_per_day=3)
    service = ReviewService(ctx)
    session = service.start(DECK)
    assert session.counts().new == 3
    assert session.new_limited
    for _ in range(3):
        session.next_card()
        session.rate(Rating.Easy)
    session.flush()
    assert service.start(DECK).counts().new == 0
    summary = service.summary(DECK)
    assert summary.limited
    assert summary.new_waiting == 5
    assert {r.deck: r.new for r in DeckStatsService(ctx).decks()}["demo"] == 0
    # The next study day brings three more.
    clock.advance(days=1)
    assert service.start(DECK).counts().new == 3


def test_daily_review_limit(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    service = ReviewService(ctx)
    session = service.start(DECK)
    for _ in range(8):
        session.next_card()
        session.rate(Rating.Easy)
    session.flush()
    clock.advance(days=60)
    limits(ctx, reviews_per_day=5)
    session = service.start(DECK)
    assert session.counts().review == 5
    assert session.review_limited
    rows = {r.deck: r for r in DeckStatsService(ctx).decks()}
    assert rows["demo"].review == 5
    assert rows["demo"].due == 5
    for _ in range(2):
        session.next_card()
        session.rate(Rating.Good)
    session.flush()
    assert service.start(DECK).counts().review == 3


def test_a_review_at_one_in_the_night_counts_for_the_day_before(
    ctx: AppContext, clock: ManualClock
) -> None:
    demo_deck(ctx)
    limits(ctx, new_cards_per_day=2)
    service = ReviewService(ctx)
    clock.set(local("2026-11-21 22:00"))
    session = service.start(DECK)
    session.next_card()
    session.rate(Rating.Easy)
    session.flush()
    clock.set(local("2026-11-22 01:00"))  # still study day 21 Nov
    session = service.start(DECK)
    assert session.day == date(2026, 11, 21)
    assert session.counts().new == 1
    session.next_card()
    session.rate(Rating.Easy)
    session.flush()
    assert service.start(DECK).counts().new == 0
    clock.set(local("2026-11-22 04:00"))  # the new study day
    assert service.start(DECK).counts().new == 2


def study_day_start(instant: datetime) -> datetime:
    from studytui.core.studyday import StudyCalendar

    calendar = StudyCalendar("Europe/Berlin", 4)
    return calendar.day_start(calendar.day_of(instant))


def test_a_card_due_before_the_rollover_is_due_today(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, 1)
    service = ReviewService(ctx)
    clock.set(local("2026-11-21 22:00"))
    session = service.start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Easy)
    session.flush()
    due = stored_state(ctx, card.id).due
    assert due is not None
    # Due on a study day: from its 04:00 rollover on, never N x 24 h after 22:00.
    assert study_day_start(due) == due
    clock.set(due)
    assert service.start(DECK).counts().review == 1
    clock.set(due - timedelta(minutes=1))  # 03:59: still the study day before
    assert service.start(DECK).counts().review == 0


def test_undo_restores_the_card_and_removes_the_log(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    session = ReviewService(ctx).start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Good)
    session.flush()
    second = session.next_card()
    assert second is not None
    assert second.id != card.id
    undone = session.undo()
    assert undone is not None
    assert undone.kind == "rate"
    # The rated card is the current card again, the one that was showing goes back in line.
    assert session.current is not None
    assert session.current.id == card.id
    assert session.counts().new == 8
    assert session.counts().learning == 0
    session.flush()
    assert logs(ctx) == []
    assert stored_state(ctx, card.id) == CardState()
    # Rated again, the second card comes next.
    session.rate(Rating.Easy)
    assert (nxt := session.next_card()) is not None
    assert nxt.id == second.id
    session.flush()
    assert len(logs(ctx)) == 1


def test_undo_before_the_write_happened(ctx: AppContext) -> None:
    demo_deck(ctx)
    session = ReviewService(ctx).start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Again)
    session.undo()
    assert not session.can_undo
    assert session.undo() is None
    session.flush()
    assert logs(ctx) == []
    assert stored_state(ctx, card.id) == CardState()


def test_bury_and_suspend_and_their_undo(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, 3)
    service = ReviewService(ctx)
    session = service.start(DECK)
    buried = session.next_card()
    assert buried is not None
    session.bury()
    suspended = session.next_card()
    assert suspended is not None
    session.suspend()
    assert session.counts().new == 1
    session.flush()
    assert service.start(DECK).counts().new == 1
    session.undo()  # unsuspend
    session.flush()
    assert service.start(DECK).counts().new == 2
    clock.advance(days=1)
    assert service.start(DECK).counts().new == 3  # the buried card is back the next day
    rows = {r.deck: r for r in DeckStatsService(ctx).decks()}
    assert rows["demo"].suspended == 0
    # `decks unsuspend` brings suspended cards back.
    session = service.start(DECK)
    session.next_card()
    session.suspend()
    session.flush()
    assert service.unsuspend("demo") == 1
    with pytest.raises(NotFoundError, match="no deck 'nope' \\(see `studytui decks list`\\)"):
        service.unsuspend("nope")
    with pytest.raises(NotFoundError, match="card 999999 does not exist"):
        service.history(999999)


def test_edit_keeps_the_card_and_its_history(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    service = ReviewService(ctx)
    session = service.start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Good)
    session.flush()
    before = service.card(card.id)
    edited = service.edit(card.id, "  New [b]front[/]  ", "New back")
    assert edited.id == card.id
    assert edited.front == "New [b]front[/]"
    assert edited.edited
    assert edited.state == before.state
    assert len(service.history(card.id)) == 1
    with pytest.raises(Exception, match="front and a back"):
        service.edit(card.id, "", "x")


def test_new_cards_follow_the_roadmap(ctx: AppContext) -> None:
    sync_decks(ctx)
    service = ReviewService(ctx)
    week_topics = set(service.week_topics(None)[1])
    assert week_topics
    session = service.start()
    cards = list(session.new)
    assert len(cards) == ctx.settings.review.new_cards_per_day
    assert cards[0].topic_id in week_topics
    firsts = [c.topic_id for c in cards[: len(week_topics)]]
    assert firsts[0] in week_topics
    # Never two cards of one concept (siblings) on the same day.
    from studytui.core.decks.cards import sibling_group

    groups = [(c.deck, sibling_group(c.key)) for c in cards]
    assert len(groups) == len(set(groups))


def test_filters(ctx: AppContext) -> None:
    sync_decks(ctx)
    service = ReviewService(ctx)
    week = service.start(ReviewFilter(this_week=True))
    _, topics = service.week_topics(None)
    with ctx.db.read() as s:  # a week's decks also show the notes they include (one home)
        included = set(s.scalars(select(DeckInclude.card_id)))
    assert {c.topic_id for c in week.new if c.id not in included} <= set(topics)
    assert "this week" in week.label
    topic = service.start(ReviewFilter(topic="rag"))
    assert {c.deck for c in topic.new if c.id not in included} == {"rag"}
    week2 = service.start(ReviewFilter(week=2))
    _, topics2 = service.week_topics(2)
    assert {c.topic_id for c in week2.new} <= set(topics2)
    with pytest.raises(NotFoundError, match="no deck 'nope'"):
        service.start(ReviewFilter(deck="nope"))
    with pytest.raises(NotFoundError, match="week 99"):
        service.start(ReviewFilter(week=99))


def test_summary_when_done(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, 2)
    service = ReviewService(ctx)
    session: ReviewSession = service.start(DECK)
    session.next_card()
    clock.advance(seconds=10)
    session.rate(Rating.Again)
    session.next_card()
    clock.advance(seconds=20)
    session.rate(Rating.Easy)
    session.flush()
    summary = service.summary(DECK)
    assert summary.reviewed == 2
    assert summary.again == 1
    assert summary.again_rate == 0.5
    assert summary.seconds == 30
    assert summary.next_learning is not None
    assert summary.next_review_day is not None
    assert summary.next_review_day > ctx.today()


def test_added_cards_are_new_cards(ctx: AppContext) -> None:
    demo_deck(ctx, 0)
    service = ReviewService(ctx)
    assert service.start(DECK).counts().new == 0
    service.add("demo", "Q", "A", reverse=True)
    session = service.start(DECK)
    assert session.counts().new == 1  # its reverse is a sibling: tomorrow
    with pytest.raises(NotFoundError):
        service.add("nope", "Q", "A")
    sync_decks(ctx, force=True)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count(Card.id)).where(Card.retired_at.is_not(None))) == 0


def test_stats(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, 4)
    service = ReviewService(ctx)
    session = service.start(DECK)
    for rating in (Rating.Easy, Rating.Easy, Rating.Easy, Rating.Again):
        session.next_card()
        session.rate(rating)
    session.flush()
    stats = DeckStatsService(ctx)
    first = stats.stats()
    assert first.per_day[-1].day == ctx.today()
    assert first.per_day[-1].reviews == 4
    assert first.per_day[-1].again == 1
    assert first.states.review == 3
    assert first.states.learning == 1
    assert sum(d.reviews for d in first.forecast) == 4
    # A month later every card is due; review them: Good twice, Again once.
    clock.advance(days=40)
    session = service.start(DECK)
    assert session.counts().review == 3
    ratings = iter((Rating.Good, Rating.Again, Rating.Good))
    while (card := session.next_card()) is not None:
        session.rate(next(ratings) if card.status == Status.REVIEW else Rating.Easy)
    session.flush()
    later = stats.stats()
    demo = next(r for r in later.retention if r.deck == "demo")
    assert (demo.reviews, demo.passed) == (3, 2)
    assert later.retention_all.retention == pytest.approx(2 / 3)
    assert later.desired_retention == 0.9
    # The dashboard leaves retention out (it does not show it); every other figure is the same.
    lean = stats.stats(retention_days=0)
    assert lean.retention == ()
    assert lean.retention_all.reviews == 0
    assert (lean.per_day, lean.forecast, lean.states, lean.new_available) == (
        later.per_day,
        later.forecast,
        later.states,
        later.new_available,
    )
    assert later.due_today == later.forecast[0].reviews


def test_a_due_stored_by_the_old_24_hour_rule_keeps_its_study_day(
    ctx: AppContext, clock: ManualClock
) -> None:
    """Before due dates were study days, a review card was due N x 24 h after its review
    (here 22:00 local). No conversion is needed: the queue reads the study day the stored
    instant falls in, and the next rating counts the interval from those days."""
    from sqlalchemy import update

    from studytui.core.storage.models import Card

    demo_deck(ctx, 1)
    service = ReviewService(ctx)
    clock.set(local("2026-11-21 22:00"))
    session = service.start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Easy)
    session.flush()
    reviewed = local("2026-11-21 22:00")
    old_due = reviewed + timedelta(days=9)  # the old rule: 30 Nov 22:00
    with ctx.db.write() as s:
        s.execute(update(Card).where(Card.id == card.id).values(due=old_due, stability=9.2))
    clock.set(local("2026-11-30 03:59"))  # study day 29 Nov: not yet
    assert service.start(DECK).counts().review == 0
    clock.set(local("2026-11-30 04:00"))  # study day 30 Nov, its due day, from the rollover
    session = service.start(DECK)
    assert session.counts().review == 1
    from studytui.core.scheduling import ReviewScheduler
    from studytui.core.studyday import StudyCalendar

    scheduler = ReviewScheduler(ctx.settings.review, StudyCalendar("Europe/Berlin", 4))
    assert scheduler.scheduled_days(stored_state(ctx, card.id)) == 9
