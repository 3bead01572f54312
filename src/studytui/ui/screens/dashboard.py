"""Home: which week it is, what is on it, pace, time split and cards due, at a glance."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from studytui.core.categories import whole_percent
from studytui.core.minutes import minutes_label, minutes_of
from studytui.core.services.roadmap import RoadmapState
from studytui.ui.messages import (
    ChecklistToggled,
    FirstViewShown,
    TopicOpened,
    TopicStatusRequested,
)
from studytui.ui.saving import save_in_worker
from studytui.ui.widgets.bars import bar, heatmap, split_bar
from studytui.ui.widgets.checklist import Checklist
from studytui.ui.widgets.footer import Footer
from studytui.ui.widgets.topic_list import TopicList, focused_topic
from studytui.ui.workers import work

if TYPE_CHECKING:
    from studytui.core.services.dashboard import DashboardActivity, DashboardPlan
    from studytui.core.services.facade import Services

NARROW = 110
# From this size on the dashboard also shows next week's plan and this week's days.
ROOMY_WIDTH, ROOMY_HEIGHT = 150, 45
# Seconds the statistics wait for the week's frame before they are computed anyway.
WEEK_FRAME_WAIT = 0.5


class DashboardLoaded(Message):
    """The week's plan, progress and pace arrived."""

    def __init__(self, plan: DashboardPlan, shown: threading.Event | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.shown = shown  # set once the week has been drawn


class ActivityLoaded(Message):
    """Focus time, streak and cards due arrived."""

    def __init__(self, activity: DashboardActivity) -> None:
        super().__init__()
        self.activity = activity


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


class DashBody(ScrollableContainer):
    """The week and the panels side by side; stacked and scrolled (PageDown) when narrow."""

    DEFAULT_CSS = "DashBody { layout: horizontal; overflow: hidden hidden; }"


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


class DashboardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Review", id="dashboard.review"),
        Binding("t", "timer", "Timer", id="dashboard.timer"),
        Binding("ctrl+r", "reload", "Refresh", id="dashboard.refresh"),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services
        self.plan: DashboardPlan | None = None
        self.activity: DashboardActivity | None = None
        self._announced = False  # FirstViewShown sent

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dash-summary")
        with DashBody(id="dash"):
            with VerticalScroll(id="dash-left"):
                yield Static("Loading this week…", id="dash-week")
                yield Label(
                    "Topics  (enter details · l learning · d done · k skip)",
                    classes="h",
                )
                yield TopicList(id="dash-topics")
                yield Label("Projects", classes="h", id="dash-projects-h")
                yield Static(id="dash-projects")
                yield Label("Milestone", classes="h", id="dash-milestone-h")
                yield Checklist(id="dash-milestone")
                yield Label("Next week", classes="h roomy-only", id="dash-next-h")
                yield Static(id="dash-next", classes="roomy-only")
            with VerticalScroll(id="dash-right"):
                yield Static(id="dash-pace", classes="panel")
                yield Static(id="dash-review", classes="panel")
                yield Static(id="dash-time", classes="panel")
                yield Static(id="dash-activity", classes="panel")
                yield Static(id="dash-days", classes="panel roomy-only")
        yield Footer()

    def on_mount(self) -> None:
        # After the first frame: the load imports the database layer, off this thread but
        # still competing with it for the interpreter.
        self.call_after_refresh(self.load)
        self.query_one(TopicList).focus()

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self.load)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "narrow")
        roomy = event.size.width >= ROOMY_WIDTH and event.size.height >= ROOMY_HEIGHT
        self.set_class(roomy, "roomy")

    @property
    def pomodoro_topic(self) -> str | None:
        """``s`` offers a pomodoro on the highlighted topic while the topic list has focus."""
        return focused_topic(self)

    def action_reload(self) -> None:
        self.load()

    def action_review(self) -> None:
        self.app.switch_mode("review")

    def action_timer(self) -> None:
        self.app.switch_mode("timer")

    @work(thread=True, exclusive=True, group="dashboard", doing="loading the dashboard")
    def load(self) -> None:
        """The week first (cheap), then the statistics (which wait for the deck sync).

        The statistics start once the week is on screen: there is one interpreter lock, and
        computing them while the week is laid out would delay both.
        """
        dashboard = self.services.dashboard
        shown = threading.Event()
        self.post_message(DashboardLoaded(dashboard.plan(), shown))
        shown.wait(timeout=WEEK_FRAME_WAIT)
        self.post_message(ActivityLoaded(dashboard.activity()))

    def on_dashboard_loaded(self, message: DashboardLoaded) -> None:
        s = self.plan = message.plan
        self.sub_title = s.week.curriculum_title
        self.query_one("#dash-week", Static).update(week_head(s))
        self.query_one(TopicList).show(s.week.topics)
        projects = projects_text(s)
        self.query_one("#dash-projects", Static).update(projects)
        self.query_one("#dash-projects-h").display = bool(projects)
        milestone = s.next_milestone
        header = self.query_one("#dash-milestone-h", Label)
        header.display = milestone is not None
        self.query_one(Checklist).display = milestone is not None
        if milestone is not None:
            header.update(Text(f"{milestone.title}  (due week {milestone.due_week})"))
            self.query_one(Checklist).show(milestone.items)
        self.query_one("#dash-summary", Static).update(summary_text(s, self.activity))
        self.query_one("#dash-pace", Static).update(pace_text(s))
        self.query_one("#dash-next", Static).update(next_week_text(s))
        if message.shown is not None:
            self.call_after_refresh(message.shown.set)

    def on_activity_loaded(self, message: ActivityLoaded) -> None:
        a = self.activity = message.activity
        self.query_one("#dash-summary", Static).update(summary_text(self.plan, a))
        self.query_one("#dash-review", Static).update(review_text(a))
        self.query_one("#dash-time", Static).update(time_text(a))
        week_start = self.services.ctx.settings.week_start_index
        self.query_one("#dash-activity", Static).update(activity_text(a, week_start))
        self.query_one("#dash-days", Static).update(days_text(a))
        if not self._announced:
            self._announced = True
            self.call_after_refresh(self.app.post_message, FirstViewShown())

    def on_topic_status_requested(self, message: TopicStatusRequested) -> None:
        roadmap, dashboard = self.services.roadmap, self.services.dashboard

        def write() -> DashboardPlan:
            roadmap.set_topic_status(message.topic_id, message.status)
            return dashboard.plan()

        save_in_worker(
            self, "The status change", write, saved=self._show_saved, failed=self._show_stored
        )

    def on_checklist_toggled(self, message: ChecklistToggled) -> None:
        roadmap, dashboard = self.services.roadmap, self.services.dashboard

        # The tick belongs to the list on screen, even if the curriculum was switched meanwhile.
        shown = self.plan.week.curriculum_id if self.plan is not None else None

        def write() -> DashboardPlan:
            roadmap.set_checked(message.list_id, message.item, message.done, shown)
            return dashboard.plan()

        save_in_worker(self, "The tick", write, saved=self._show_saved, failed=self._show_stored)

    def _show_saved(self, plan: DashboardPlan) -> None:
        self.on_dashboard_loaded(DashboardLoaded(plan))

    def _show_stored(self, _why: str) -> None:
        """A write failed: show the plan as last loaded (a tick the list made itself goes)."""
        if self.plan is not None:
            self.on_dashboard_loaded(DashboardLoaded(self.plan))

    def on_topic_opened(self, message: TopicOpened) -> None:
        from studytui.ui.screens.topic import TopicScreen

        self.app.push_screen(TopicScreen(self.services, message.topic_id), self._after_topic)

    def _after_topic(self, _result: None) -> None:
        self.load()
