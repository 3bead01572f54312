"""``studytui start``, ``stop``, ``status``, ``cancel``: the pomodoro timer on the command line.

The same sessions as the app's timer (``core/services/live_timer.py``): a session started here
shows in the app, and ``status`` shows the app's.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from studytui.cli.common import context, print_json
from studytui.cli.sessions_cmd import _category
from studytui.core.minutes import shown_minutes
from studytui.core.plaintext import printable
from studytui.core.services.live_timer import LiveTimer, TimerStatus
from studytui.core.services.session_log import SessionView
from studytui.core.studyday import StudyCalendar
from studytui.core.timeparse import parse_duration, parse_local_time

TAGS_HELP = "free tags, each written +TAG (e.g. +paper +reading)"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "start",
        help="start a pomodoro that runs without the app",
        description=(
            "Start a pomodoro now. No app needs to stay open: the session is detached, and "
            "the next studytui command or app start after its planned end logs it completed "
            "at that end. The app shows it and takes it over. Refused while a session runs."
        ),
    )
    p.add_argument(
        "category", metavar="CATEGORY", type=_category, help="hands-on, theory or community"
    )
    p.add_argument("tags", metavar="+TAG", nargs="*", help=TAGS_HELP)
    p.add_argument("--topic", help="a topic id of the active curriculum (see `studytui week`)")
    p.add_argument("--note", help="a short note")
    p.add_argument(
        "--for",
        dest="length",
        metavar="DURATION",
        help="its planned length (45m, 1h30m); default: pomodoro.work_minutes",
    )
    p.add_argument(
        "--notify",
        action="store_true",
        help="leave a small process that rings the end (terminal bell, desktop notification)",
    )
    p.set_defaults(handler=start_session)

    p = sub.add_parser("stop", help="stop the running pomodoro and log it")
    p.add_argument("--at", metavar="TIME", help="when it ended, local: '14:05' or a date and time")
    p.set_defaults(handler=stop_session)

    p = sub.add_parser("status", help="the running pomodoro, if any")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=show_status)

    p = sub.add_parser("cancel", help="discard the running pomodoro (nothing is logged)")
    p.set_defaults(handler=cancel_session)


def _hm(calendar: StudyCalendar, instant: datetime) -> str:
    return f"{calendar.local(instant):%H:%M}"


def _what(v: SessionView) -> str:
    topic = f" · {v.topic_id}" if v.topic_id else ""
    tags = "".join(f" +{t}" for t in v.tags)
    return f"{v.category.value}{topic}{tags}"


def _clock_text(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def start_session(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        planned = parse_duration(args.length, "--for") if args.length is not None else None
        timer = LiveTimer(ctx)
        view = timer.start(
            args.category, topic_id=args.topic, note=args.note, tags=args.tags, planned=planned
        )
        cal = ctx.calendar
        end = view.run().planned_end(view.started_at)
        minutes = shown_minutes(view.planned_seconds or 0)
        print(printable(
            f"Started session {view.id}: {minutes} min of {_what(view)} at "
            f"{_hm(cal, view.started_at)}, ends {_hm(cal, end)}. It runs on without the app; "
            "`studytui stop` ends it early.", inline=True,
        ))  # fmt: skip
        if args.notify:
            from studytui.cli.waiter import spawn_waiter

            pid = spawn_waiter(view.id)
            if pid is None:
                print("studytui: warning: could not start the waiter; nothing will ring",
                      file=sys.stderr)  # fmt: skip
            else:
                print(f"A waiter (pid {pid}) rings at {_hm(cal, end)}.")
    finally:
        ctx.close()
    return 0


def stop_session(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        at = parse_local_time(args.at, ctx.calendar, ctx.clock.now()) if args.at else None
        view = LiveTimer(ctx).stop(at)
        print(printable(
            f"Logged {shown_minutes(view.focus_seconds)} min ({view.status.value}): "
            f"{view.describe(ctx.calendar)}", inline=True,
        ))  # fmt: skip
    finally:
        ctx.close()
    return 0


def cancel_session(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        view = LiveTimer(ctx).cancel()
        print(printable(f"Cancelled, not logged: {view.describe(ctx.calendar)}", inline=True))
    finally:
        ctx.close()
    return 0


def status_json(st: TimerStatus, calendar: StudyCalendar) -> dict[str, Any]:
    v = st.session
    if v is None:
        return {"running": False}
    return {
        "running": True,
        "id": v.id,
        "status": v.status.value,
        "category": v.category.value,
        "topic": v.topic_id,
        "topic_title": v.topic_title,
        "tags": list(v.tags),
        "note": v.note,
        "started_at": calendar.local(v.started_at).isoformat(timespec="seconds"),
        "planned_end": (
            calendar.local(st.planned_end).isoformat(timespec="seconds") if st.planned_end else None
        ),
        "planned_seconds": v.planned_seconds,
        "focus_seconds": st.focus_seconds,
        "remaining_seconds": st.remaining_seconds,
        "held_by": "app" if st.held_by_app else None,
        "detached_since": (
            calendar.local(v.detached_at).isoformat(timespec="seconds")
            if v.detached_at and not st.held_by_app
            else None
        ),
        "started_via": v.started_via or "app",
    }


def status_text(st: TimerStatus, calendar: StudyCalendar) -> str:
    v = st.session
    if v is None:
        return "No session running.\n"
    via = "the command line" if v.started_via == "cli" else "the app"
    if st.held_by_app:
        holder = "held by the app"
    elif v.detached_at is not None:
        holder = f"detached since {_hm(calendar, v.detached_at)} (no app holds it)"
    else:
        holder = "no app holds it"
    lines = [
        f"Session {v.id}: {_what(v)} — {v.status.value}, started from {via} at "
        f"{_hm(calendar, v.started_at)}, {holder}",
        f"Focus {_clock_text(st.focus_seconds)} of {_clock_text(v.planned_seconds or 0)}, "
        f"{_clock_text(st.remaining_seconds)} left, planned end "
        f"{_hm(calendar, st.planned_end or v.started_at)}",
    ]
    if v.note:
        lines.append(f"Note: {v.note}")
    if st.overdue and not st.held_by_app:
        lines.append(
            "Its planned end has passed: `studytui stop` logs it up to then "
            "(or `studytui cancel` discards it)."
        )
    return "".join(printable(line, inline=True) + "\n" for line in lines)


def show_status(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        st = LiveTimer(ctx).status()
        if args.json:
            print_json(status_json(st, ctx.calendar))
        else:
            print(status_text(st, ctx.calendar), end="")
    finally:
        ctx.close()
    return 0
