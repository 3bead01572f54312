"""Roadmap service: current week, statuses with history, checklists, progress and pace."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.curriculum.catalog import CurriculumCatalog
from studytui.core.services.roadmap import (
    PaceState,
    RoadmapService,
    RoadmapState,
    TopicStatus,
    compute_pace,
    scheduled_topic_ids,
)
from studytui.resources import bundled_dir


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
    assert total == len(scheduled_topic_ids(svc.curriculum()))
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


def test_every_bundled_curriculum_schedules_each_topic_or_reports_it(ctx: AppContext) -> None:
    """100% must be reachable from the weekly plan: a topic in no week is not counted, and the
    progress says how many there are (the 12-week roadmap lists six skills it never schedules)."""
    svc = RoadmapService(ctx)
    unscheduled_by_id: dict[str, list[str]] = {}
    for cur in CurriculumCatalog(bundled_dir("curriculum")).all():
        in_a_week = {t for p in cur.phases for e in p.weeks for t in e.topics}
        unscheduled = [t.id for t in cur.topics if t.id not in in_a_week]
        unscheduled_by_id[cur.id] = unscheduled
        for topic in cur.topics:  # settle every scheduled topic: 100%
            if topic.id in in_a_week:
                svc.set_topic_status(topic.id, TopicStatus.DONE)
        p = svc.progress(cur=cur)
        assert (p.total, p.unscheduled) == (len(in_a_week), len(unscheduled)), cur.id
        assert p.fraction == 1.0, cur.id
        for topic in cur.topics:
            svc.set_topic_status(topic.id, TopicStatus.PENDING)
    # The source of the 12-week roadmap names these skills but puts none of them in a week.
    assert unscheduled_by_id["ml-ai-senior-12w"] == [
        "recommendation-systems",
        "time-series",
        "anomaly-detection",
        "transfer-learning",
        "nlp",
        "vector-databases",
    ]
    assert [c for c, ids in unscheduled_by_id.items() if ids] == ["ml-ai-senior-12w"]


def test_calendar_before_during_and_after_the_roadmap(ctx: AppContext, clock: ManualClock) -> None:
    svc = RoadmapService(ctx)
    today = ctx.today()
    svc.use("ml-ai-senior-12w", today + timedelta(days=3))
    cal = svc.calendar()
    assert (cal.state, cal.days_to_start, cal.label) == (
        RoadmapState.NOT_STARTED,
        3,
        "starts in 3 days",
    )
    svc.use("ml-ai-senior-12w", today - timedelta(days=7 * 12 - 1))  # the last day of week 12
    assert svc.calendar().state is RoadmapState.UNDER_WAY
    clock.advance(days=1)
    cal = svc.calendar()
    assert (cal.state, cal.days_since_end, cal.label) == (
        RoadmapState.FINISHED,
        1,
        "finished 1 day ago",
    )
    assert cal.ends == today


def test_a_tick_belongs_to_the_curriculum_it_was_made_in(ctx: AppContext) -> None:
    svc = RoadmapService(ctx)
    item = svc.week(4).milestones[0].items[0]
    svc.use("ai-engineer-2025")
    svc.set_checked(item.list_id, item.text, True, "ml-ai-senior-12w")  # a screen still on 12w
    svc.use("ml-ai-senior-12w")
    assert svc.week(4).milestones[0].items[0].done is True


def test_topic_detail_names_the_other_roadmaps_sharing_its_status(ctx: AppContext) -> None:
    svc = RoadmapService(ctx)
    detail = svc.topic_detail("numpy")
    assert detail.shared_with == (
        "Machine Learning and AI Expert Roadmap",
        "Senior AI/ML Developer Roadmap — 48 Weeks",
    )
    assert svc.topic_detail("time-series").weeks == ()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    from studytui.cli import run

    assert run(list(args)) == 0
    return capsys.readouterr().out


def test_week_command_says_when_the_roadmap_starts(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    _cli(capsys, "curriculum", "use", "ml-ai-senior-12w", "--start", "2026-11-24")
    out = _cli(capsys, "week")
    assert out.splitlines()[1:3] == [
        "Not started: starts in 3 days, on Tue 24 Nov 2026. Its first week:",
        "Week 1 of 12 · Tue 24 Nov 2026 – Mon 30 Nov 2026",
    ]
    assert "Not started" not in _cli(capsys, "week", "2")  # a week asked for by number
    data = json.loads(_cli(capsys, "week", "--json"))
    assert data["roadmap"] == {"state": "not started", "starts": "2026-11-24", "ends": "2027-02-15"}


def test_week_command_says_the_roadmap_is_finished_and_what_next(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    _cli(capsys, "curriculum", "use", "ml-ai-senior-12w", "--start", "2026-08-01")
    lines = _cli(capsys, "week").splitlines()
    assert lines[1] == (
        "Finished: its last week ended Fri 23 Oct 2026. What next? `studytui curriculum list`, "
        "then `studytui curriculum use ID` to follow another."
    )
    assert lines[2].startswith("Week 12 of 12 ·")
