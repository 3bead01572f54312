"""Dialogs of the timer screen: what a pomodoro is about, and adding or editing a past session."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from studytui.core.categories import CATEGORIES, Category
from studytui.core.errors import StudyError
from studytui.core.services.facade import Services
from studytui.core.services.session_log import SessionView
from studytui.core.services.sessions import TopicChoice
from studytui.core.tags import join_note_and_tags, split_note_and_tags
from studytui.core.timeparse import format_duration, parse_duration, parse_local_time
from studytui.core.timer import WorkTarget
from studytui.ui.saving import save_in_worker

NO_TOPIC = "__none__"


class MarkedRadio(RadioButton):
    """● on the chosen category only, so the choice shows without colour."""

    def render(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super().render()


class CategoryRadios(RadioSet):
    """Exactly one category; Enter picks the highlighted one and submits the dialog (space
    only picks), as Enter in the dialog's text fields does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Choose and go", id="category.submit", show=False),
    ]

    class Submitted(Message):
        pass

    def action_submit(self) -> None:
        self.action_toggle_button()
        self.post_message(self.Submitted())


def category_radios(selected: Category) -> RadioSet:
    return CategoryRadios(
        *(
            MarkedRadio(c.label, value=c is selected, name=c.value, compact=True)
            for c in CATEGORIES
        ),
        id="category",
        compact=True,
    )


def topic_select(topics: tuple[TopicChoice, ...], selected: str | None) -> Select[str]:
    """This week's topics first (marked), then the rest of the curriculum."""
    options: list[tuple[str, str]] = [("— no topic —", NO_TOPIC)]
    known = {t.id for t in topics}
    for t in topics:
        options.append((f"★ {t.title}" if t.this_week else f"  {t.title}", t.id))
    if selected and selected not in known:
        options.append((selected, selected))
    select: Select[str] = Select(
        [(Text(label), value) for label, value in options],
        value=selected or NO_TOPIC,
        allow_blank=False,
        id="topic",
        type_to_search=True,
        compact=True,
    )
    return select


def chosen_category(radios: RadioSet) -> Category:
    button = radios.pressed_button
    return Category(button.name) if button is not None and button.name else Category.HANDS_ON


def chosen_topic(select: Select[str]) -> str | None:
    value = select.value
    return None if not isinstance(value, str) or value == NO_TOPIC else value


class StartDialog(ModalScreen[WorkTarget | None]):
    """Category (exactly one), topic (this week's first) and a note for the next pomodoro."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="start.cancel"),
        Binding("ctrl+s", "start", "Start", id="start.start", priority=True),
    ]

    def __init__(
        self, topics: tuple[TopicChoice, ...], previous: WorkTarget | None, work_minutes: int
    ) -> None:
        super().__init__()
        self.topics = topics
        self.previous = previous
        self.work_minutes = work_minutes

    def compose(self) -> ComposeResult:
        prev = self.previous
        with Vertical(id="start-dialog", classes="dialog"):
            yield Static(f"Start a {self.work_minutes}-minute pomodoro", classes="dialog-title")
            yield Label("Category")
            yield category_radios(prev.category if prev else Category.HANDS_ON)
            yield Label("Topic (★ this week)")
            yield topic_select(self.topics, prev.topic_id if prev else None)
            yield Label("Note and +tags (optional)")
            yield Input(
                value=join_note_and_tags(prev.note, prev.tags) if prev else "",
                id="note",
                placeholder="what on  +paper +reading",
                compact=True,
            )
            yield Static("", id="start-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", id="start", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#category", RadioSet).focus()

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#note")
    @on(CategoryRadios.Submitted)
    def action_start(self) -> None:
        try:
            note, tags = split_note_and_tags(self.query_one("#note", Input).value)
        except StudyError as exc:  # a tag that is not one: say so, start nothing
            self.query_one("#start-error", Static).update(str(exc))
            return
        self.dismiss(
            WorkTarget(
                chosen_category(self.query_one("#category", RadioSet)),
                chosen_topic(self.query_one("#topic", Select)),
                note,
                tags,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class SessionSaved(Message):
    def __init__(self, view: SessionView) -> None:
        super().__init__()
        self.view = view


class SessionRefused(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class SessionForm(ModalScreen[SessionView | None]):
    """Add a past session, or edit one; overlaps are refused with the other session named."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="session.cancel"),
        Binding("ctrl+s", "save", "Save", id="session.save", priority=True),
    ]

    def __init__(self, services: Services, topics: tuple[TopicChoice, ...],
                 session: SessionView | None = None,
                 default_start: datetime | None = None) -> None:  # fmt: skip
        super().__init__()
        self.services = services
        self.topics = topics
        self.session = session
        self.default_start = default_start  # a new session: the latest free slot

    def compose(self) -> ComposeResult:
        cal = self.services.ctx.calendar
        v = self.session
        now = self.services.ctx.clock.now()
        if v is not None:
            start = cal.local(v.started_at).strftime("%Y-%m-%d %H:%M")
            duration = format_duration(timedelta(seconds=v.focus_seconds))
            title = f"Edit session {v.id}"
        else:
            begin = self.default_start or now - timedelta(minutes=25)
            start = cal.local(begin).strftime("%Y-%m-%d %H:%M")
            duration = "25m"
            title = "Add a session"
        zone = self.services.ctx.settings.timezone
        with Vertical(id="session-form", classes="dialog"):
            yield Static(title, classes="dialog-title")
            yield Label(f"Start (local time, {zone})")
            yield Input(value=start, id="start", placeholder="YYYY-MM-DD HH:MM", compact=True)
            yield Label("Focus time")
            yield Input(value=duration, id="duration", placeholder="45m, 1h30m", compact=True)
            yield Label("Category")
            yield category_radios(v.category if v else Category.HANDS_ON)
            yield Label("Topic (★ this week)")
            yield topic_select(self.topics, v.topic_id if v else None)
            yield Label("Note and +tags (optional)")
            yield Input(
                value=join_note_and_tags(v.note, v.tags) if v else "",
                id="note",
                placeholder="what on  +paper +reading",
                compact=True,
            )
            yield Static("", id="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    @on(CategoryRadios.Submitted)
    def action_save(self) -> None:
        ctx = self.services.ctx
        try:
            start = parse_local_time(self.query_one("#start", Input).value, ctx.calendar,
                                     ctx.clock.now())  # fmt: skip
            duration = parse_duration(self.query_one("#duration", Input).value)
            note, tags = split_note_and_tags(self.query_one("#note", Input).value)
        except StudyError as exc:
            self._show_error(str(exc))
            return
        self.save(
            start,
            duration,
            chosen_category(self.query_one("#category", RadioSet)),
            chosen_topic(self.query_one("#topic", Select)),
            note,
            tags,
        )

    def save(self, start: Any, duration: timedelta, category: Category, topic: str | None,
             note: str | None, tags: tuple[str, ...]) -> None:  # fmt: skip
        """Write in a worker; a refusal or a failed write keeps the form open with the reason."""
        sessions, editing = self.services.sessions, self.session

        def write() -> SessionView:
            if editing is None:
                return sessions.log(duration, category, topic_id=topic, start=start, note=note,
                                    tags=tags)  # fmt: skip
            return sessions.edit(editing.id, start=start, duration=duration,
                                 category=category, topic_id=topic, note=note,
                                 tags=tags)  # fmt: skip

        save_in_worker(
            self,
            "The session",
            write,
            saved=lambda view: self.on_session_saved(SessionSaved(view)),
            failed=lambda why: self.on_session_refused(SessionRefused(why)),
            group="session-form",
        )

    def on_session_saved(self, message: SessionSaved) -> None:
        self.dismiss(message.view)

    def on_session_refused(self, message: SessionRefused) -> None:
        self._show_error(message.reason)

    def _show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(text)

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)
