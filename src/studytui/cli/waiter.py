"""The waiter that ``studytui start --notify`` leaves behind: it rings a pomodoro's end.

A small process of its own session (it outlives the terminal command that started it). It
wakes at most once a minute to re-read the session, since the app may take it over, pause it
or stop it: it then exits without ringing (the app rings its own ends). At the planned end it
rings the terminal bell on the terminal ``start`` ran in (``pomodoro.bell``) and sends a desktop
notification where the system has a notifier, then logs the session completed, as the next
command would (``LiveTimer.settle_detached``).

Run as ``python -m studytui.cli.waiter SESSION_ID [--tty PATH]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from studytui.core.context import AppContext
from studytui.core.services.live_timer import LiveTimer
from studytui.core.services.session_log import SessionView

POLL_SECONDS = 60.0

Sleep = Callable[[float], None]
Ring = Callable[[SessionView], None]


def wait_for_end(ctx: AppContext, session_id: int, sleep: Sleep, ring: Ring) -> str:
    """Sleep until the session's planned end, then ring and log it.

    Returns what happened: ``rang``, ``ended`` (stopped, cancelled or replaced meanwhile) or
    ``app`` (an app holds it now and rings itself).
    """
    timer = LiveTimer(ctx)
    while True:
        st = timer.status()
        if st.session is None or st.session.id != session_id:
            return "ended"
        if st.held_by_app:
            return "app"
        if st.planned_end is not None and st.planned_end <= st.now:
            ring(st.session)
            timer.settle_detached()
            return "rang"
        left = (st.planned_end - st.now).total_seconds() if st.planned_end else POLL_SECONDS
        sleep(min(POLL_SECONDS, max(left, 0.5)))


def _ringer(ctx: AppContext, tty: str | None) -> Ring:
    def ring(view: SessionView) -> None:
        from studytui.core.notify import desktop_notify

        if ctx.settings.pomodoro.phase_sound == "bell" and tty:
            with contextlib.suppress(OSError), open(tty, "w", encoding="utf-8") as term:
                term.write("\a")
        topic = f" · {view.topic_title or view.topic_id}" if view.topic_id else ""
        desktop_notify("Pomodoro done", f"{view.category.value}{topic}: time for a break")

    return ring


def spawn_waiter(session_id: int) -> int | None:
    """Start the waiter for ``session_id`` in its own session; its pid, or None."""
    tty: str | None = None
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if stream.isatty():
                tty = os.ttyname(stream.fileno())
                break
    command = [sys.executable, "-m", "studytui.cli.waiter", str(session_id)]
    if tty:
        command += ["--tty", tty]
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        return None
    return proc.pid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="studytui-waiter")
    parser.add_argument("session_id", type=int)
    parser.add_argument("--tty", type=Path)
    args = parser.parse_args(argv)
    from studytui.core.clock import SystemClock
    from studytui.core.context import open_context
    from studytui.paths import AppPaths

    ctx = open_context(AppPaths.default(), SystemClock())
    try:
        tty = str(args.tty) if args.tty else None
        wait_for_end(ctx, args.session_id, time.sleep, _ringer(ctx, tty))
    except Exception:  # nothing to report to: the terminal that started it has moved on
        return 1
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
