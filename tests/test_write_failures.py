"""Writes that really fail: a full disk (a small tmpfs, filled) and a read-only database
(``chattr +i`` on the file, its WAL and its folder: writes refused by the kernel, even to root).

Pilot tests press real keys while the database cannot be written: the screen says what is not
saved, nothing acknowledged is lost (written once the database can be written again), and
quitting asks instead of crashing. Both need root (mount, chattr); elsewhere they are skipped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import StudyError
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.write_failure import NotSavedError
from studytui.paths import AppPaths
from studytui.ui.app import StudyApp
from studytui.ui.screens.dashboard import DashboardScreen
from studytui.ui.screens.review import ReviewScreen
from studytui.ui.screens.review_messages import RetrySaving
from studytui.ui.unsaved import QuitWithUnsaved
from studytui.ui.widgets.checklist import Checklist

DECK = """\
schema: 1
topic: demo
title: Demo deck
cards:
  - id: q1
    front: First question
    back: First answer
  - id: q2
    front: Second question
    back: Second answer
  - id: q3
    front: Third question
    back: Third answer
"""


def _run(*argv: str) -> bool:
    if shutil.which(argv[0]) is None:
        return False
    return subprocess.run(argv, capture_output=True, check=False).returncode == 0


class FullDisk:
    """The data folder on a 8 MB tmpfs; ``fill()`` takes its last free byte."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.filler = folder / "filler"

    def fill(self, database: Path) -> None:
        # An empty WAL: the next commit must grow the file, and there is no room for it.
        conn = sqlite3.connect(database)
        try:
            assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        finally:
            conn.close()
        with open(self.filler, "wb", buffering=0) as out:
            for size in (1 << 16, 1 << 12, 1):
                with contextlib.suppress(OSError):
                    while True:
                        out.write(b"\0" * size)
        probe = self.folder / "probe"
        with pytest.raises(OSError, match="No space left") as info:
            probe.write_bytes(b"x" * 4096)
        assert info.value.errno == errno.ENOSPC
        probe.unlink(missing_ok=True)

    def free(self) -> None:
        self.filler.unlink()


@pytest.fixture
def full_disk(paths: AppPaths) -> Iterator[FullDisk]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(paths.data_dir)):
        pytest.skip("this machine refuses `mount -t tmpfs`")
    try:
        yield FullDisk(paths.data_dir)
    finally:
        _run("umount", "-l", str(paths.data_dir))


class ReadOnly:
    """The database, its WAL and its folder made immutable: every write is refused."""

    def __init__(self, database: Path) -> None:
        # Never the -shm file: SQLite writes it through mmap, and an immutable one is a SIGBUS.
        self.targets = [str(database), f"{database}-wal", str(database.parent)]
        self.on = False

    def lock(self) -> None:
        assert Path(self.targets[1]).exists()
        assert _run("chattr", "+i", *self.targets)
        self.on = True

    def unlock(self) -> None:
        if self.on:
            assert _run("chattr", "-i", *self.targets)
            self.on = False


@pytest.fixture
def read_only(paths: AppPaths, tmp_path: Path) -> Iterator[ReadOnly]:
    probe = tmp_path / "chattr-probe"
    probe.write_text("x")
    if os.geteuid() != 0 or not _run("chattr", "+i", str(probe)):
        pytest.skip("chattr +i needs root and a file system with attributes")
    _run("chattr", "-i", str(probe))
    guard = ReadOnly(paths.database)
    try:
        yield guard
    finally:
        guard.unlock()


@pytest.fixture
def home(paths: AppPaths, clock: ManualClock, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A context on ``paths`` with the demo deck, opened after the other fixtures (a mount)."""
    for name in ("full_disk", "read_only"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    ctx = open_context(paths, clock)
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.yaml").write_text(DECK, encoding="utf-8")
    sync_decks(ctx)
    try:
        yield ctx
    finally:
        ctx.close()


def logged(database: Path) -> list[tuple[int, int]]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [
            tuple(r) for r in conn.execute("SELECT card_id, rating FROM review_log ORDER BY id")
        ]
    finally:
        conn.close()


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def unsaved_line(app: StudyApp) -> str | None:
    line = app.screen.query_one("#review-unsaved", Static)
    return None if line.has_class("hidden") else str(line.content)


# -- the service alone -----------------------------------------------------------------------


def test_a_failed_flush_keeps_the_rating_queued(
    full_disk: FullDisk, home: AppContext, clock: ManualClock
) -> None:
    session = ReviewService(home).start(ReviewFilter(deck="demo"))
    card = session.next_card()
    assert card is not None
    full_disk.fill(home.paths.database)
    session.rate(3)
    with pytest.raises(NotSavedError) as info:
        session.flush()
    assert isinstance(info.value, StudyError)
    assert info.value.reason == "the disk is full"
    assert session.unsaved_ratings == 1
    assert session.last_error == "the disk is full"
    assert logged(home.paths.database) == []
    full_disk.free()
    assert session.flush() == 1
    assert session.unsaved_ratings == 0
    assert session.last_error is None
    assert logged(home.paths.database) == [(card.id, 3)]


def test_a_read_only_database_refuses_and_then_takes_the_rating(
    read_only: ReadOnly, home: AppContext
) -> None:
    session = ReviewService(home).start(ReviewFilter(deck="demo"))
    card = session.next_card()
    assert card is not None
    read_only.lock()
    session.rate(4)
    with pytest.raises(NotSavedError) as info:
        session.flush()
    assert "read-only" in info.value.reason or "refused" in info.value.reason
    assert session.unsaved_ratings == 1
    read_only.unlock()
    assert session.flush() == 1
    assert logged(home.paths.database) == [(card.id, 4)]


# -- the review screen -----------------------------------------------------------------------


async def test_rating_on_a_full_disk_shows_unsaved_and_writes_later(
    full_disk: FullDisk, home: AppContext
) -> None:
    app = StudyApp(home, start_mode="review", review={"deck": "demo"})
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert unsaved_line(app) is None
        full_disk.fill(home.paths.database)
        await pilot.press("space", "3")
        await settle(pilot)
        line = unsaved_line(app)
        assert line is not None
        assert "1 rating not saved" in line
        assert "the disk is full" in line
        await pilot.press("space", "4")
        await settle(pilot)
        assert "2 ratings not saved" in (unsaved_line(app) or "")
        # A retry while the disk is still full changes nothing and loses nothing.
        app.screen.post_message(RetrySaving())
        await settle(pilot)
        assert "2 ratings not saved" in (unsaved_line(app) or "")
        # Quitting asks; staying keeps everything.
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitWithUnsaved)
        assert "2 ratings" in str(app.screen.query_one("#quit-text", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert logged(home.paths.database) == []
        # Room again: the retry timer's message writes both, in order, and the line goes.
        full_disk.free()
        app.screen.post_message(RetrySaving())
        await settle(pilot)
        assert unsaved_line(app) is None
        assert [rating for _, rating in logged(home.paths.database)] == [3, 4]
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code in (None, 0)


async def test_quitting_read_only_asks_retry_then_quits_when_saved(
    read_only: ReadOnly, home: AppContext
) -> None:
    app = StudyApp(home, start_mode="review", review={"deck": "demo"})
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        read_only.lock()
        await pilot.press("space", "2", "space", "3", "space", "4")
        await settle(pilot)
        assert "3 ratings not saved" in (unsaved_line(app) or "")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitWithUnsaved)
        await pilot.press("r")  # still read-only: asked again
        await settle(pilot)
        assert isinstance(app.screen, QuitWithUnsaved)
        assert app.is_running
        read_only.unlock()
        await pilot.press("r")  # now it writes them and quits
        await settle(pilot)
        assert not app.is_running
    assert [rating for _, rating in logged(home.paths.database)] == [2, 3, 4]


async def test_quit_anyway_loses_only_what_it_said_and_never_crashes(
    read_only: ReadOnly, home: AppContext
) -> None:
    app = StudyApp(home, start_mode="review", review={"deck": "demo"})
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")  # saved
        await settle(pilot)
        read_only.lock()
        await pilot.press("space", "4")  # not saved
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitWithUnsaved)
        assert "1 rating" in str(app.screen.query_one("#quit-text", Static).content)
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running
    read_only.unlock()
    assert [rating for _, rating in logged(home.paths.database)] == [3]


# -- another screen: a checklist tick on the dashboard ------------------------------------------


async def test_a_tick_that_cannot_be_saved_is_shown_unticked(
    read_only: ReadOnly, home: AppContext
) -> None:
    app = StudyApp(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        checklist = app.screen.query_one(Checklist)
        assert checklist.selected == []
        checklist.focus()
        read_only.lock()
        await pilot.press("space")
        await settle(pilot)
        assert app.is_running
        assert checklist.selected == []  # back to what is stored
        errors = [n for n in app._notifications if n.severity == "error"]
        assert any("was not saved" in n.message for n in errors)
        read_only.unlock()
        await pilot.press("space")
        await settle(pilot)
        assert len(checklist.selected) == 1
