"""The start-up deck sync in a child process: its report is used, and any failure falls back."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from studytui.core.context import AppContext
from studytui.core.decks.background import BackgroundSync
from studytui.core.decks.parser import load_deck_file
from studytui.core.services.deck_content import deck_file_paths
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.decks import DeckService
from studytui.core.services.facade import Services


def new_cards(ctx: AppContext) -> int:
    return DeckStatsService(ctx).stats(days=1, forecast_days=1).states.new


def bundled_cards(ctx: AppContext) -> int:
    """Every card the bundled deck files make (what a first sync adds)."""
    paths = deck_file_paths(ctx)
    return sum(len(load_deck_file(p, expect_topic=name).cards()) for name, p in paths.items())


def test_the_app_uses_the_childs_report(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("studytui.core.decks.background.spare_core", lambda: True)
    services = Services(ctx)
    services.start_deck_sync()
    child = services._deck_sync
    assert child is not None
    report = services.decks.sync_once()
    assert child.process.returncode == 0  # waited for, and it did the work:
    assert (report.decks, report.synced, report.added) == (95, 95, bundled_cards(ctx))
    assert new_cards(ctx) == bundled_cards(ctx)
    assert services.decks.sync_once() is report  # once per process
    assert DeckService(ctx).sync().skipped == 95  # nothing left for this process to load


def test_one_core_syncs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("studytui.core.decks.background.spare_core", lambda: False)
    assert BackgroundSync.start() is None


@pytest.mark.parametrize(
    "code",
    [
        "import sys; sys.exit(1)",  # crashed
        "print('not json')",  # printed nothing usable
        "import json; print(json.dumps({'decks': 1}))",  # an incomplete report
    ],
)
def test_a_failed_child_falls_back_to_syncing_here(ctx: AppContext, code: str) -> None:
    child = BackgroundSync([sys.executable, "-c", code])
    report = DeckService(ctx, child).sync_once()
    assert report.added == bundled_cards(ctx)
    assert new_cards(ctx) == bundled_cards(ctx)


def test_a_hung_child_is_killed_and_the_sync_runs_here(ctx: AppContext) -> None:
    child = BackgroundSync([sys.executable, "-c", "import time; time.sleep(60)"])
    assert child.report(timeout=0.1) is None
    assert child.process.returncode is not None  # killed, not left running


def test_problems_from_the_child_keep_file_and_line(ctx: AppContext) -> None:
    ctx.paths.user_deck_dir.mkdir(parents=True, exist_ok=True)
    bad = ctx.paths.user_deck_dir / "rag.yaml"
    bad.write_text("topic: rag\ntitle: RAG\ncards:\n  - front: only a front\n", encoding="utf-8")
    report = DeckService(ctx, BackgroundSync()).sync_once()
    assert report.problems
    problem = report.problems[0]
    assert problem.file.endswith("rag.yaml")
    assert problem.line is not None
    assert report.synced == 94  # the other decks were loaded


def test_cli_decks_sync_json(ctx: AppContext) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "studytui", "decks", "sync", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    assert data["added"] == bundled_cards(ctx)
    assert data["problems"] == []
