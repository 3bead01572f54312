"""The dashboard's panels as text: pure functions of the frozen views the services return.

Split from ``dashboard.py`` (the screen: layout, loading, writes) so each file does one job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from studytui.core.categories import whole_percent
from studytui.core.minutes import minutes_label, minutes_of
from studytui.core.services.roadmap import RoadmapState
from studytui.ui.widgets.bars import bar, heatmap, split_bar

if TYPE_CHECKING:
    from studytui.core.services.dashboard import DashboardActivity, DashboardPlan


def calendar_text(s: DashboardPlan) -> Text:
    """Before its first day or after its last: say so, and after it, what to do next."""
    cal = s.calendar
    out = Text()
    if cal.state is RoadmapState.NOT_STARTED:
        when = f"{cal.label.capitalize()}, on {cal.starts:%a %d %b %Y}. Its first week:"
        out.append(when, style="bold yellow")
    elif cal.state is RoadmapState.FINISHED:
        out.append("Finished", style="bold green")
        out.append(f": its last week ended {cal.ends:%a %d %b %Y}.")
        out.append("\nWhat next? Choose another roadmap: ", style="bold")
        out.append("2 (Roadmap) then u, or ctrl+p › Switch curriculum.")
    return out


def week_head(s: DashboardPlan) -> Text:
    w = s.week
    plan = w.plan
    out = calendar_text(s)
    if out:
        out.append("\n")
    out.append(w.heading, style="bold")
    out.append(f"   {w.starts:%a %d %b} – {w.ends:%a %d %b %Y}", style="dim")
    out.append(f"\n{plan.phase.title}", style="cyan")
    out.append(f"  (weeks {plan.phase.span})", style="dim")
    for entry in plan.entries:
        out.append("\n")
        out.append(entry.title, style="bold")
    for goal in plan.goals:
        out.append("\nGoal  ", style="bold cyan")
        out.append(goal)
    return out


def projects_text(s: DashboardPlan) -> Text:
    out = Text()
    for p in s.week.plan.projects:
        if out:
            out.append("\n")
        out.append("▸ ")
        out.append(p.title, style="bold")
        if p.summary:
            out.append(f": {p.summary}")
        if p.level:
            out.append(f"  ({p.level})", style="dim")
    return out


def pace_text(s: DashboardPlan) -> Text:
    p = s.progress
    out = Text()
    out.append("Progress    ", style="bold")
    out.append_text(bar(p.fraction, 14))
    scheduled = " scheduled" if p.unscheduled else ""
    out.append(f" {p.done}/{p.total}{scheduled} topics {p.fraction:.0%}")
    if p.unscheduled:
        out.append(f"\n            {p.unscheduled} unscheduled topics not counted", style="dim")
    if p.skipped:
        out.append(f"\n            {p.fraction_without_skipped:.0%} of the", style="dim")
        out.append(f" {p.total - p.skipped} not skipped", style="dim")
    tone = {"behind": "red", "ahead": "green"}.get(s.pace.state.value, "bold")
    out.append("\nPace        ", style="bold")
    out.append(s.pace.label, style=tone)
    out.append(f"  ({s.pace.expected} topics planned by now)", style="dim")
    return out


def review_text(s: DashboardActivity) -> Text:
    rv = s.reviews
    out = Text()
    out.append("Flashcards  ", style="bold")
    if rv.due_today or rv.new_available:
        out.append(f"{rv.due_today} due", style="bold green" if rv.due_today else "bold")
        out.append(f" · {rv.new_available} new today")
        out.append("   r: review", style="dim")
        if rv.due_beyond_limit:  # the counts are what the queue holds, under the review limit
            out.append(f"\n            +{rv.due_beyond_limit} due past today's limit", style="dim")
    else:
        out.append("nothing due now", style="green")
        st = rv.states
        total = st.new + st.learning + st.review + st.relearning
        out.append(f"   ({total} cards in your decks)", style="dim")
    return out


def time_text(s: DashboardActivity) -> Text:
    t = s.time
    out = Text()
    out.append("Focus       ", style="bold")
    out.append(
        f"today {minutes_label(s.today_minutes)} min · week {minutes_label(t.total_minutes)} min"
    )
    out.append("   s: pomodoro · t: timer\n", style="dim")
    if s.pomodoros.has_goal:
        day = s.pomodoros
        out.append("Pomodoros   ", style="bold")
        out.append(f"today {day.label}", style="bold green" if day.reached else "")
        out.append("  goal reached\n" if day.reached else "\n", style="green")
    for share in t.categories:
        out.append_text(
            split_bar(
                share.category.label, share.percent, share.target_percent, width=14, compact=True
            )
        )
        out.append("\n")
    if minutes_of(t.needed_minutes):
        out.append(
            f"{minutes_label(t.needed_minutes)} more min this week would meet the {t.target} split"
        )
    elif minutes_of(t.total_minutes):
        out.append(f"This week meets the {t.target} split.", style="green")
    return out


def activity_text(s: DashboardActivity, week_start: int) -> Text:
    streak = s.time.streak
    out = Text()
    out.append("Streak      ", style="bold")
    out.append(f"{streak.current} day{'s' if streak.current != 1 else ''}")
    out.append(f" · best {streak.best} (≥ {streak.threshold_minutes} min a day)\n", style="dim")
    out.append("Activity (focus minutes and reviews per day)\n", style="dim")
    out.append_text(heatmap(s.activity_by_day, s.today, 12, week_start))
    return out


def next_week_text(s: DashboardPlan) -> Text:
    """The week after this one, to plan ahead when the terminal has room for it."""
    w = s.next_week
    out = Text()
    if w is None:
        out.append("This is the roadmap's last week.", style="dim")
        return out
    out.append(w.heading, style="bold")
    out.append(f"   {w.starts:%a %d %b} – {w.ends:%a %d %b}", style="dim")
    if w.plan.phase.title != s.week.plan.phase.title:
        out.append("\nNew phase: ", style="cyan")
        out.append(w.plan.phase.title, style="cyan")
    for entry in w.plan.entries:
        out.append("\n")
        out.append(entry.title)
    for tv in w.topics:
        out.append("\n  ")
        out.append(tv.topic.title)
        out.append(f"  {tv.status.value}", style="dim")
    return out


def days_text(s: DashboardActivity) -> Text:
    """This week's focus minutes day by day, against the streak's daily minimum."""
    t = s.time
    scale = max([d.minutes for d in t.days] + [float(t.streak.threshold_minutes), 1.0])
    out = Text()
    out.append("This week by day\n", style="bold")
    for d in t.days:
        style = "bold" if d.day == s.today else ""
        out.append(f"{d.day:%a %d}  ", style=style or "dim")
        if d.day > s.today:
            out.append("·\n", style="dim")
            continue
        out.append_text(bar(d.minutes / scale, 20))
        out.append(f" {minutes_label(d.minutes):>4} min\n")
    out.rstrip()
    return out


def summary_text(plan: DashboardPlan | None, activity: DashboardActivity | None) -> Text:
    """One line for narrow terminals, where the side panels sit below the week."""
    out = Text()
    if plan is not None:
        out.append(f"{plan.week.heading}", style="bold")
        out.append(" · ")
        if plan.calendar.state is not RoadmapState.UNDER_WAY:
            out.append(plan.calendar.label, style="bold yellow")
        else:
            tone = {"behind": "red", "ahead": "green"}.get(plan.pace.state.value, "")
            out.append(plan.pace.label, style=tone)
    if activity is not None:
        rv = activity.reviews
        out.append(f" · {rv.due_today} due, {rv.new_available} new")
        out.append(f" · {minutes_label(activity.today_minutes)} min today")
        if activity.pomodoros.has_goal:
            out.append(f" · pomodoros {activity.pomodoros.label}")
        out.append(f" · streak {activity.time.streak.current}")
        shares = activity.time.categories
        if shares:  # the week's split against its target, hands-on/theory/community
            target = "/".join(str(c.target_percent) for c in shares)
            if any(c.percent is None for c in shares):
                out.append(f"\nsplit — (no focus this week; target {target})")
            else:
                actual = "/".join(str(whole_percent(c.percent or 0.0)) for c in shares)
                out.append(f"\nsplit {actual} % (target {target})")
    return out
