"""A topic in detail: subtopics, resources, status and its history, weeks, projects."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from studytui.core.minutes import minutes_label, minutes_of
from studytui.core.services.facade import Services
from studytui.core.services.roadmap import TopicDetail, TopicStatus
from studytui.core.services.topic_insight import TopicInsight
from studytui.ui.saving import save_in_worker
from studytui.ui.timer_keys import timer_bindings
from studytui.ui.widgets.footer import Footer
from studytui.ui.widgets.topic_list import topic_status_bindings
from studytui.ui.workers import work


class TopicLoaded(Message):
    def __init__(self, detail: TopicDetail, insight: TopicInsight) -> None:
        super().__init__()
        self.detail = detail
        self.insight = insight


def insight_text(insight: TopicInsight) -> Text:
    out = Text()
    out.append("Deck: ", style="bold")
    if insight.deck is None or not insight.cards:
        out.append("no cards yet", style="dim")
    else:
        out.append(f"{insight.cards} cards · {insight.new} new · {insight.due} due now")
        out.append("   v: review it", style="dim")
    out.append("\nTime invested: ", style="bold")
    if not minutes_of(insight.total_minutes):
        out.append("none yet", style="dim")
    else:
        parts = [
            f"{c.label} {minutes_label(m)} min" for c, m in insight.minutes.items() if minutes_of(m)
        ]
        out.append(f"{minutes_label(insight.total_minutes)} min (" + ", ".join(parts) + ")")
    out.append("   s: start a pomodoro on it\n", style="dim")
    return out


def topic_text(detail: TopicDetail, zone: Any, insight: TopicInsight | None = None) -> Text:
    t = detail.topic
    out = Text()
    out.append(t.title, style="bold")
    out.append(f"  ({t.id})\n", style="dim")
    out.append(f"Status: {detail.status.value}", style="bold")
    if detail.weeks:
        weeks = detail.weeks
        span = str(weeks[0]) if len(weeks) == 1 else f"{weeks[0]}-{weeks[-1]}"
        out.append(f"   planned in week(s) {span}")
    else:
        out.append("   in no week of this roadmap", style="dim")
    out.append("\n")
    if detail.shared_with:  # statuses are kept per topic id, whichever roadmap set them
        out.append("Status shared with other roadmaps: ", style="dim")
        out.append(", ".join(detail.shared_with) + "\n", style="dim")
    if insight is not None:
        out.append_text(insight_text(insight))
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
        *topic_status_bindings(),
        *timer_bindings(show_all=False),  # a modal: the app's timer keys, here too
        Binding("v", "review", "Review deck", id="topic.review"),
    ]

    def __init__(self, services: Services, topic_id: str) -> None:
        super().__init__()
        self.services = services
        self.topic_id = topic_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="topic-body"):
            yield Static("Loading…", id="topic-text")
        yield Footer()  # this dialog's keys, not the screen's underneath

    def on_mount(self) -> None:
        self.load()

    def _loaded(self) -> TopicLoaded:
        detail = self.services.roadmap.topic_detail(self.topic_id)
        return TopicLoaded(detail, self.services.topics.insight(self.topic_id))

    @work(thread=True, exclusive=True, group="topic")
    def load(self) -> None:
        self.post_message(self._loaded())

    def on_topic_loaded(self, message: TopicLoaded) -> None:
        zone = self.services.ctx.calendar.zone
        text = topic_text(message.detail, zone, message.insight)
        self.query_one("#topic-text", Static).update(text)

    def action_status(self, status: str) -> None:
        def write() -> TopicLoaded:
            self.services.roadmap.set_topic_status(self.topic_id, TopicStatus(status))
            return self._loaded()

        save_in_worker(self, "The status change", write, saved=self.on_topic_loaded, group="topic")

    @property
    def pomodoro_topic(self) -> str:
        """``s`` offers a pomodoro on this topic."""
        return self.topic_id

    def pomodoro_started(self) -> None:
        self.dismiss()
        self.app.switch_mode("timer")

    def action_review(self) -> None:
        """Review this topic's deck on the review screen."""
        from studytui.core.services.review import ReviewFilter

        topic_id = self.topic_id
        app: Any = self.app
        self.dismiss()
        app.switch_mode("review")

        def refilter() -> None:
            screen: Any = app.screen
            if hasattr(screen, "filter") and hasattr(screen, "load"):
                screen.filter = ReviewFilter(topic=topic_id)
                screen.load()

        app.call_after_refresh(refilter)
