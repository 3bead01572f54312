"""What the app does when a phase ends: the notification, the sound, a desktop notification.

Kept out of ``timer_controller.py`` (which runs the timer) since it only tells the user. The
sound follows ``pomodoro.sound`` (``core/sound.py``): the terminal bell, nothing, or a file
played in a worker so a slow or stuck player never holds up the UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studytui.core.notify import desktop_notify
from studytui.core.sound import play_file, sound_file
from studytui.core.timer import Phase, PhaseEnded
from studytui.ui.workers import run_reported

if TYPE_CHECKING:
    from textual.app import App

    from studytui.core.config import Settings


def phase_end_text(event: PhaseEnded) -> tuple[str, str]:
    """The notification's title and message: what ended and what comes (or waits) next."""
    if event.phase is Phase.WORK:
        nxt = event.next_phase.label.lower() if event.next_phase else "a break"
        if event.next_phase is not None and not event.auto:
            return "Pomodoro done", f"Logged. {event.next_phase.label} ready — press s."
        return "Pomodoro done", f"Logged. Time for a {nxt}."
    title = f"{event.phase.label} over"
    if event.next_phase is Phase.WORK:
        return title, "The next pomodoro has started, on the same topic."
    return title, "Press s to start the next pomodoro."


def announce(app: App[Any], settings: Settings, event: PhaseEnded) -> None:
    """Tell the user a phase ended: on screen always, by sound and desktop as configured."""
    title, message = phase_end_text(event)
    pomodoro = settings.pomodoro
    choice = pomodoro.phase_sound
    if choice == "bell":
        app.bell()
    elif (path := sound_file(pomodoro, settings.source)) is not None:
        run_reported(app, lambda: play_file(path), doing="phase sound", group="phase-sound")
    app.notify(message, title=title, timeout=30, markup=False)
    if pomodoro.desktop_notifications:
        run_reported(
            app,
            lambda: desktop_notify(f"studytui: {title}", message),
            doing="desktop notification",
            group="desktop-notify",
        )
