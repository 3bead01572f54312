"""Loading decks: idempotent, stable card identity, retire on removal, errors per file."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from studytui.cli import run
from studytui.core.context import AppContext
from studytui.core.curriculum.catalog import CurriculumCatalog
from studytui.core.decks.sync import sync_decks
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.storage.models import Card, Deck, ReviewLog
from studytui.resources import bundled_dir

DEMO = """\
schema: 1
topic: demo
title: Demo deck
concepts:
  - id: gd
    term: Gradient descent
    definition: Step against the gradient to lower the loss.
statements:
  - id: lr
    text: The step size is called the {{c1::learning rate}}.
cards:
  - id: overfit
    front: What is overfitting?
    back: Fitting noise in the training data.
  - front: A card without an id
    back: Its identity is a hash of its front.
"""


def write_deck(ctx: AppContext, name: str, text: str) -> Path:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def cards_of(ctx: AppContext, deck: str) -> dict[str, SimpleNamespace]:
    """The deck's cards (retired ones too) as plain records."""
    with ctx.db.read() as s:
        rows = s.scalars(select(Card).join(Deck).where(Deck.name == deck)).all()
        return {
            c.key: SimpleNamespace(**{col.key: getattr(c, col.key) for col in Card.__table__.c})
            for c in rows
        }


def rate_card(ctx: AppContext, deck: str, key: str) -> None:
    """Review one card of a deck through the service (so it has history)."""
    session = ReviewService(ctx).start(ReviewFilter(deck=deck))
    for _ in range(50):
        card = session.next_card()
        assert card is not None, f"{key} not in the queue"
        if card.key == key:
            session.rate(3)
            break
        session.bury()
    session.flush()


def test_every_topic_of_every_roadmap_has_six_cards(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["decks", "list", "--json"]) == 0
    rows = {r["deck"]: r for r in json.loads(capsys.readouterr().out)}
    for row in rows.values():
        assert {"deck", "topic", "cards", "new", "due"} <= set(row)
    catalog = CurriculumCatalog(bundled_dir("curriculum"))
    curricula = catalog.all()
    assert len(curricula) == 5
    for cur in curricula:
        for topic in cur.topics:
            assert topic.id in rows, f"{cur.id}: no deck for {topic.id}"
            assert rows[topic.id]["cards"] >= 6, f"{cur.id}: {topic.id} has too few cards"


def test_sync_is_idempotent_and_skips_unchanged_files(ctx: AppContext) -> None:
    write_deck(ctx, "demo", DEMO)
    first = sync_decks(ctx)
    assert first.synced == first.decks
    assert not first.problems
    with ctx.db.read() as s:
        count = s.scalar(select(func.count(Card.id)))
    second = sync_decks(ctx)
    assert second.synced == 0
    assert second.skipped == second.decks
    with ctx.db.read() as s:
        assert s.scalar(select(func.count(Card.id))) == count
    forced = sync_decks(ctx, force=True)
    assert forced.added == 0
    assert forced.updated == 0
    assert len(cards_of(ctx, "demo")) == 5


def test_editing_text_keeps_the_card_and_its_history(ctx: AppContext) -> None:
    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    rate_card(ctx, "demo", "card:overfit")
    before = cards_of(ctx, "demo")["card:overfit"]
    path.write_text(DEMO.replace("Fitting noise", "Learning the noise"), encoding="utf-8")
    report = sync_decks(ctx)
    assert report.updated == 1
    after = cards_of(ctx, "demo")["card:overfit"]
    assert after.id == before.id
    assert after.back.startswith("Learning the noise")
    assert after.state == before.state
    assert after.stability == before.stability
    assert ReviewService(ctx).history(after.id)


def test_a_removed_card_is_retired_with_its_history_and_can_come_back(ctx: AppContext) -> None:
    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    rate_card(ctx, "demo", "card:overfit")
    card_id = cards_of(ctx, "demo")["card:overfit"].id
    removed = DEMO.replace(
        "  - id: overfit\n    front: What is overfitting?\n"
        "    back: Fitting noise in the training data.\n",
        "",
    )
    path.write_text(removed, encoding="utf-8")
    # A reviewed card is never retired silently: the deck is left as it was, and named.
    refused = sync_decks(ctx)
    assert (refused.refused, refused.retired, refused.synced) == (1, 0, 0)
    (problem,) = refused.problems
    assert problem.file == str(path)
    assert "would retire 1 reviewed card(s): card:overfit" in problem.message
    assert "--retire-reviewed" in problem.message
    assert cards_of(ctx, "demo")["card:overfit"].retired_at is None
    assert sync_decks(ctx).refused == 1  # asked again on every sync until settled
    report = sync_decks(ctx, retire_reviewed=True)
    assert (report.retired, report.refused, report.problems) == (1, 0, [])
    card = cards_of(ctx, "demo")["card:overfit"]
    assert card.retired_at is not None
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).where(ReviewLog.card_id == card_id)) == 1
    rows = {r.deck: r for r in DeckStatsService(ctx).decks()}
    assert rows["demo"].cards == 4
    path.write_text(DEMO, encoding="utf-8")
    report = sync_decks(ctx)
    assert report.restored == 1
    assert cards_of(ctx, "demo")["card:overfit"].retired_at is None


def test_changing_the_front_of_a_card_without_id_makes_a_new_card(ctx: AppContext) -> None:
    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    path.write_text(DEMO.replace("A card without an id", "A card, no id"), encoding="utf-8")
    report = sync_decks(ctx)
    assert (report.added, report.retired) == (1, 1)


def test_an_app_edit_is_not_overwritten_by_the_file(ctx: AppContext) -> None:
    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    card = cards_of(ctx, "demo")["card:overfit"]
    ReviewService(ctx).edit(card.id, "What is overfitting, really?", "Memorising noise.")
    path.write_text(DEMO + "  - id: new\n    front: New\n    back: Card\n", encoding="utf-8")
    sync_decks(ctx)
    assert cards_of(ctx, "demo")["card:overfit"].back == "Memorising noise."


def test_a_malformed_file_is_reported_and_the_others_still_load(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    write_deck(ctx, "demo", DEMO)
    broken = "schema: 1\ntopic: broken\ntitle: Broken\ncards:\n  - front: x\n"
    bad = write_deck(ctx, "broken", broken)
    report = sync_decks(ctx)
    assert [str(p) for p in report.problems] == [f"{bad}:5: cards[0]: missing required key 'back'"]
    assert len(cards_of(ctx, "demo")) == 5
    assert not cards_of(ctx, "broken")
    code = run(["decks", "sync", "--force"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bad}:5: cards[0]: missing required key 'back'" in err


def test_a_user_file_replaces_the_bundled_deck(ctx: AppContext) -> None:
    sync_decks(ctx)
    assert len(cards_of(ctx, "rag")) >= 6
    write_deck(ctx, "rag", DEMO.replace("topic: demo", "topic: rag"))
    report = sync_decks(ctx)
    assert report.synced == 1
    active = {k for k, c in cards_of(ctx, "rag").items() if c.retired_at is None}
    assert active == {
        "concept:gd:fwd", "concept:gd:rev", "cloze:lr:c1", "card:overfit",
        next(k for k in active if k.startswith("card:") and k != "card:overfit"),
    }  # fmt: skip
    assert len(active) == 5


OWN_CURRICULUM = """\
schema: 1
id: my-plan
title: My plan
phases:
  - id: p1
    title: Phase 1
    span: "1-2"
    weeks:
      - span: "1"
        title: Basics
        topics: [my-topic]
      - span: "2"
        title: Empty
        topics: [bare-topic]
topics:
  - id: my-topic
    title: My topic
    concepts:
      - term: Bias
        definition: Error from wrong assumptions.
      - term: Variance
        definition: Error from sensitivity to the training set.
  - id: bare-topic
    title: A topic without concepts
"""


def test_own_curriculum_topics_get_cards_from_concepts_or_a_hint(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ctx.paths.user_curriculum_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "my-plan.yaml").write_text(OWN_CURRICULUM, encoding="utf-8")
    sync_decks(ctx)
    cards = cards_of(ctx, "my-topic")
    assert set(cards) == {
        "concept:bias:fwd", "concept:bias:rev", "concept:variance:fwd", "concept:variance:rev",
    }  # fmt: skip
    assert cards["concept:bias:rev"].front == "Error from wrong assumptions."
    assert run(["decks", "list", "--json"]) == 0
    rows = {r["deck"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["bare-topic"]["cards"] == 0
    assert "add cards in the app" in rows["bare-topic"]["hint"]
    assert rows["my-topic"]["hint"] is None
    # Cards can be added in the app to the empty deck.
    added = ReviewService(ctx).add("bare-topic", "Question?", "Answer.", reverse=True)
    assert [c.kind for c in added] == ["basic", "basic-rev"]
    (folder / "my-plan.yaml").unlink()
    sync_decks(ctx)
    # The topic is gone: its generated cards retire, the cards added in the app stay.
    assert all(c.retired_at is not None for c in cards_of(ctx, "my-topic").values())
    assert all(c.retired_at is None for c in cards_of(ctx, "bare-topic").values())


def test_decks_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "demo.yaml"
    good.write_text(DEMO, encoding="utf-8")
    assert run(["decks", "check", str(good)]) == 0
    assert "valid (5 cards)" in capsys.readouterr().out
    bad = tmp_path / "other.yaml"
    bad.write_text(DEMO, encoding="utf-8")
    assert run(["decks", "check", str(bad)]) == 2
    assert f"{bad}:2: topic: 'demo' does not match the file name" in capsys.readouterr().err


def test_unreviewed_cards_retire_without_asking(ctx: AppContext) -> None:
    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    path.write_text(DEMO.replace("  - id: overfit\n", "  - id: overfitting\n"), encoding="utf-8")
    report = sync_decks(ctx)
    assert (report.retired, report.added, report.refused, report.problems) == (1, 1, 0, [])


def test_a_gone_deck_with_reviewed_cards_is_kept_until_confirmed(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    rate_card(ctx, "demo", "card:overfit")
    path.unlink()
    code = run(["decks", "sync"])
    err = capsys.readouterr().err
    assert code == 2
    assert "deck 'demo' is gone" in err
    assert "would retire 1 reviewed card(s): card:overfit" in err
    assert all(c.retired_at is None for c in cards_of(ctx, "demo").values())
    assert run(["decks", "sync", "--retire-reviewed"]) == 0
    assert "5 retired" in capsys.readouterr().out
    assert all(c.retired_at is not None for c in cards_of(ctx, "demo").values())


async def test_the_app_names_reviewed_cards_a_sync_would_retire(ctx: AppContext) -> None:
    """At start the refused sync is a warning naming the cards; nothing is retired."""
    from typing import Any

    from studytui.ui.app import StudyApp
    from studytui.ui.screens.dashboard import DashboardScreen

    path = write_deck(ctx, "demo", DEMO)
    sync_decks(ctx)
    rate_card(ctx, "demo", "card:overfit")
    path.write_text(DEMO.replace("  - id: overfit\n", "  - id: overfitted\n"), encoding="utf-8")
    shown: list[str] = []
    app = StudyApp(ctx)
    real_notify = app.notify

    def record(message: str, **kw: Any) -> None:
        shown.append(message)
        real_notify(message, **kw)

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app._after_first_view()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert any("reviewed card(s): card:overfit" in m and str(path) in m for m in shown), shown
    assert cards_of(ctx, "demo")["card:overfit"].retired_at is None
