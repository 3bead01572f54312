"""Deck statistics on plain sqlite3: no SQLAlchemy import, right figures from rows the ORM wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.scheduling import Rating
from studytui.core.services.deck_stats import DeckStatsService, ReviewStats
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.paths import AppPaths

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")

# What the dashboard asks for, in a process of its own: no DeckService, so no sync.
DASHBOARD_FIGURES = f"""
import json, sys
from datetime import datetime
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.services.deck_stats import DeckStatsService
from studytui.paths import AppPaths

ctx = open_context(AppPaths.default(), ManualClock(datetime.fromisoformat({NOW.isoformat()!r})))
service = DeckStatsService(ctx)
stats = service.stats(days=84, forecast_days=1)
due = service.due_counts()
ctx.close()
heavy = [m for m in sys.modules if m.startswith("sqlalchemy") or m.endswith("storage.models")]
print(json.dumps({{
    "heavy": heavy,
    "due": {{name: [c.new, c.learning, c.review] for name, c in due.items()}},
    "per_day": [[d.day.isoformat(), d.reviews, d.again, d.seconds] for d in stats.per_day],
    "due_today": stats.due_today,
    "new_available": stats.new_available,
    "states": vars(stats.states),
    "retention": [[r.deck, r.reviews, r.passed] for r in stats.retention],
}}))
"""


def dashboard_figures() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", DASHBOARD_FIGURES], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def figures(stats: ReviewStats, due: dict[str, list[int]]) -> dict[str, Any]:
    return {
        "due": due,
        "per_day": [[d.day.isoformat(), d.reviews, d.again, d.seconds] for d in stats.per_day],
        "due_today": stats.due_today,
        "new_available": stats.new_available,
        "states": vars(stats.states),
        "retention": [[r.deck, r.reviews, r.passed] for r in stats.retention],
    }


def test_a_fresh_home_gives_its_figures_without_sqlalchemy() -> None:
    result = dashboard_figures()
    assert result["heavy"] == []
    assert result["due"] == {}
    assert result["per_day"] == []
    assert result["due_today"] == result["new_available"] == 0


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


def rate_one(ctx: AppContext, clock: ManualClock, at: datetime, rating: Rating) -> None:
    clock.set(at)
    session = ReviewService(ctx).start(ReviewFilter(deck="demo"))
    assert session.next_card() is not None
    clock.advance(seconds=12)
    session.rate(rating)
    session.flush()


def test_reviews_written_by_the_orm_count_on_their_study_day_across_dst() -> None:
    """The night clocks go back (25 October 2026 in Berlin) makes study day 24 October 25 hours
    long: a review at 03:30 local time still belongs to it (rollover at 04:00)."""
    clock = ManualClock(berlin("2026-10-24T10:00"))
    ctx = open_context(AppPaths.default(), clock)
    try:
        folder = ctx.paths.user_deck_dir
        folder.mkdir(parents=True, exist_ok=True)
        cards = "".join(f"  - id: q{i}\n    front: Q{i}\n    back: A{i}\n" for i in range(6))
        (folder / "demo.yaml").write_text(
            f"schema: 1\ntopic: demo\ntitle: Demo deck\ncards:\n{cards}", encoding="utf-8"
        )
        sync_decks(ctx)
        rate_one(ctx, clock, berlin("2026-10-24T10:00"), Rating.Good)
        rate_one(ctx, clock, datetime(2026, 10, 25, 2, 30, tzinfo=UTC), Rating.Again)  # 03:30 CET
        rate_one(ctx, clock, datetime(2026, 10, 25, 3, 30, tzinfo=UTC), Rating.Good)  # 04:30 CET
        clock.set(NOW)
        result = dashboard_figures()
        stats = DeckStatsService(ctx)
        here = stats.stats(days=84, forecast_days=1)
        due = {name: [c.new, c.learning, c.review] for name, c in stats.due_counts().items()}
    finally:
        ctx.close()
    assert result.pop("heavy") == []
    assert result["per_day"] == [["2026-10-24", 2, 1, 24.0], ["2026-10-25", 1, 0, 12.0]]
    assert result == figures(here, due)
    # One card was shown each time (it stayed in learning), five are still new.
    assert result["due"]["demo"] == [5, 1, 0]
    assert result["states"]["learning"] == 1
