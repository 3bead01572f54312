"""Background work whose failure is shown and logged, never fatal.

Textual ends the whole app when a worker raises (``exit_on_error`` is True by default): one
failed read, say a week the curriculum does not have, closed studytui in the middle of a study
session. Every worker of the UI is therefore declared here, with ``work`` (the decorator) or
``run_reported`` (for a plain callable): a failure is logged with its traceback, shown as an
error notification with its message, and the app carries on. ``tests/test_roadmap_screen.py``
scans the ``studytui.ui`` package so that no worker is declared any other way.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, Literal, ParamSpec, TypeVar

from textual import work as textual_work
from textual.dom import DOMNode
from textual.worker import Worker

from studytui.core.errors import StudyError

log = logging.getLogger("studytui.ui")

P = ParamSpec("P")
R = TypeVar("R")
N = TypeVar("N", bound=DOMNode)


def failure_message(exc: BaseException) -> str:
    """What the user reads: a StudyError says what to do; anything else names its kind."""
    if isinstance(exc, StudyError):
        return str(exc)
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def report_failure(node: DOMNode, doing: str, exc: BaseException) -> None:
    """Log a failed piece of work and notify the user (callable from any thread)."""
    log.error("%s failed", doing, exc_info=exc)
    try:
        app = node.app
    except Exception:  # the node left the app meanwhile: the log keeps the failure
        return
    if app.is_running:
        app.notify(
            failure_message(exc),
            title=f"{doing[:1].upper()}{doing[1:]} failed",
            severity="error",
            timeout=15,
            markup=False,
        )


def _doing(name: str) -> str:
    return name.strip("_").replace("_", " ")


def reported(node: DOMNode, doing: str, fn: Callable[[], R]) -> Callable[[], R]:
    """``fn`` that reports its failure before passing it on to its worker."""

    @functools.wraps(fn)
    def run() -> R:
        try:
            return fn()
        except Exception as exc:
            report_failure(node, doing, exc)
            raise

    return run


def run_reported(
    node: DOMNode,
    fn: Callable[[], R],
    *,
    doing: str | None = None,
    group: str = "default",
    exclusive: bool = False,
) -> Worker[R]:
    """Run ``fn`` in a thread worker of ``node``; its failure is reported, never fatal."""
    what = doing or _doing(getattr(fn, "__name__", "") or "background work")
    return node.run_worker(
        reported(node, what, fn), group=group, exclusive=exclusive, thread=True, exit_on_error=False
    )


def work(
    *,
    thread: Literal[True] = True,
    group: str = "default",
    exclusive: bool = False,
    doing: str | None = None,
) -> Callable[[Callable[Concatenate[N, P], R]], Callable[Concatenate[N, P], Worker[R]]]:
    """``textual.work`` for a thread worker whose failure is reported instead of ending the app.

    ``thread`` must be True (UI work that blocks runs in threads); it is spelled out at each
    use, as with Textual's decorator. The failed worker still ends in the ERROR state, so
    whoever waits for it sees the error.
    """

    def decorate(method: Callable[Concatenate[N, P], R]) -> Callable[Concatenate[N, P], Worker[R]]:
        what = doing or _doing(method.__name__)

        @functools.wraps(method)
        def guarded(node: N, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(node, *args, **kwargs)
            except Exception as exc:
                report_failure(node, what, exc)
                raise

        worker: Callable[Concatenate[N, P], Worker[R]] = textual_work(
            guarded, group=group, exclusive=exclusive, thread=thread, exit_on_error=False
        )
        return worker

    return decorate


__all__ = ["failure_message", "report_failure", "reported", "run_reported", "work"]
