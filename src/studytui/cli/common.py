"""Helpers shared by commands: opening the context, printing JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from studytui.core.clock import SystemClock
from studytui.core.context import AppContext, open_context
from studytui.paths import AppPaths


def context() -> AppContext:
    ctx = open_context(AppPaths.default(), SystemClock())
    for notice in ctx.notices:
        print(f"studytui: warning: {notice}", file=sys.stderr)
    return ctx


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
