"""Timer: the pomodoro (start, pause, skip, stop, cancel) and this week's time log.

The timer itself lives in the app's ``TimerController`` and keeps running on other screens;
this screen shows it big and lists the week's sessions, where past ones can be added, edited,
deleted and the deletion undone. Session text is shown literally, never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from studytui.core.config import PomodoroSettings
from studytui.core.minutes import minutes_label, minutes_of, minutes_text
from studytui.core.services.facade import Services
from studytui.core.services.session_log import SessionStatus, SessionView
from studytui.core.services.sessions import TopicChoice
from studytui.core.services.time_stats import WeekStats
from studytui.ui.saving import save_in_worker
from studytui.ui.screens.timer_dialogs import SessionForm
from studytui.ui.timer_keys import timer_bindings
from studytui.ui.widgets.bars import split_bar
from studytui.ui.widgets.footer import Footer
from studytui.ui.widgets.timer_panel import TimerPanel
from studytui.ui.workers import work

if TYPE_CHECKING:
    from studytui.ui.timer_controller import TimerChanged, TimerController


class WeekLogLoaded(Message):
    def __init__(
        self, stats: WeekStats, sessions: list[SessionView], topics: tuple[TopicChoice, ...]
    ) -> None:
        super().__init__()
        self.stats = stats
        self.sessions = sessions
        self.topics = topics


class SessionDeleted(Message):
    def __init__(self, view: SessionView) -> None:
        super().__init__()
        self.view = view


class SessionRestored(Message):
    def __init__(self, view: SessionView) -> None:
        super().__init__()
        self.view = view


class SessionActionFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


STATUS_STYLE = {
    SessionStatus.COMPLETED: "green",
    SessionStatus.INTERRUPTED: "yellow",
    SessionStatus.RUNNING: "bold red",
    SessionStatus.PAUSED: "bold yellow",
}


class TimerScreen(Screen[None]):
    SHOWS_TIMER = True  # no extra status line: the big timer is here

    BINDINGS: ClassVar[list[BindingType]] = [
        *timer_bindings(show_all=True),  # the app's timer keys, all shown here
        Binding("space", "app.timer_pause", "Pause/resume", id="timer.pause-space", show=False),
        Binding("a", "add", "Add session", id="timer.add"),
        Binding("e", "edit", "Edit", id="timer.edit"),
        Binding("d,delete", "delete", "Delete", id="timer.delete"),
        Binding("u", "undo", "Undo delete", id="timer.undo"),
        Binding("m", "pomodoro_settings", "Lengths & goal", id="timer.settings"),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services
        self.sessions: dict[int, SessionView] = {}
        self.deleted: list[int] = []  # undo stack of deleted session ids
        self._seen: tuple[object, ...] | None = None

    @property
    def controller(self) -> TimerController:
        return self.app.timer  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        yield TimerPanel(self.controller)
        with Vertical(id="timer-log"):
            yield Static("", id="timer-split", markup=False)
            table: DataTable[Any] = DataTable(id="sessions-table", cursor_type="row")
            table.add_columns("Day", "Time", "Min", "Category", "Topic", "Status", "Note")
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Timer"
        self.controller.changed.subscribe(self, self._timer_changed)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    # -- timer -----------------------------------------------------------------------------

    def _timer_changed(self, event: TimerChanged) -> None:
        s = event.state
        key = (s.session_id, s.phase, s.is_paused, s.completed_today, s.waiting_break,
               self.controller.ready)  # fmt: skip
        if key != self._seen:
            self._seen = key
            self.refresh_bindings()
            self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            view = self._selected()
            return None if view is None or view.is_open else True
        if action == "undo":
            return True if self.deleted else None
        return True

    # -- the week's log --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="timer-log")
    def load(self) -> None:
        stats_service = self.services.time_stats
        span = stats_service.week_span()
        sessions = self.services.sessions
        views = sessions.between(span.first_day, span.last_day)
        topics = sessions.topic_choices()  # the curriculum may have changed meanwhile
        self.post_message(WeekLogLoaded(stats_service.summarize(span, views), views, topics))

    def on_week_log_loaded(self, message: WeekLogLoaded) -> None:
        self.controller.set_topics(message.topics)
        st = message.stats
        head = Text()
        head.append(f"{st.week.label}", style="bold")
        head.append(f"  {st.week.first_day:%a %d %b} – {st.week.last_day:%a %d %b}", style="dim")
        head.append(f"   focus {minutes_label(st.total_minutes)} min", style="bold")
        for share in st.categories:
            head.append("\n")
            head.append_text(split_bar(share.category.label, share.percent, share.target_percent))
        needed = {c.category.value: minutes_of(c.needed_minutes) for c in st.categories}
        if minutes_of(st.total_minutes) and any(needed.values()):
            parts = ", ".join(f"{name} {m}" for name, m in needed.items() if m)
            total = minutes_label(st.needed_minutes)
            head.append(f"\nTo meet the split this week: {total} more minutes ({parts})", "dim")
        self.query_one("#timer-split", Static).update(head)
        table: DataTable[Any] = self.query_one("#sessions-table", DataTable)
        selected = self._selected()
        table.clear()
        self.sessions = {v.id: v for v in message.sessions}
        cal = self.services.ctx.calendar
        state = self.controller.state
        for v in reversed(message.sessions):  # newest first
            start = cal.local(v.started_at)
            end = cal.local(v.ended_at).strftime("%H:%M") if v.ended_at else "…"
            seconds = v.focus_seconds
            if v.is_open and state.run is not None and state.session_id == v.id:
                seconds = round(state.run.elapsed(self.controller.clock.now()).total_seconds())
            table.add_row(
                Text(f"{start:%a %d %b}"),
                Text(f"{start:%H:%M}–{end}"),
                Text(minutes_text(seconds), justify="right"),
                Text(v.category.label),
                Text(v.topic_title or v.topic_id or ""),
                Text(v.status.value, style=STATUS_STYLE.get(v.status, "")),
                Text(v.note or ""),
                key=str(v.id),
            )
        if selected is not None and selected.id in self.sessions:
            table.move_cursor(row=table.get_row_index(str(selected.id)))
        self.refresh_bindings()

    def _selected(self) -> SessionView | None:
        try:
            table: DataTable[Any] = self.query_one("#sessions-table", DataTable)
        except Exception:
            return None
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value is None:
            return None
        return self.sessions.get(int(row_key.value))

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_add(self) -> None:
        """A past session, offered in the latest free 25 minutes of the week's log."""
        from datetime import timedelta

        from studytui.core.services.session_log import latest_free_start

        start = latest_free_start(
            list(self.sessions.values()), timedelta(minutes=25), self.controller.clock.now()
        )
        form = SessionForm(self.services, self.controller.topics, default_start=start)
        self.app.push_screen(form, self._form_closed)

    def action_edit(self) -> None:
        view = self._selected()
        if view is None or view.is_open:
            return
        self.app.push_screen(
            SessionForm(self.services, self.controller.topics, view), self._form_closed
        )

    def _form_closed(self, view: SessionView | None) -> None:
        if view is not None:
            self.notify(f"Saved {view.describe(self.services.ctx.calendar)}", markup=False)
            self.load()

    def action_delete(self) -> None:
        view = self._selected()
        if view is not None and not view.is_open:
            self.delete_session(view.id)

    def delete_session(self, session_id: int) -> None:
        sessions = self.services.sessions
        save_in_worker(
            self,
            "The deletion",
            lambda: sessions.delete(session_id),
            saved=lambda view: self.on_session_deleted(SessionDeleted(view)),
            group="timer-log-write",
        )

    def on_session_deleted(self, message: SessionDeleted) -> None:
        self.deleted.append(message.view.id)
        self.notify(
            f"Deleted {message.view.describe(self.services.ctx.calendar)}. Press u to undo.",
            markup=False,
        )
        self.load()

    def action_undo(self) -> None:
        if self.deleted:
            self.restore_session(self.deleted[-1])

    def restore_session(self, session_id: int) -> None:
        sessions = self.services.sessions
        save_in_worker(
            self,
            "The undo",
            lambda: sessions.undo_delete(session_id),
            saved=lambda view: self.on_session_restored(SessionRestored(view)),
            group="timer-log-write",
        )

    def on_session_restored(self, message: SessionRestored) -> None:
        if message.view.id in self.deleted:
            self.deleted.remove(message.view.id)
        self.notify(f"Restored {message.view.describe(self.services.ctx.calendar)}", markup=False)
        self.load()

    def action_pomodoro_settings(self) -> None:
        from studytui.ui.screens.pomodoro_dialog import PomodoroDialog

        self.app.push_screen(PomodoroDialog(self.services), self._pomodoro_saved)

    def _pomodoro_saved(self, p: PomodoroSettings | None) -> None:
        if p is None:
            return
        goal = f", goal {p.daily_goal} a day" if p.daily_goal else ", no daily goal"
        self.notify(
            f"Saved to config.yaml: {p.work_minutes}/{p.short_break_minutes}/"
            f"{p.long_break_minutes} min, long break every {p.long_break_every}{goal}. "
            "From the next phase on.",
            title="Pomodoro settings",
            markup=False,
        )
        self.query_one(TimerPanel).show(self.controller.state)  # the idle countdown's length

    def on_session_action_failed(self, message: SessionActionFailed) -> None:
        self.notify(message.reason, severity="error", markup=False)
