"""The whole roadmap: phases and weeks in a tree; the selected week, its topics and checklists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Label, Static, Tree

from studytui.core.curriculum.catalog import CatalogEntry
from studytui.core.curriculum.model import Curriculum
from studytui.core.services.facade import Services
from studytui.core.services.roadmap import ChecklistItem, Progress, WeekView
from studytui.ui.messages import ChecklistToggled, TopicOpened, TopicStatusRequested
from studytui.ui.widgets.bars import bar
from studytui.ui.widgets.checklist import Checklist
from studytui.ui.widgets.footer import Footer
from studytui.ui.widgets.reference import metrics_text, section_text
from studytui.ui.widgets.topic_list import TopicList
from studytui.ui.widgets.week_plan import resources_renderable, week_renderable


@dataclass(frozen=True)
class RoadmapData:
    curriculum: Curriculum
    current: int
    progress: Progress
    phases: list[tuple[str, Progress]]


class RoadmapLoaded(Message):
    def __init__(self, data: RoadmapData) -> None:
        super().__init__()
        self.data = data


class WeekShown(Message):
    def __init__(self, view: WeekView) -> None:
        super().__init__()
        self.view = view


class CatalogLoaded(Message):
    def __init__(self, entries: list[CatalogEntry], active: str, start: date) -> None:
        super().__init__()
        self.entries = entries
        self.active = active
        self.start = start


def progress_line(p: Progress) -> Text:
    out = Text.assemble(("Progress ", "bold"))
    out.append_text(bar(p.fraction, 20))
    out.append(f" {p.done}/{p.total} done ({p.fraction:.0%})")
    out.append(
        f" · without skipped {p.fraction_without_skipped:.0%} · learning {p.learning}", style="dim"
    )
    return out


class RoadmapScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "current_week", "This week", id="roadmap.current"),
        Binding("u", "choose_curriculum", "Curriculum", id="roadmap.curriculum"),
        Binding("tab", "focus_next", "Next pane", show=False),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services
        self.current = 1
        self.shown_week: int | None = None
        self.curriculum: Curriculum | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="roadmap-progress")
        with Horizontal():
            tree: Tree[tuple[str, int]] = Tree("Roadmap", id="roadmap-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="roadmap-detail"):
                yield Static("Loading…", id="roadmap-week")
                yield Label(
                    "Topics  (enter: details · l/d/x/p status)", classes="h", id="rm-topics-h"
                )
                yield TopicList(id="roadmap-topics")
                yield Label("Checklists", classes="h", id="rm-check-h")
                yield Checklist(id="roadmap-checklist")
                yield Static(id="roadmap-resources")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.curriculum is not None:
            self.load()

    @work(thread=True, exclusive=True, group="roadmap")
    def load(self) -> None:
        roadmap = self.services.roadmap
        cur = roadmap.curriculum()  # one curriculum for all parts, even if it is switched meanwhile
        data = RoadmapData(
            curriculum=cur,
            current=roadmap.current_week(),
            progress=roadmap.progress(cur=cur),
            phases=roadmap.phase_progress(cur),
        )
        self.post_message(RoadmapLoaded(data))

    def on_roadmap_loaded(self, message: RoadmapLoaded) -> None:
        data = message.data
        cur = data.curriculum
        changed = self.curriculum is None or self.curriculum.id != cur.id
        self.curriculum = cur
        self.current = data.current
        self.sub_title = cur.title
        self.query_one("#roadmap-progress", Static).update(progress_line(data.progress))
        tree: Tree[tuple[str, int]] = self.query_one(Tree)
        if not changed and tree.root.children:
            for node, (title, progress) in zip(tree.root.children, data.phases, strict=False):
                node.set_label(Text(f"{title}  {progress.done}/{progress.total}"))
            if self.shown_week is not None:
                self.show_week(self.shown_week)
            return
        tree.clear()
        select = None
        for phase, (_, progress) in zip(cur.phases, data.phases, strict=True):
            label = Text(f"{phase.title}  {progress.done}/{progress.total}")
            node = tree.root.add(label, data=("phase", 0), expand=True)
            for week in phase.span.weeks:
                plan = cur.plan(week)
                leaf_label = Text(f"Week {week}: {plan.title if plan else ''}")
                if week == self.current:
                    leaf_label.stylize("bold green")
                leaf = node.add_leaf(leaf_label, data=("week", week))
                if week == self.current:
                    select = leaf
        if cur.success_metrics:
            tree.root.add_leaf(Text("Success metrics", style="italic"), data=("metrics", 0))
        if cur.reference:
            ref = tree.root.add(Text("Reference", style="italic"), data=("phase", 0))
            for i, section in enumerate(cur.reference):
                ref.add_leaf(Text(section.title), data=("ref", i))
        if select is not None:
            tree.move_cursor(select)
            self.show_week(self.current)
        tree.focus()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[tuple[str, int]]) -> None:
        if event.node.data is None or self.curriculum is None:
            return
        kind, index = event.node.data
        if kind == "week":
            self.show_week(index)
        elif kind == "ref":
            self._show_text(section_text(self.curriculum.reference[index]))
        elif kind == "metrics":
            self._show_text(metrics_text(self.curriculum.success_metrics))

    def _show_text(self, text: Text) -> None:
        self.shown_week = None
        self.query_one("#roadmap-week", Static).update(text)
        for widget_id in ("#rm-topics-h", "#roadmap-topics", "#rm-check-h", "#roadmap-checklist"):
            self.query_one(widget_id).display = False
        self.query_one("#roadmap-resources", Static).update("")

    @work(thread=True, exclusive=True, group="roadmap-week")
    def show_week(self, week: int) -> None:
        self.post_message(WeekShown(self.services.roadmap.week(week)))

    def on_week_shown(self, message: WeekShown) -> None:
        view = message.view
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

    def action_current_week(self) -> None:
        tree: Tree[tuple[str, int]] = self.query_one(Tree)
        for node in tree.root.children:
            for leaf in node.children:
                if leaf.data == ("week", self.current):
                    tree.move_cursor(leaf)
                    tree.scroll_to_node(leaf)
                    return

    @work(thread=True, group="roadmap-write")
    def on_topic_status_requested(self, message: TopicStatusRequested) -> None:
        self.services.roadmap.set_topic_status(message.topic_id, message.status)
        self.app.call_from_thread(self.load)  # workers are started from the UI thread

    @work(thread=True, group="roadmap-write")
    def on_checklist_toggled(self, message: ChecklistToggled) -> None:
        self.services.roadmap.set_checked(message.list_id, message.item, message.done)

    def on_topic_opened(self, message: TopicOpened) -> None:
        from studytui.ui.screens.topic import TopicScreen

        self.app.push_screen(TopicScreen(self.services, message.topic_id), self._after_topic)

    def _after_topic(self, _result: None) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="roadmap-catalog")
    def action_choose_curriculum(self) -> None:
        ctx = self.services.ctx
        entries = ctx.catalog.entries()
        self.post_message(CatalogLoaded(entries, ctx.settings.curriculum, ctx.start_date()))

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        from studytui.ui.screens.curriculum_picker import CurriculumPicker

        picker = CurriculumPicker(message.entries, message.active, message.start)
        self.app.push_screen(picker, self._use_curriculum)

    def _use_curriculum(self, choice: tuple[str, date] | None) -> None:
        if choice is not None:
            self._apply_curriculum(*choice)

    @work(thread=True, group="roadmap-write")
    def _apply_curriculum(self, curriculum_id: str, start: date) -> None:
        cur = self.services.roadmap.use(curriculum_id, start)
        self.app.call_from_thread(self.notify, f"Now following {cur.title}, from {start}")
        self.app.call_from_thread(self.load)
