"""``studytui sessions edit|delete|restore ID``: change the time log from the command line.

The app's rules, through the same service: an edit that would overlap another session is
refused naming it, a running session is stopped first, deletion is soft and ``restore`` undoes
it (again refusing an overlap).
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from studytui.cli.common import context
from studytui.core.errors import ArgumentError
from studytui.core.minutes import shown_minutes
from studytui.core.plaintext import printable
from studytui.core.services.sessions import SessionsService
from studytui.core.timeparse import parse_duration, parse_local_time


def _session_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a session id") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a session id")
    return value


def register_actions(parent: Any) -> None:
    actions = parent.add_subparsers(dest="action", metavar="ACTION", required=False)
    p = actions.add_parser(
        "edit",
        help="change a session's start, length, category, topic, note or tags",
        description="Change a past session; what is not given is kept. See `studytui sessions`.",
    )
    p.add_argument("id", metavar="ID", type=_session_id, help="the session's id")
    p.add_argument("--start", metavar="TIME", help="new local start, e.g. '2026-11-20 20:00'")
    p.add_argument("--duration", metavar="DURATION", help="new focus time: 45m, 1h30m")
    p.add_argument("--category", metavar="CATEGORY", help="hands-on, theory or community")
    topic = p.add_mutually_exclusive_group()
    topic.add_argument("--topic", help="a topic id of the active curriculum")
    topic.add_argument("--no-topic", action="store_true", help="remove its topic")
    p.add_argument("--note", help="new note ('' removes it)")
    tags = p.add_mutually_exclusive_group()
    tags.add_argument("--tags", nargs="+", metavar="+TAG", help="replace its tags")
    tags.add_argument("--no-tags", action="store_true", help="remove its tags")
    p.set_defaults(handler=edit_session)

    p = actions.add_parser("delete", help="delete a session (`sessions restore ID` undoes it)")
    p.add_argument("id", metavar="ID", type=_session_id, help="the session's id")
    p.set_defaults(handler=delete_session)

    p = actions.add_parser("restore", help="bring back a deleted session")
    p.add_argument("id", metavar="ID", type=_session_id, help="the session's id")
    p.set_defaults(handler=restore_session)


def edit_session(args: argparse.Namespace) -> int:
    from studytui.cli.sessions_cmd import _category

    ctx = context()
    try:
        svc = SessionsService(ctx)
        old = svc.get(args.id)
        now = ctx.clock.now()
        start = parse_local_time(args.start, ctx.calendar, now) if args.start else old.started_at
        duration = (
            parse_duration(args.duration, "--duration")
            if args.duration is not None
            else timedelta(seconds=old.focus_seconds)
        )
        if args.category is not None:
            try:
                category = _category(args.category)
            except argparse.ArgumentTypeError as exc:
                raise ArgumentError(str(exc), "--category") from None
        else:
            category = old.category
        topic = None if args.no_topic else (args.topic if args.topic is not None else old.topic_id)
        note = args.note if args.note is not None else old.note
        tags = () if args.no_tags else args.tags
        view = svc.edit(
            args.id, start=start, duration=duration, category=category, topic_id=topic,
            note=note, tags=tags,
        )  # fmt: skip
        print(printable(f"Edited: {view.describe(ctx.calendar)}, "
                        f"{shown_minutes(view.focus_seconds)} min", inline=True))  # fmt: skip
    finally:
        ctx.close()
    return 0


def delete_session(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        view = SessionsService(ctx).delete(args.id)
        undo = f"`studytui sessions restore {view.id}` brings it back"
        print(printable(f"Deleted {view.describe(ctx.calendar)}; {undo}", inline=True))
    finally:
        ctx.close()
    return 0


def restore_session(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        view = SessionsService(ctx).undo_delete(args.id)
        print(printable(f"Restored {view.describe(ctx.calendar)}", inline=True))
    finally:
        ctx.close()
    return 0
