"""Roadmap service: current week, statuses with history, checklists, progress and pace."""

from __future__ import annotations

from datetime import date, timedelta

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.services.roadmap import (
    PaceState,
    RoadmapService,
    TopicStatus,
    compute_pace,
)


def test_current_week_follows_start_date_and_rollover(ctx: AppContext, clock: ManualClock) -> None:
    svc = RoadmapService(ctx)
    assert svc.current_week() == 1
    clock.advance(days=7)
    assert svc.current_week() == 2
    # 02:30 Berlin on the first day of week 3 still belongs to the last study day of week 2.
    start = ctx.start_date()
    day = start + timedelta(days=14)
    clock.set(ctx.calendar.day_start(day) - timedelta(hours=1, minutes=30))
    assert svc.current_week() == 2
    clock.advance(hours=2)
    assert svc.current_week() == 3


def test_week_is_clamped_to_the_curriculum(ctx: AppContext, clock: ManualClock) -> None:
    svc = RoadmapService(ctx)
    clock.advance(days=7 * 30)
    assert svc.current_week() == 12
    assert svc.week().is_current is False


def test_status_changes_keep_history(ctx: AppContext, clock: ManualClock) -> None:
    svc = RoadmapService(ctx)
    svc.set_topic_status("numpy", TopicStatus.LEARNING)
    clock.advance(hours=2)
    svc.set_topic_status("numpy", TopicStatus.DONE)
    assert svc.topic_statuses(["numpy", "pandas"]) == {
        "numpy": TopicStatus.DONE,
        "pandas": TopicStatus.PENDING,
    }
    history = svc.status_history("numpy")
    assert [h[0] for h in history] == [TopicStatus.LEARNING, TopicStatus.DONE]
    assert history[1][1] - history[0][1] == timedelta(hours=2)
    assert history[0][1].tzinfo is not None
    week = svc.week(1)
    assert {tv.topic.id: tv.status for tv in week.topics}["numpy"] is TopicStatus.DONE


def test_milestone_ticks(ctx: AppContext) -> None:
    svc = RoadmapService(ctx)
    week4 = svc.week(4)
    item = week4.milestones[0].items[0]
    assert item.done is False
    svc.set_checked(item.list_id, item.text, True)
    assert svc.week(4).milestones[0].items[0].done is True
    svc.set_checked(item.list_id, item.text, False)
    assert svc.week(4).milestones[0].items[0].done is False


def test_progress_with_and_without_skipped(ctx: AppContext) -> None:
    svc = RoadmapService(ctx)
    total = svc.progress().total
    assert total == len(svc.curriculum().topics)
    svc.set_topic_status("numpy", TopicStatus.DONE)
    svc.set_topic_status("pandas", TopicStatus.SKIPPED)
    p = svc.progress()
    assert (p.done, p.skipped) == (1, 1)
    assert p.fraction == 1 / total
    assert p.fraction_without_skipped == 1 / (total - 1)
    week1 = svc.progress(range(1, 2))
    assert week1.total == 4
    assert week1.done == 1


def test_pace_rule() -> None:
    start = date(2026, 11, 2)
    deadlines = [(start + timedelta(days=7), "a"), (start + timedelta(days=14), "b")]
    assert compute_pace(deadlines, set(), start, start).state is PaceState.ON_TRACK
    assert (
        compute_pace(deadlines, set(), start, start + timedelta(days=7)).state is PaceState.ON_TRACK
    )
    behind = compute_pace(deadlines, set(), start, start + timedelta(days=10))
    assert (behind.state, behind.days, behind.label) == (PaceState.BEHIND, 3, "behind by 3 days")
    ahead = compute_pace(deadlines, {"a"}, start, start + timedelta(days=2))
    assert (ahead.state, ahead.days) == (PaceState.AHEAD, 5)
    assert compute_pace(deadlines, {"a", "b"}, start, start).state is PaceState.FINISHED
    early = compute_pace(deadlines, set(), start, start - timedelta(days=1))
    assert early.state is PaceState.NOT_STARTED


def test_use_switches_curriculum_and_keeps_config_comments(ctx: AppContext) -> None:
    svc = RoadmapService(ctx)
    svc.use("ai-ml-2025", date(2026, 11, 2))
    assert ctx.settings.curriculum == "ai-ml-2025"
    assert svc.current_week() == 3
    text = ctx.paths.config_file.read_text(encoding="utf-8")
    assert "# studytui configuration" in text
    assert "start_date: 2026-11-02" in text
