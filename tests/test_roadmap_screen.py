"""Pilot tests of the Roadmap screen: switching curriculum while a week loads, failing workers,
Tab between panes, tree labels that tell weeks apart. Plus the rule that every UI worker is
declared through ``studytui.ui.workers`` (a failure is reported, never fatal)."""

from __future__ import annotations

import ast
import itertools
import logging
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static, Tree
from textual.widgets.tree import TreeNode

from studytui.core.context import AppContext
from studytui.core.curriculum.catalog import CurriculumCatalog
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.resources import bundled_dir
from studytui.ui.app import StudyApp
from studytui.ui.screens.curriculum_picker import CurriculumPicker
from studytui.ui.screens.roadmap import RoadmapScreen
from studytui.ui.widgets.checklist import Checklist
from studytui.ui.widgets.topic_list import TopicList

UI_PACKAGE = Path(__file__).resolve().parents[1] / "src" / "studytui" / "ui"
WAIT = 10.0  # seconds a held worker waits before the test gives up on it


async def settle(app: StudyApp, pilot: Pilot[None]) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot[None], condition: Any, what: str) -> None:
    """Let the app run until ``condition()`` holds (threads finish on their own time)."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def week_node(tree: Tree[Any], week: int) -> TreeNode[Any]:
    for phase in tree.root.children:
        for leaf in phase.children:
            if leaf.data is not None and tuple(leaf.data)[-2:] == ("week", week):
                return leaf
    raise AssertionError(f"week {week} is not in the tree")


async def move_cursor_to_line(pilot: Pilot[None], tree: Tree[Any], line: int) -> None:
    """With the arrow keys, as the user does."""
    for _ in range(400):
        if tree.cursor_line == line:
            return
        await pilot.press("down" if tree.cursor_line < line else "up")
    raise AssertionError(f"could not reach line {line}")


async def open_roadmap(app: StudyApp, pilot: Pilot[None]) -> RoadmapScreen:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, RoadmapScreen)
    return screen


class SwitchRace:
    """Holds the roadmap service so that a week asked for before a curriculum switch is read
    after it: the week's read waits until ``use`` has switched; the screen's reloads wait until
    that read is over; its result is handed back only when the test says so."""

    def __init__(self, svc: RoadmapService, monkeypatch: pytest.MonkeyPatch, week: int) -> None:
        self.week_number = week
        self.armed = False
        self.held = threading.Event()  # the week's read started
        self.switched = threading.Event()  # use() returned
        self.read = threading.Event()  # the held read is over (returned or raised)
        self.hand_back = threading.Event()  # the test saw the new curriculum
        self.problems: list[str] = []
        real_week, real_use, real_phases = svc.week, svc.use, svc.phase_progress

        def week(*args: Any, **kwargs: Any) -> Any:
            number = args[0] if args else kwargs.get("number")
            if not (self.armed and number == self.week_number and not self.held.is_set()):
                return real_week(*args, **kwargs)
            self.held.set()
            self._wait(self.switched, "the switch")
            try:
                view = real_week(*args, **kwargs)
            finally:
                self.read.set()
            self._wait(self.hand_back, "the new curriculum on screen")
            return view

        def use(*args: Any, **kwargs: Any) -> Any:
            try:
                return real_use(*args, **kwargs)
            finally:
                self.switched.set()

        def phase_progress(*args: Any, **kwargs: Any) -> Any:
            if self.held.is_set():
                self._wait(self.read, "the held week's read")
            return real_phases(*args, **kwargs)

        monkeypatch.setattr(svc, "week", week)
        monkeypatch.setattr(svc, "use", use)
        monkeypatch.setattr(svc, "phase_progress", phase_progress)

    def _wait(self, event: threading.Event, what: str) -> None:
        if not event.wait(WAIT):
            self.problems.append(f"waited in vain for {what}")

    def release(self) -> None:
        for event in (self.switched, self.read, self.hand_back):
            event.set()


@pytest.mark.parametrize(
    ("start_with", "week"), [("ai-engineer-2025", 73), ("senior-ai-ml-48w", 0)]
)
async def test_switching_curriculum_while_a_week_loads_is_safe(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, start_with: str, week: int
) -> None:
    """Roadmap → highlight a week the 12-week roadmap lacks → u → ML/AI Senior 12w: the week's
    read, held until after the switch, is of the curriculum it was asked for; its late result is
    dropped; the app keeps running on the new curriculum."""
    RoadmapService(ctx).use(start_with)
    app = StudyApp(ctx)
    race = SwitchRace(app.services.roadmap, monkeypatch, week)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_roadmap(app, pilot)
            tree: Tree[Any] = screen.query_one(Tree)
            target = week_node(tree, week)
            await move_cursor_to_line(pilot, tree, target.line - 1)
            await settle(app, pilot)
            race.armed = True
            await pilot.press("down")  # highlights the week: its read is held
            await until(pilot, race.held.is_set, "the week's read")
            await pilot.press("u")
            await until(pilot, lambda: isinstance(app.screen, CurriculumPicker), "the picker")
            options = app.screen.query_one(OptionList)

            def chosen() -> str | None:
                assert options.highlighted is not None
                return options.get_option_at_index(options.highlighted).id

            for _ in range(10):
                if chosen() == "ml-ai-senior-12w":
                    break
                await pilot.press("down")
            assert chosen() == "ml-ai-senior-12w"
            await pilot.press("enter")

            def shows_new() -> bool:
                cur = screen.curriculum
                text = str(screen.query_one("#roadmap-week", Static).content)
                return cur is not None and cur.id == "ml-ai-senior-12w" and "of 12" in text

            await until(pilot, lambda: shows_new() or not app.is_running, "the new curriculum")
            race.hand_back.set()  # the old week's result lands now, after the switch
            await settle(app, pilot)
            assert app.is_running
            assert app.return_code is None
            assert shows_new()
            assert screen.sub_title == "ML/AI Learning Roadmap for Senior Software Engineers"
            assert len([n for p in tree.root.children for n in p.children if n.data]) >= 12
            assert f"Week {week} of" not in str(screen.query_one("#roadmap-week", Static).content)
            errors = [n.message for n in app._notifications if n.severity == "error"]
            assert errors == []
    finally:
        race.release()
    assert race.problems == []
    assert ctx.settings.curriculum == "ml-ai-senior-12w"


async def test_a_failing_worker_is_shown_and_logged_not_fatal(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = StudyApp(ctx)
    svc = app.services.roadmap
    real_week = svc.week
    broken = threading.Event()

    def week(*args: Any, **kwargs: Any) -> Any:
        if broken.is_set() and (args[0] if args else kwargs.get("number")) == 2:
            raise RuntimeError("the disk is on fire")
        return real_week(*args, **kwargs)

    monkeypatch.setattr(svc, "week", week)
    caplog.set_level(logging.ERROR, logger="studytui.ui")

    def errors() -> list[tuple[str | None, str]]:
        return [(n.title, n.message) for n in app._notifications if n.severity == "error"]

    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roadmap(app, pilot)
        broken.set()
        await pilot.press("down")  # week 2
        await until(pilot, lambda: errors() or not app.is_running, "the failure")
        assert app.is_running
        assert errors() == [("Loading the week failed", "RuntimeError: the disk is on fire")]
        await pilot.press("down")  # week 3 still loads: the screen lives on
        week_text = screen.query_one("#roadmap-week", Static)
        await until(pilot, lambda: "Week 3 of 12" in str(week_text.content), "week 3")
        assert app.is_running
    failures = [r for r in caplog.records if r.name == "studytui.ui"]
    assert [r.getMessage() for r in failures] == ["loading the week failed"]
    assert failures[0].exc_info is not None


def _ui_modules() -> list[Path]:
    return sorted(p for p in UI_PACKAGE.rglob("*.py") if p.name != "workers.py")


def test_every_ui_worker_is_declared_through_the_reporting_module() -> None:
    """Textual's own ``@work`` and ``run_worker`` end the app when the work raises
    (``exit_on_error`` defaults to True); the UI uses ``studytui.ui.workers`` instead."""
    assert len(_ui_modules()) > 20
    offences: list[str] = []
    for path in _ui_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(UI_PACKAGE)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                offences += [
                    f"{name}: imports textual's {a.name}" for a in node.names if a.name == "work"
                ]
            if isinstance(node, ast.Attribute) and (
                node.attr == "run_worker"
                or (node.attr == "work" and ast.unparse(node.value) == "textual")
            ):
                offences.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert offences == []
    source = (UI_PACKAGE / "workers.py").read_text(encoding="utf-8")
    calls = [
        n
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and ast.unparse(n.func) in {"textual_work", "node.run_worker"}
    ]
    assert len(calls) == 2
    for call in calls:
        flags = {k.arg: ast.unparse(k.value) for k in call.keywords}
        assert flags["exit_on_error"] == "False"


async def test_tab_moves_between_tree_topics_and_checklists(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roadmap(app, pilot)
        tree: Tree[Any] = screen.query_one(Tree)
        await move_cursor_to_line(pilot, tree, week_node(tree, 4).line)  # has a milestone
        await settle(app, pilot)
        topics, checklist = screen.query_one(TopicList), screen.query_one(Checklist)
        detail = screen.query_one("#roadmap-detail")
        assert app.focused is tree
        await pilot.press("tab")
        assert app.focused is topics
        await pilot.press("d")  # Supervised learning → done
        await settle(app, pilot)
        await pilot.press("tab")
        assert app.focused is checklist
        await pilot.press("space")  # ticks the month 1 milestone's first item
        await settle(app, pilot)
        await pilot.press("tab")
        assert app.focused is detail
        await pilot.press("tab")
        assert app.focused is tree
        await pilot.press("shift+tab")
        assert app.focused is detail
        await pilot.press("shift+tab")
        assert app.focused is checklist
        await pilot.press("shift+tab")
        assert app.focused is topics
    svc = RoadmapService(ctx)
    assert svc.topic_statuses(["supervised-learning"]) == {"supervised-learning": TopicStatus.DONE}
    milestone = svc.week(4).milestones[0]
    assert [i.done for i in milestone.items][:2] == [True, False]


async def test_tab_passes_over_hidden_panes(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roadmap(app, pilot)  # week 1: topics, no checklist
        assert not screen.query_one(Checklist).display
        await pilot.press("tab", "tab")
        assert app.focused is screen.query_one("#roadmap-detail")


def _row_text(tree: Tree[Any], node: TreeNode[Any]) -> str:
    return tree.render_line(node.line - int(tree.scroll_offset.y)).text


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_week_labels_differ_on_screen(ctx: AppContext, size: tuple[int, int]) -> None:
    """AI Engineer's weeks share section names ("Core Concepts: …", "Classical ML Algorithms:
    …") and weeks 5 and 6 are one two-week entry: each row, past its week number, differs from
    every other row as far as the tree shows it."""
    RoadmapService(ctx).use("ai-engineer-2025")
    app = StudyApp(ctx)
    async with app.run_test(size=size) as pilot:
        screen = await open_roadmap(app, pilot)
        tree: Tree[Any] = screen.query_one(Tree)
        rows: dict[int, str] = {}
        for week in range(1, 77):
            node = week_node(tree, week)
            tree.scroll_to_node(node, animate=False)
            await pilot.pause()
            rows[week] = _row_text(tree, node)
    number = re.compile(r"^[\s│├└─]*(Week )?\d+:?\s*")
    rest = {w: number.sub("", text).rstrip() for w, text in rows.items()}
    assert rows[5] != rows[6]
    assert rest[5] != rest[6]
    same = [(a, b) for a, b in itertools.combinations(rest, 2) if rest[a] == rest[b]]
    assert same == []
    assert "1/2" in rest[5]
    assert "2/2" in rest[6]


def test_week_labels_of_every_bundled_curriculum_differ_early() -> None:
    """What fits at 80x24 (about 22 columns after the number) tells every week apart."""
    from studytui.ui.screens.roadmap import week_label

    for cur in CurriculumCatalog(bundled_dir("curriculum")).all():
        rows = {w: week_label(cur, w).plain[2:][:22] for p in cur.phases for w in p.span.weeks}
        same = [(a, b) for a, b in itertools.combinations(rows, 2) if rows[a] == rows[b]]
        assert same == [], cur.id


@pytest.mark.parametrize(
    "curriculum_id", sorted(p.stem for p in bundled_dir("curriculum").glob("*.yaml"))
)
async def test_progress_says_how_many_topics_no_week_schedules(
    ctx: AppContext, curriculum_id: str
) -> None:
    """On every bundled curriculum the Roadmap's progress counts the scheduled topics and, when
    the roadmap lists topics in no week, says how many (so 100% is reachable and honest)."""
    svc = RoadmapService(ctx)
    cur = svc.use(curriculum_id)
    in_a_week = {t for p in cur.phases for e in p.weeks for t in e.topics}
    unscheduled = len([t for t in cur.topics if t.id not in in_a_week])
    app = StudyApp(ctx)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_roadmap(app, pilot)
        line = str(screen.query_one("#roadmap-progress", Static).content)
    if unscheduled:
        assert f"0/{len(in_a_week)} scheduled topics done" in line
        assert f"{unscheduled} unscheduled, not counted" in line
    else:
        assert f"0/{len(cur.topics)} done" in line
        assert "unscheduled" not in line


async def test_choosing_another_curriculum_offers_today_as_its_start(ctx: AppContext) -> None:
    """A roadmap begun months ago (or finished) must not hand its start date to the next one,
    which would open weeks into its plan; the active one keeps its date."""
    from datetime import date

    from textual.widgets import Input

    RoadmapService(ctx).use("ml-ai-senior-12w", date(2026, 6, 1))  # finished by 21 Nov
    app = StudyApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roadmap(app, pilot)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, CurriculumPicker), "the picker")
        field = app.screen.query_one(Input)
        assert field.value == "2026-06-01"
        await pilot.press("up")  # ml-ai-expert
        assert field.value == "2026-11-21"
        await pilot.press("down")  # back to the active one
        assert field.value == "2026-06-01"
        await pilot.press("up", "enter")
        await until(pilot, lambda: ctx.settings.curriculum == "ml-ai-expert", "the switch")
        await settle(app, pilot)
    assert ctx.start_date() == date(2026, 11, 21)
