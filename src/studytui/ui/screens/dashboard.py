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

from studytui.ui.messages import (
    ChecklistToggled,
    FirstViewShown,
    TopicOpened,
    TopicStatusRequested,
)
from studytui.ui.saving import save_in_worker
from studytui.ui.screens.dashboard_text import (
    activity_text,
    days_text,
    next_week_text,
    pace_text,
    projects_text,
    review_text,
    summary_text,
    time_text,
    week_head,
)
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


class DashBody(ScrollableContainer):
    """The week and the panels side by side; stacked and scrolled (PageDown) when narrow."""

    DEFAULT_CSS = "DashBody { layout: horizontal; overflow: hidden hidden; }"


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
        self._completed_seen: int | None = None  # today's pomodoros, as the timer last said

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
        timer = getattr(self.app, "timer", None)
        if timer is not None:
            timer.changed.subscribe(self, self._timer_changed)

    def _timer_changed(self, event: Any) -> None:
        """A pomodoro completed while the dashboard is shown: its counts load again."""
        done = event.state.completed_today
        seen, self._completed_seen = self._completed_seen, done
        if seen is not None and done != seen and self.is_current:
            self.load()

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
