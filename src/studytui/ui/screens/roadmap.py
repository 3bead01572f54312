"""The whole roadmap: phases and weeks in a tree; the selected week, its topics and checklists.

The user can switch curriculum while this screen's workers still run for the previous one. So
each request names the curriculum it was made for and carries a number; a result is shown only
when it answers the latest request for the curriculum on screen, and the rest are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Label, Static, Tree

from studytui.core.curriculum.catalog import CatalogEntry
from studytui.core.curriculum.model import Curriculum, WeekEntry
from studytui.core.services.facade import Services
from studytui.core.services.roadmap import (
    ChecklistItem,
    Progress,
    RoadmapCalendar,
    RoadmapState,
    WeekView,
)
from studytui.ui.messages import ChecklistToggled, TopicOpened, TopicStatusRequested
from studytui.ui.saving import save_in_worker
from studytui.ui.widgets.bars import bar
from studytui.ui.widgets.checklist import Checklist
from studytui.ui.widgets.footer import Footer
from studytui.ui.widgets.reference import metrics_text, section_text
from studytui.ui.widgets.topic_list import TopicList, focused_topic
from studytui.ui.widgets.week_plan import resources_renderable, week_renderable
from studytui.ui.workers import work

# What a tree node stands for: (curriculum id, kind, index), kind one of phase/week/metrics/ref.
NodeData = tuple[str, str, int]
# The panes Tab and shift+Tab move between, in order; hidden ones are passed over.
PANES = ("#roadmap-tree", "#roadmap-topics", "#roadmap-checklist", "#roadmap-detail")
# A "Section: rest" prefix longer than this is part of the title, not a section name.
SECTION_MAX = 40


@dataclass(frozen=True)
class RoadmapData:
    curriculum: Curriculum
    current: int
    progress: Progress
    phases: list[tuple[str, Progress]]
    calendar: RoadmapCalendar


class RoadmapLoaded(Message):
    def __init__(self, data: RoadmapData, request: int) -> None:
        super().__init__()
        self.data = data
        self.request = request


class WeekShown(Message):
    def __init__(self, view: WeekView, request: int) -> None:
        super().__init__()
        self.view = view
        self.request = request


class CatalogLoaded(Message):
    def __init__(self, entries: list[CatalogEntry], active: str, start: date, today: date) -> None:
        super().__init__()
        self.entries = entries
        self.active = active
        self.start = start
        self.today = today


def progress_line(p: Progress, calendar: RoadmapCalendar | None = None) -> Text:
    out = Text.assemble(("Progress ", "bold"))
    out.append_text(bar(p.fraction, 20))
    scheduled = " scheduled topics" if p.unscheduled else ""
    out.append(f" {p.done}/{p.total}{scheduled} done ({p.fraction:.0%})")
    if p.unscheduled:
        out.append(f"; {p.unscheduled} unscheduled, not counted")
    if calendar is not None and calendar.state is not RoadmapState.UNDER_WAY:
        out.append(f" · {calendar.label}", style="bold yellow")
    out.append(
        f" · without skipped {p.fraction_without_skipped:.0%} · learning {p.learning}", style="dim"
    )
    return out


def _split_section(title: str) -> tuple[str, str | None]:
    """``"Core Concepts: overfitting …"`` → ``("overfitting …", "Core Concepts")``."""
    head, sep, rest = title.partition(": ")
    if sep and rest and len(head) <= SECTION_MAX:
        return rest, head
    return title, None


def _position(entries: tuple[WeekEntry, ...], week: int) -> str:
    """``2/3`` for the second week of a three-week entry; empty for a one-week entry."""
    for entry in entries:
        if entry.span.first != entry.span.last:
            return f"{week - entry.span.first + 1}/{len(entry.span.weeks)}"
    return ""


def week_label(cur: Curriculum, week: int, current: bool = False) -> Text:
    """A tree row that tells weeks apart even when cut short: the week number, its place in a
    multi-week entry, then what differs between weeks first and the shared section name last
    (`` 5 (1/2) supervised vs unsupervised … — Core Concepts``)."""
    plan = cur.plan(week)
    out = Text(f"{week:>2}", style="bold green" if current else "bold")
    if plan is None:
        return out
    position = _position(plan.entries, week)
    if position:
        out.append(f" ({position})", style="dim")
    parts = [_split_section(e.title) for e in plan.entries]
    out.append(" ")
    out.append(" · ".join(rest for rest, _ in parts), style="bold green" if current else "")
    sections = list(dict.fromkeys(s for _, s in parts if s))
    if sections:
        out.append(f" — {' · '.join(sections)}", style="dim")
    return out


class RoadmapScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "current_week", "This week", id="roadmap.current"),
        Binding("u", "choose_curriculum", "Curriculum", id="roadmap.curriculum"),
        Binding("tab", "cycle_pane(1)", "Next pane", id="roadmap.next-pane", show=False),
        Binding(
            "shift+tab", "cycle_pane(-1)", "Previous pane", id="roadmap.previous-pane", show=False
        ),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services
        self.current = 1
        self.shown_week: int | None = None
        self.curriculum: Curriculum | None = None
        self._load_request = 0  # number of the latest load asked for
        self._week_request = 0  # number of the latest week asked for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="roadmap-progress")
        with Horizontal():
            tree: Tree[NodeData] = Tree("Roadmap", id="roadmap-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="roadmap-detail"):
                yield Static("Loading…", id="roadmap-week")
                yield Label(
                    "Topics  (enter details · l learning · d done · k skip · o pending)",
                    classes="h",
                    id="rm-topics-h",
                )
                yield TopicList(id="roadmap-topics")
                yield Label("Checklists  (space ticks)", classes="h", id="rm-check-h")
                yield Checklist(id="roadmap-checklist")
                yield Static(id="roadmap-resources")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.curriculum is not None:
            self.load()

    # -- the roadmap -----------------------------------------------------------------------

    def load(self) -> None:
        """Ask for the active curriculum with its progress (on the UI thread)."""
        self._load_request += 1
        self._load(self._load_request)

    @work(thread=True, exclusive=True, group="roadmap", doing="loading the roadmap")
    def _load(self, request: int) -> None:
        roadmap = self.services.roadmap
        cur = roadmap.curriculum()  # one curriculum for all parts, even if it is switched meanwhile
        data = RoadmapData(
            curriculum=cur,
            current=roadmap.current_week(cur),
            progress=roadmap.progress(cur=cur),
            phases=roadmap.phase_progress(cur),
            calendar=roadmap.calendar(cur),
        )
        self.post_message(RoadmapLoaded(data, request))

    def on_roadmap_loaded(self, message: RoadmapLoaded) -> None:
        if message.request != self._load_request:
            return  # a later load is on its way
        data = message.data
        cur = data.curriculum
        changed = self.curriculum is None or self.curriculum.id != cur.id
        self.curriculum = cur
        self.current = data.current
        self.sub_title = cur.title
        self.query_one("#roadmap-progress", Static).update(
            progress_line(data.progress, data.calendar)
        )
        tree: Tree[NodeData] = self.query_one(Tree)
        if not changed and tree.root.children:
            for node, (title, progress) in zip(tree.root.children, data.phases, strict=False):
                node.set_label(Text(f"{title}  {progress.done}/{progress.total}"))
            if self.shown_week is not None:
                self.show_week(self.shown_week)
            return
        self._week_request += 1  # whatever was asked of the previous curriculum is void
        self.shown_week = None
        tree.clear()
        select = None
        for phase, (_, progress) in zip(cur.phases, data.phases, strict=True):
            label = Text(f"{phase.title}  {progress.done}/{progress.total}")
            node = tree.root.add(label, data=(cur.id, "phase", 0), expand=True)
            for week in phase.span.weeks:
                leaf = node.add_leaf(
                    week_label(cur, week, week == self.current), data=(cur.id, "week", week)
                )
                if week == self.current:
                    select = leaf
        if cur.success_metrics:
            tree.root.add_leaf(Text("Success metrics", style="italic"), data=(cur.id, "metrics", 0))
        if cur.reference:
            ref = tree.root.add(Text("Reference", style="italic"), data=(cur.id, "phase", 0))
            for i, section in enumerate(cur.reference):
                ref.add_leaf(Text(section.title), data=(cur.id, "ref", i))
        if select is not None:
            # The new nodes have no lines until the tree is laid out again.
            self.call_after_refresh(tree.move_cursor, select)
            self.show_week(self.current)
        tree.focus()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        cur = self.curriculum
        if event.node.data is None or cur is None:
            return
        curriculum_id, kind, index = event.node.data
        if curriculum_id != cur.id:
            return  # a node of the tree as it was before a switch
        if kind == "week":
            self.show_week(index)
        elif kind == "ref":
            self._show_text(section_text(cur.reference[index]))
        elif kind == "metrics":
            self._show_text(metrics_text(cur.success_metrics))

    def _show_text(self, text: Text) -> None:
        self._week_request += 1  # a week still loading must not replace this text
        self.shown_week = None
        self.query_one("#roadmap-week", Static).update(text)
        for widget_id in ("#rm-topics-h", "#roadmap-topics", "#rm-check-h", "#roadmap-checklist"):
            self.query_one(widget_id).display = False
        self.query_one("#roadmap-resources", Static).update("")

    # -- one week --------------------------------------------------------------------------

    def show_week(self, week: int) -> None:
        """Ask for one week of the curriculum on screen (on the UI thread)."""
        if self.curriculum is None:
            return
        self._week_request += 1
        self._load_week(self.curriculum, week, self._week_request)

    @work(thread=True, exclusive=True, group="roadmap-week", doing="loading the week")
    def _load_week(self, cur: Curriculum, week: int, request: int) -> None:
        self.post_message(WeekShown(self.services.roadmap.week(week, cur), request))

    def on_week_shown(self, message: WeekShown) -> None:
        view = message.view
        cur = self.curriculum
        if message.request != self._week_request or cur is None or view.curriculum_id != cur.id:
            return  # superseded: another week was asked for, or the curriculum changed
        self.shown_week = view.number
        self.query_one("#roadmap-week", Static).update(week_renderable(view))
        topics = self.query_one(TopicList)
        topics.show(view.topics)
        topics.display = bool(view.topics)
        self.query_one("#rm-topics-h").display = bool(view.topics)
        items: tuple[ChecklistItem, ...] = (
            *(i for m in view.milestones for i in m.items),
            *view.checklist,
        )
        self.query_one(Checklist).show(items)
        self.query_one(Checklist).display = bool(items)
        heading = " · ".join(m.title for m in view.milestones) or "Checklist"
        self.query_one("#rm-check-h", Label).update(Text(heading))
        self.query_one("#rm-check-h").display = bool(items)
        self.query_one("#roadmap-resources", Static).update(resources_renderable(view))

    @property
    def pomodoro_topic(self) -> str | None:
        """``s`` offers a pomodoro on the highlighted topic while the topic list has focus."""
        return focused_topic(self)

    def action_current_week(self) -> None:
        tree: Tree[NodeData] = self.query_one(Tree)
        for node in tree.root.children:
            for leaf in node.children:
                if leaf.data is not None and leaf.data[1:] == ("week", self.current):
                    tree.move_cursor(leaf)
                    tree.scroll_to_node(leaf)
                    return

    def action_cycle_pane(self, step: int) -> None:
        """Tab / shift+Tab: the tree, the week's topics, its checklists, the week's text."""
        panes: list[Widget] = [
            w for w in (self.query_one(s) for s in PANES) if w.display and w.focusable
        ]
        if not panes:
            return
        focused = self.focused
        here = next((i for i, w in enumerate(panes) if w is focused), None)
        target = 0 if here is None else (here + step) % len(panes)
        panes[target].focus()

    # -- changes ---------------------------------------------------------------------------

    def on_topic_status_requested(self, message: TopicStatusRequested) -> None:
        roadmap = self.services.roadmap
        save_in_worker(
            self,
            "The status change",
            lambda: roadmap.set_topic_status(message.topic_id, message.status),
            saved=lambda _: self.load(),
            failed=lambda _: self.load(),
        )

    def on_checklist_toggled(self, message: ChecklistToggled) -> None:
        if self.curriculum is None:
            return
        roadmap, curriculum_id = self.services.roadmap, self.curriculum.id
        save_in_worker(
            self,
            "The tick",
            lambda: roadmap.set_checked(message.list_id, message.item, message.done, curriculum_id),
            failed=lambda _: self.load(),  # the list ticked itself: show what is stored
        )

    def on_topic_opened(self, message: TopicOpened) -> None:
        from studytui.ui.screens.topic import TopicScreen

        self.app.push_screen(TopicScreen(self.services, message.topic_id), self._after_topic)

    def _after_topic(self, _result: None) -> None:
        self.load()

    # -- switching curriculum --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="roadmap-catalog", doing="listing the curricula")
    def action_choose_curriculum(self) -> None:
        ctx = self.services.ctx
        entries = ctx.catalog.entries()
        self.post_message(
            CatalogLoaded(entries, ctx.settings.curriculum, ctx.start_date(), ctx.today())
        )

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        from studytui.ui.screens.curriculum_picker import CurriculumPicker

        picker = CurriculumPicker(message.entries, message.active, message.start, message.today)
        self.app.push_screen(picker, self._use_curriculum)

    def _use_curriculum(self, choice: tuple[str, date] | None) -> None:
        if choice is not None:
            self._apply_curriculum(*choice)

    def _apply_curriculum(self, curriculum_id: str, start: date) -> None:
        roadmap = self.services.roadmap

        def switched(cur: Curriculum) -> None:
            self.notify(f"Now following {cur.title}, from {start}", markup=False)
            self.load()

        save_in_worker(
            self,
            "The curriculum switch",
            lambda: roadmap.use(curriculum_id, start),
            saved=switched,
            failed=lambda _: self.load(),
        )
