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
    return ctx


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")
