"""One home per fact: a deck includes another deck's note; a replaced copy gives up its history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.parser import parse_deck_text
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import InputError
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.storage.models import Card, Deck, ReviewLog
from test_decks_sync import cards_of, write_deck

HOME = """\
schema: 1
topic: algebra
title: Algebra
concepts:
  - id: pca
    term: PCA
    definition: Projection onto the directions of greatest variance.
"""
COPY = """\
schema: 1
topic: learning
title: Learning
concepts:
  - id: pca
    term: Principal component analysis
    definition: A linear projection that keeps the most variance.
cards:
  - id: own
    front: Why scale features before k-means?
    back: Distances would be dominated by the feature with the largest range.
"""
INCLUDING = """\
schema: 1
topic: learning
title: Learning
include:
  - deck: algebra
    note: concept:pca
    replaces: concept:pca
cards:
  - id: own
    front: Why scale features before k-means?
    back: Distances would be dominated by the feature with the largest range.
"""


def review_all(ctx: AppContext, clock: ManualClock, deck: str, rating: int = 3) -> list[str]:
    """Rate every card the deck's queue offers today; the keys rated, in order."""
    session = ReviewService(ctx).start(ReviewFilter(deck=deck))
    keys = []
    while (card := session.next_card()) is not None:
        keys.append(f"{card.deck}/{card.key}")
        clock.advance(seconds=5)
        session.rate(rating)
    session.flush()
    return keys


def logs(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(ReviewLog)) or 0)


def test_a_deck_reviews_the_notes_it_includes(ctx: AppContext, clock: ManualClock) -> None:
    write_deck(ctx, "algebra", HOME)
    write_deck(ctx, "learning", INCLUDING.replace("    replaces: concept:pca\n", ""))
    report = sync_decks(ctx)
    assert report.problems == []
    session = ReviewService(ctx).start(ReviewFilter(deck="learning"))
    shown = set()
    while (card := session.next_card()) is not None:
        shown.add((card.deck, card.key))
        session.bury()
    # One new card per note a day: the included note's forward card, shown with its home deck.
    assert shown == {("learning", "card:own"), ("algebra", "concept:pca:fwd")}


def test_a_replaced_copy_hands_its_history_to_the_home_card(
    ctx: AppContext, clock: ManualClock
) -> None:
    write_deck(ctx, "algebra", HOME)
    path = write_deck(ctx, "learning", COPY)
    sync_decks(ctx)
    assert "learning/concept:pca:fwd" in review_all(ctx, clock, "learning")
    copy_before = cards_of(ctx, "learning")["concept:pca:fwd"]
    before = logs(ctx)
    with ctx.db.read() as s:
        copy_logs = s.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == copy_before.id)
        )
    assert copy_logs
    path.write_text(INCLUDING, encoding="utf-8")
    report = sync_decks(ctx)
    assert (report.refused, report.merged, report.problems) == (0, 1, [])
    assert logs(ctx) == before  # every review kept
    home = cards_of(ctx, "algebra")["concept:pca:fwd"]
    copy = cards_of(ctx, "learning")["concept:pca:fwd"]
    assert (home.state, home.stability, home.due) == (
        copy_before.state,
        copy_before.stability,
        copy_before.due,
    )
    assert copy.retired_at is not None
    assert copy.last_review is None
    with ctx.db.read() as s:
        on_home = s.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == home.id)
        )
    assert on_home == copy_logs
    # Idempotent: a forced sync moves nothing again.
    again = sync_decks(ctx, force=True)
    assert (again.merged, logs(ctx)) == (0, before)


def test_the_more_recent_review_wins_when_both_were_reviewed(
    ctx: AppContext, clock: ManualClock
) -> None:
    write_deck(ctx, "algebra", HOME)
    path = write_deck(ctx, "learning", COPY)
    sync_decks(ctx)
    review_all(ctx, clock, "learning", rating=3)
    clock.advance(days=1)
    review_all(ctx, clock, "algebra", rating=1)  # the home card, later, forgotten
    home_before = cards_of(ctx, "algebra")["concept:pca:fwd"]
    path.write_text(INCLUDING, encoding="utf-8")
    assert sync_decks(ctx).merged == 1
    home = cards_of(ctx, "algebra")["concept:pca:fwd"]
    assert (home.state, home.last_review) == (home_before.state, home_before.last_review)
    with ctx.db.read() as s:
        on_home = s.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == home.id)
        )
    assert on_home >= 2


def test_an_include_that_names_no_note_is_reported(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_deck(ctx, "algebra", HOME)
    bad = INCLUDING.replace("note: concept:pca", "note: concept:svd")
    write_deck(ctx, "learning", bad.replace("    replaces: concept:pca\n", ""))
    report = sync_decks(ctx)
    assert [p.field for p in report.problems] == ["include[0]"]
    assert "no note concept:svd in deck 'algebra'" in report.problems[0].message
    with ctx.db.read() as s:  # the deck's own cards still load
        assert s.scalar(select(func.count()).select_from(Card).join(Deck).where(
            Deck.name == "learning")) == 1  # fmt: skip
    file = tmp_path / "learning.yaml"
    file.write_text(bad.replace("    replaces: concept:pca\n", ""), encoding="utf-8")
    assert run(["decks", "check", str(file)]) == 1
    assert "include[0]: include: no note concept:svd in deck 'algebra'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{deck: learning, note: 'card:own'}", "cannot include its own notes"),
        ("{deck: algebra, note: pca}", "is not a note"),
        ("{deck: algebra, note: 'concept:pca', replaces: 'card:own'}", "still made by this file"),
    ],
)
def test_bad_includes_are_refused(entry: str, message: str) -> None:
    text = INCLUDING.split("include:")[0] + f"include:\n  - {entry}\n" + INCLUDING.split(
        "    replaces: concept:pca\n")[1]  # fmt: skip
    with pytest.raises(InputError, match=message):
        parse_deck_text(text, "learning.yaml")


CLOZE_HOME = """\
schema: 1
topic: algebra
title: Algebra
statements:
  - id: distil
    text: >-
      DistilBERT keeps {{c1::97%}} of BERT's language understanding with {{c2::40%}} fewer
      parameters.
  - id: toolkit
    text: Docker reaches the GPUs of the host through the {{c1::NVIDIA Container Toolkit}}.
"""
CLOZE_COPY = """\
schema: 1
topic: learning
title: Learning
statements:
  - id: distil
    text: DistilBERT has {{c1::40%}} fewer parameters than BERT.
  - id: gpus
    text: Docker gives a container the GPUs with {{c1::--gpus all}}.
"""
CLOZE_INCLUDING = """\
schema: 1
topic: learning
title: Learning
retired: []
include:
  - deck: algebra
    note: cloze:distil
    replaces: cloze:distil
  - deck: algebra
    note: cloze:toolkit
    replaces: cloze:gpus
"""


def test_a_copys_history_goes_to_the_home_card_that_asks_the_same(
    ctx: AppContext, clock: ManualClock
) -> None:
    """The copy's c1 asks for "40%", which is the home's c2, not its c1: history follows the
    fact; a copy asking what no home card asks ("--gpus all") keeps its history (an alias)."""
    write_deck(ctx, "algebra", CLOZE_HOME)
    path = write_deck(ctx, "learning", CLOZE_COPY)
    sync_decks(ctx)
    review_all(ctx, clock, "learning")
    copies = cards_of(ctx, "learning")
    with ctx.db.read() as s:
        before = dict(
            s.execute(select(ReviewLog.card_id, func.count()).group_by(ReviewLog.card_id)).all()
        )
    path.write_text(CLOZE_INCLUDING, encoding="utf-8")
    report = sync_decks(ctx)
    assert (report.refused, report.merged, report.problems) == (0, 1, [])
    home = cards_of(ctx, "algebra")
    with ctx.db.read() as s:

        def on(card_id: int) -> int:
            q = select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == card_id)
            return int(s.scalar(q) or 0)

        copy_logs = before[copies["cloze:distil:c1"].id]
        assert on(home["cloze:distil:c2"].id) == copy_logs > 0  # "40%"
        assert on(home["cloze:distil:c1"].id) == 0
        assert on(copies["cloze:gpus:c1"].id) == before[copies["cloze:gpus:c1"].id] > 0
    after = cards_of(ctx, "learning")
    assert after["cloze:gpus:c1"].retired_at is not None
    assert after["cloze:gpus:c1"].last_review is not None  # its memory, not lent to another
