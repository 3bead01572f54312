"""Broken user curricula and decks: never a crash, never a silent loss of cards.

The corpus (tests/corpus/expected-userfiles.yaml) holds the messages; here: no ``assert`` on
user data in the readers, sibling groups, ``.yml`` files, and the app starting on the dashboard
with a warning whatever sits in the user folders.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path
from typing import Any

import pytest

from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.decks.cards import generate, sibling_group
from studytui.core.decks.parser import load_deck_file, parse_deck_text
from studytui.paths import AppPaths
from studytui.resources import bundled_dir

SRC = Path(__file__).parent.parent / "src" / "studytui"
CORPUS = Path(__file__).parent / "corpus"
READERS = ("core/curriculum", "core/decks", "core/config.py", "core/validate.py")


def _sources() -> list[Path]:
    out: list[Path] = []
    for part in READERS:
        p = SRC / part
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return out


def test_no_assert_in_the_readers_of_user_files() -> None:
    """``python -O`` drops asserts and a failing one is a traceback: user data is checked by
    Checker errors, never asserted on."""
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert len(_sources()) >= 10
    assert found == []


HAND = """\
schema: 1
topic: mine
title: Mine
cards:
  - {id: c1, front: One, back: A}
  - {id: c2, front: Two, back: B}
  - {id: fwd, front: Three, back: C}
  - {id: rev, front: Four, back: D, type: reversed}
concepts:
  - {id: rev, term: Term, definition: Def}
statements:
  - {id: c1, text: "{{c1::x}} and {{c2::y}}"}
"""


def test_hand_written_ids_that_look_like_suffixes_are_not_siblings() -> None:
    groups: dict[str, set[str]] = {}
    for spec in parse_deck_text(HAND, "mine.yaml").cards():
        groups.setdefault(sibling_group(spec.key), set()).add(spec.key)
    assert groups == {
        "card:c1": {"card:c1"},
        "card:c2": {"card:c2"},
        "card:fwd": {"card:fwd"},
        "card:rev": {"card:rev", "card:rev:rev"},
        "concept:rev": {"concept:rev:fwd", "concept:rev:rev"},
        "cloze:c1": {"cloze:c1:c1", "cloze:c1:c2"},
    }
    assert sibling_group("user:0123abcd:rev") == sibling_group("user:0123abcd") == "user:0123abcd"


def test_bundled_siblings_are_the_cards_of_one_item_and_keys_are_unchanged() -> None:
    """Every bundled card's group is the item it was made from, so no bundled key changes
    meaning (keys themselves are generated exactly as before: see test_decks_parser)."""
    for path in sorted(bundled_dir("decks").glob("*.yaml")):
        deck = load_deck_file(path, expect_topic=path.stem)
        for items, prefix in (
            (deck.concepts, "concept"),
            (deck.statements, "cloze"),
            (deck.hand_cards, "card"),
        ):
            for item in items:
                specs = generate(
                    *(((item,) if p == prefix else ()) for p in ("concept", "cloze", "card"))
                )
                assert {sibling_group(s.key) for s in specs} == {f"{prefix}:{item.id}"}, path


# -- the app ---------------------------------------------------------------------------------

BROKEN = [
    ("curriculum", "null-title.yaml"),
    ("curriculum", "blank-phase-span.yaml"),
    ("curriculum", "blank-id.yaml"),
    ("curriculum", "blank-topic-id.yaml"),
    ("curriculum", "binary-garbage.yaml"),
    ("deck", "blank-back.yaml"),
    ("deck", "empty-cards-list.yaml"),
    ("deck", "blank-topic.yaml"),
    ("deck", "blank-card-id.yaml"),
    ("deck", "binary.yaml"),
]


@pytest.mark.parametrize(("kind", "name"), BROKEN)
async def test_the_app_starts_on_the_dashboard_with_a_warning(
    kind: str, name: str, paths: AppPaths, clock: ManualClock
) -> None:
    """A broken file in the user folders is a warning; the dashboard shows."""
    from studytui.ui.app import StudyApp
    from studytui.ui.screens.dashboard import DashboardScreen

    folder = paths.user_curriculum_dir if kind == "curriculum" else paths.user_deck_dir
    folder.mkdir(parents=True)
    target = folder / name
    shutil.copyfile(CORPUS / kind / name, target)
    ctx = open_context(paths, clock)
    shown: list[str] = []
    app = StudyApp(ctx)
    real_notify = app.notify

    def record(message: str, **kw: Any) -> None:
        shown.append(message)
        real_notify(message, **kw)

    app.notify = record  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            app._after_first_view()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
            assert app._exception is None
    finally:
        ctx.close()
    assert any(str(target) in m for m in shown), shown


def test_the_app_dying_is_a_non_zero_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from studytui.cli import run
    from studytui.ui.app import StudyApp

    def headless(self: StudyApp, **kw: Any) -> None:
        App.run(self, headless=True, **kw)

    from textual.app import App

    monkeypatch.setattr(StudyApp, "run", headless)

    def boom(self: StudyApp) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(StudyApp, "on_mount", boom)
    assert run([]) == 1
    monkeypatch.setattr(StudyApp, "on_mount", lambda self: self.exit())
    assert run([]) == 0
