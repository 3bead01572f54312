"""The start-up deck sync in a child process, on a second core, while the app starts.

On a first start the sync parses every bundled deck file (~0.1 s of CPU); later starts check
their digests (~45 ms, most of it reading the curricula). In the app's own process that work
competes with Textual for the one interpreter lock, right before the dashboard can show cards
due. A child running this module does it on another core instead (importing only what the sync
needs: ~0.25 s in all on a first start), and the app reads its report when it first needs the
counts. With one core, or if the child fails in any way, the
app syncs in-process as before: the sync is idempotent and one transaction, so a half-finished
child leaves nothing behind.

This module is imported before the first frame: it needs only the standard library.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studytui.core.decks.sync import SyncReport

COMMAND = (sys.executable, "-m", "studytui.core.decks.background")
# Longer than the database busy timeout (10 s): a child waiting on a lock gets its turn first.
WAIT_SECONDS = 15.0


def spare_core() -> bool:
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not on Linux
        return (os.cpu_count() or 1) > 1


class BackgroundSync:
    """A running ``decks sync`` child; ``report`` waits for it (without holding the GIL)."""

    def __init__(self, command: Sequence[str] = COMMAND) -> None:
        self.process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,  # never onto the app's terminal
        )

    @classmethod
    def start(cls) -> BackgroundSync | None:
        """The child, when a second core can run it; None means "sync in-process"."""
        if not spare_core():
            return None
        try:
            return cls()
        except OSError:
            return None

    def report(self, timeout: float = WAIT_SECONDS) -> SyncReport | None:
        """The child's report, or None when it failed, printed nothing usable or took too long."""
        from studytui.core.decks.sync import SyncReport

        try:
            out, _err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            return None
        if self.process.returncode not in (0, 2):  # 2: some deck files had problems
            return None
        try:
            return SyncReport.from_json(json.loads(out))
        except (ValueError, KeyError, TypeError):
            return None


def main() -> int:
    """The child: sync the decks of the context the environment names, print the report."""
    from studytui.core.clock import SystemClock
    from studytui.core.context import open_context
    from studytui.core.decks.sync import sync_decks
    from studytui.paths import AppPaths

    ctx = open_context(AppPaths.default(), SystemClock(), create=False, daily_backup=False)
    try:
        report = sync_decks(ctx)
    finally:
        ctx.close()
    json.dump(report.to_json(), sys.stdout)
    return 2 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
