"""Writes from the UI, in thread workers: a failed write is said on screen and never shown as
saved, and never ends the app.

Every screen that writes goes through ``save_in_worker``: the write runs off the UI thread; on
success ``saved`` gets its result on the UI thread; on failure (a full disk, a read-only folder,
a rule of the data) the user is told what was not saved and why (``core.write_failure.reason``),
and ``failed`` puts the screen back to what is stored (a tick unticked, a dialog kept open).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.dom import DOMNode

from studytui.core.write_failure import reason
from studytui.ui.workers import run_reported

T = TypeVar("T")


def call_on_ui(app: App[Any], fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn`` on the UI thread from a worker thread (nothing when the app has closed)."""
    if not app.is_running:
        return
    with contextlib.suppress(RuntimeError):  # closed meanwhile
        app.call_from_thread(fn, *args)


def report_not_saved(node: DOMNode, what: str, why: str) -> None:
    """The one way a failed write is announced: an error that stays for a while."""
    node.app.notify(
        f"{what} was not saved: {why}",
        title="Not saved",
        severity="error",
        timeout=20,
        markup=False,
    )


def save_in_worker(
    node: DOMNode,
    what: str,
    write: Callable[[], T],
    *,
    saved: Callable[[T], None] | None = None,
    failed: Callable[[str], None] | None = None,
    group: str = "save",
) -> None:
    """Run ``write`` in a thread worker; ``what`` names the change in the error ("The tick")."""
    app = node.app

    def not_saved(why: str) -> None:
        report_not_saved(node, what, why)
        if failed is not None:
            failed(why)

    def job() -> None:
        try:
            result = write()
        except Exception as exc:  # every failure is reported, none ends the app
            call_on_ui(app, not_saved, reason(exc))
            return
        if saved is not None:
            call_on_ui(app, saved, result)

    run_reported(node, job, doing=f"saving: {what}", group=group)
