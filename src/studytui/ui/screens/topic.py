"""A topic in detail: subtopics, resources, status and its history, weeks, projects."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from studytui.core.services.facade import Services
from studytui.core.services.roadmap import TopicDetail, TopicStatus


class TopicLoaded(Message):
    def __init__(self, detail: TopicDetail) -> None:
        super().__init__()
        self.detail = detail


def topic_text(detail: TopicDetail, zone: Any) -> Text:
    t = detail.topic
    out = Text()
    out.append(t.title, style="bold")
    out.append(f"  ({t.id})\n", style="dim")
    out.append(f"Status: {detail.status.value}", style="bold")
    if detail.weeks:
        weeks = detail.weeks
        span = str(weeks[0]) if len(weeks) == 1 else f"{weeks[0]}-{weeks[-1]}"
        out.append(f"   planned in week(s) {span}")
    out.append("\n")
    if t.summary:
        out.append(f"\n{t.summary}\n")
    if t.subtopics:
        out.append("\nSubtopics\n", style="bold underline")
        for depth, line in t.subtopic_lines():
            out.append(f" {'  ' * depth}· {line}\n")
    if t.resources:
        out.append("\nResources\n", style="bold underline")
        for r in t.resources:
            out.append(f" • {r.title}\n", style="bold")
            for label, value in r.details():
                out.append(f"     {label}: ", style="dim")
                out.append(f"{value}\n")
    if detail.projects:
        out.append("\nProjects\n", style="bold underline")
        for p in detail.projects:
            out.append(f" ▸ {p.title}")
            if p.summary:
                out.append(f": {p.summary}")
            out.append("\n")
    if detail.history:
        out.append("\nStatus history\n", style="bold underline")
        for status, at in detail.history:
            out.append(f" {at.astimezone(zone):%Y-%m-%d %H:%M}  {status.value}\n")
    return out


class TopicScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="topic.close"),
        Binding("l", "status('learning')", "Learning", id="topic.learning"),
        Binding("d", "status('done')", "Done", id="topic.done"),
        Binding("x", "status('skipped')", "Skip", id="topic.skip"),
        Binding("p", "status('pending')", "Pending", id="topic.pending"),
    ]

    def __init__(self, services: Services, topic_id: str) -> None:
        super().__init__()
        self.services = services
        self.topic_id = topic_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="topic-body"):
            yield Static("Loading…", id="topic-text")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="topic")
    def load(self) -> None:
        self.post_message(TopicLoaded(self.services.roadmap.topic_detail(self.topic_id)))

    def on_topic_loaded(self, message: TopicLoaded) -> None:
        zone = self.services.ctx.calendar.zone
        self.query_one("#topic-text", Static).update(topic_text(message.detail, zone))

    @work(thread=True, exclusive=True, group="topic")
    def action_status(self, status: str) -> None:
        self.services.roadmap.set_topic_status(self.topic_id, TopicStatus(status))
        self.post_message(TopicLoaded(self.services.roadmap.topic_detail(self.topic_id)))
