"""Snapshot tests at fixed sizes with fixed data and a fixed clock.

Regenerate after an intended change with ``uv run pytest tests/test_snapshots.py --snapshot-update``
and review the SVGs in ``tests/__snapshots__``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.core.services.sessions import SessionsService
from studytui.ui.app import StudyApp

SIZES = [(80, 24), (120, 40)]


def prepare(ctx: AppContext) -> None:
    """Fixed progress: a few statuses and one ticked milestone item."""
    roadmap = RoadmapService(ctx)
    roadmap.set_topic_status("math-for-ml", TopicStatus.DONE)
    roadmap.set_topic_status("python-setup", TopicStatus.LEARNING)
    roadmap.set_topic_status("pandas", TopicStatus.SKIPPED)
    milestone = roadmap.next_milestone(1)
    assert milestone is not None
    roadmap.set_checked(milestone.items[0].list_id, milestone.items[0].text, True)
    sessions = SessionsService(ctx)
    now = ctx.clock.now()
    sessions.log(timedelta(minutes=50), Category.HANDS_ON, start=now - timedelta(hours=4),
                 topic_id="numpy")  # fmt: skip
    sessions.log(timedelta(minutes=25), Category.THEORY, start=now - timedelta(hours=2),
                 note="[b]not bold[/b]")  # fmt: skip


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare: Any, ctx: AppContext, size: tuple[int, int]) -> None:
    prepare(ctx)
    assert snap_compare(StudyApp(ctx), terminal_size=size, run_before=settle)


def test_dashboard_uses_the_room_at_160x50(snap_compare: Any, ctx: AppContext) -> None:
    """Next week's plan and this week's days appear when the terminal has room for them."""
    prepare(ctx)
    assert snap_compare(StudyApp(ctx), terminal_size=(160, 50), run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_roadmap(snap_compare: Any, ctx: AppContext, size: tuple[int, int]) -> None:
    prepare(ctx)

    async def open_roadmap(pilot: Any) -> None:
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(StudyApp(ctx), terminal_size=size, run_before=open_roadmap)


def test_snapshot_folder_is_committed() -> None:
    folder = Path(__file__).parent / "__snapshots__"
    assert folder.is_dir(), "run pytest --snapshot-update once and commit the SVGs"
