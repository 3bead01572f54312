"""Helpers shared by commands: opening the context, printing JSON."""

from __future__ import annotations

import sys
from typing import Any

from studytui.core.clock import SystemClock
from studytui.core.context import AppContext, open_context
from studytui.core.plaintext import json_text, printable
from studytui.paths import AppPaths


def context() -> AppContext:
    ctx = open_context(AppPaths.default(), SystemClock())
    for notice in ctx.notices:
        print(printable(f"studytui: warning: {notice}"), file=sys.stderr)
    _settle_detached(ctx)
    return ctx


def _settle_detached(ctx: AppContext) -> None:
    """A pomodoro no app holds whose planned end passed is logged by the next command
    (``core/services/live_timer.py``); say so on stderr, so JSON on stdout stays whole."""
    from studytui.core.services.live_timer import LiveTimer

    try:
        view = LiveTimer(ctx).settle_detached()
    except Exception as exc:  # the command itself may still work; say what was not logged
        print(printable(f"studytui: warning: the detached pomodoro was not logged: {exc}"),
              file=sys.stderr)  # fmt: skip
        return
    if view is not None:
        print(printable(f"studytui: logged the detached pomodoro at its planned end: "
                        f"{view.describe(ctx.calendar)}"), file=sys.stderr)  # fmt: skip


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")
