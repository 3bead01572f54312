"""Home: this week of the roadmap at a glance."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from studytui.core.services.facade import Services
from studytui.core.services.roadmap import WeekView
from studytui.ui.widgets.week_plan import week_renderable


class WeekLoaded(Message):
    def __init__(self, view: WeekView) -> None:
        super().__init__()
        self.view = view


class DashboardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Refresh", id="dashboard.refresh"),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard-body"):
            yield Static("Loading this week…", id="week-plan")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="dashboard")
    def load(self) -> None:
        view = self.services.roadmap.week()
        self.post_message(WeekLoaded(view))

    def on_week_loaded(self, message: WeekLoaded) -> None:
        self.sub_title = message.view.curriculum_title
        self.query_one("#week-plan", Static).update(week_renderable(message.view))
