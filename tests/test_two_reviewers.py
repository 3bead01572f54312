"""Two studytui instances reviewing one database: a rating is computed from the card's stored
state, so neither overwrites the other's review, and an undo takes back only its own review.

Each instance is its own ``open_context`` (its own connections and clock), as two processes would
be; the last test runs two real processes.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import FIXED_NOW
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.scheduling import CardState, Rating
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.paths import AppPaths

DECK = """\
schema: 1
topic: demo
title: Demo deck
cards:
  - id: q1
    front: Question 1
    back: Answer 1
  - id: q2
    front: Question 2
    back: Answer 2
"""
DEMO = ReviewFilter(deck="demo")


@pytest.fixture
def two(paths: AppPaths) -> Iterator[tuple[AppContext, AppContext]]:
    first = open_context(paths, ManualClock(FIXED_NOW))
    folder = first.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.yaml").write_text(DECK, encoding="utf-8")
    sync_decks(first)
    second = open_context(paths, ManualClock(FIXED_NOW))
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def logs(ctx: AppContext, card_id: int) -> list[tuple[int, datetime, CardState]]:
    """(rating, reviewed_at, state before) of a card's reviews, in time order."""
    import sqlite3

    from studytui.core.storage.sqltypes import stored_datetime

    conn = sqlite3.connect(ctx.paths.database)
    try:
        rows = conn.execute(
            "SELECT rating, reviewed_at, card_before FROM review_log WHERE card_id = ? "
            "ORDER BY reviewed_at, id",
            (card_id,),
        ).fetchall()
    finally:
        conn.close()
    return [(r, stored_datetime(at), CardState.from_json(before)) for r, at, before in rows]


def replay(ctx: AppContext, card_id: int, reviews: list[tuple[Rating, datetime]]) -> CardState:
    """The state a card reaches when ``reviews`` are applied in order to a new card."""
    scheduler = ReviewService(ctx).scheduler()
    state = CardState()
    for reps, (rating, at) in enumerate(reviews):  # fuzz is seeded by the review count
        state = scheduler.review(card_id, state, rating, at, reps).after
    return state


def at_time(clock: object, when: datetime) -> None:
    assert isinstance(clock, ManualClock)
    clock.advance(seconds=(when - clock.now()).total_seconds())


def test_the_second_rating_builds_on_the_first(two: tuple[AppContext, AppContext]) -> None:
    a, b = two
    sa, sb = ReviewService(a).start(DEMO), ReviewService(b).start(DEMO)
    card_a, card_b = sa.next_card(), sb.next_card()
    assert card_a is not None
    assert card_b is not None
    assert card_a.id == card_b.id  # both screens show the same card
    t1, t2 = FIXED_NOW + timedelta(seconds=10), FIXED_NOW + timedelta(minutes=15)
    at_time(a.clock, t1)
    sa.rate(Rating.Good)
    assert sa.flush() == 1
    at_time(b.clock, t2)
    stale = sb.rate(Rating.Easy)  # computed from the new card b loaded
    assert stale.before == CardState()
    assert sb.flush() == 1
    expected = replay(a, card_a.id, [(Rating.Good, t1), (Rating.Easy, t2)])
    assert ReviewService(a).card(card_a.id).state == expected
    assert stale.after != expected  # the stale outcome would have been wrong
    history = logs(a, card_a.id)
    assert [(r, t) for r, t, _ in history] == [(3, t1), (4, t2)]
    assert history[1][2] == replay(a, card_a.id, [(Rating.Good, t1)])  # its state before


def test_a_late_write_of_an_earlier_review_is_put_in_its_place(
    two: tuple[AppContext, AppContext],
) -> None:
    """a rated first but could not write (say its disk was full) until after b wrote."""
    a, b = two
    sa, sb = ReviewService(a).start(DEMO), ReviewService(b).start(DEMO)
    card = sa.next_card()
    assert card is not None
    assert sb.next_card() is not None
    t1, t2 = FIXED_NOW + timedelta(seconds=10), FIXED_NOW + timedelta(minutes=15)
    at_time(a.clock, t1)
    sa.rate(Rating.Hard)
    at_time(b.clock, t2)
    sb.rate(Rating.Good)
    sb.flush()
    sa.flush()
    expected = replay(a, card.id, [(Rating.Hard, t1), (Rating.Good, t2)])
    assert ReviewService(a).card(card.id).state == expected
    history = logs(a, card.id)
    assert [(r, t) for r, t, _ in history] == [(2, t1), (3, t2)]
    assert history[0][2] == CardState()
    assert history[1][2] == replay(a, card.id, [(Rating.Hard, t1)])


def test_undo_takes_back_only_its_own_review(two: tuple[AppContext, AppContext]) -> None:
    a, b = two
    sa, sb = ReviewService(a).start(DEMO), ReviewService(b).start(DEMO)
    card = sa.next_card()
    assert card is not None
    assert sb.next_card() is not None
    t1, t2 = FIXED_NOW + timedelta(seconds=10), FIXED_NOW + timedelta(minutes=15)
    at_time(a.clock, t1)
    sa.rate(Rating.Again)
    sa.flush()
    at_time(b.clock, t2)
    sb.rate(Rating.Easy)
    sb.flush()
    undone = sa.undo()
    assert undone is not None
    assert undone.card.id == card.id
    sa.flush()
    assert [(r, t) for r, t, _ in logs(a, card.id)] == [(4, t2)]
    assert ReviewService(a).card(card.id).state == replay(a, card.id, [(Rating.Easy, t2)])
    # And b's undo of its own (now only) review leaves the card new again.
    sb.undo()
    sb.flush()
    assert logs(a, card.id) == []
    assert ReviewService(a).card(card.id).state == CardState()


def test_undo_of_the_latest_review_restores_the_state_before_it(
    two: tuple[AppContext, AppContext],
) -> None:
    a, b = two
    sa, sb = ReviewService(a).start(DEMO), ReviewService(b).start(DEMO)
    card = sa.next_card()
    assert card is not None
    assert sb.next_card() is not None
    t1, t2 = FIXED_NOW + timedelta(seconds=10), FIXED_NOW + timedelta(minutes=15)
    at_time(a.clock, t1)
    sa.rate(Rating.Good)
    sa.flush()
    at_time(b.clock, t2)
    sb.rate(Rating.Good)
    sb.flush()
    sb.undo()
    sb.flush()
    assert [(r, t) for r, t, _ in logs(a, card.id)] == [(3, t1)]
    assert ReviewService(a).card(card.id).state == replay(a, card.id, [(Rating.Good, t1)])


CHILD = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from pathlib import Path
    from studytui.core.clock import ManualClock
    from studytui.core.context import open_context
    from studytui.core.services.review import ReviewFilter, ReviewService
    from studytui.paths import AppPaths

    root, when, rating = Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
    paths = AppPaths(config_dir=root / "config", data_dir=root / "data")
    ctx = open_context(paths, ManualClock(when))
    session = ReviewService(ctx).start(ReviewFilter(deck="demo"))
    card = session.next_card()
    print(f"showing {card.id}", flush=True)
    sys.stdin.readline()  # the parent says when to rate
    session.rate(rating)
    print(f"wrote {session.flush()}", flush=True)
    ctx.close()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process handling")
def test_two_processes_rating_the_same_card(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    paths = AppPaths(config_dir=root / "config", data_dir=root / "data")
    ctx = open_context(paths, ManualClock(FIXED_NOW))
    try:
        paths.user_deck_dir.mkdir(parents=True, exist_ok=True)
        (paths.user_deck_dir / "demo.yaml").write_text(DECK, encoding="utf-8")
        sync_decks(ctx)
        t1, t2 = FIXED_NOW + timedelta(seconds=10), FIXED_NOW + timedelta(minutes=15)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, str(root), when.isoformat(), str(rating)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for when, rating in ((t1, 3), (t2, 4))
        ]
        shown = []
        for proc in procs:  # both load their queue before either rates
            assert proc.stdout is not None
            shown.append(proc.stdout.readline().split()[-1])
        assert shown[0] == shown[1]
        for proc in procs:  # one after the other: the second from a stale screen
            assert proc.stdin is not None
            assert proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "wrote 1"
        for proc in procs:
            _out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        card_id = int(shown[0])
        assert [(r, t) for r, t, _ in logs(ctx, card_id)] == [(3, t1), (4, t2)]
        expected = replay(ctx, card_id, [(Rating.Good, t1), (Rating.Easy, t2)])
        assert ReviewService(ctx).card(card_id).state == expected
    finally:
        ctx.close()
