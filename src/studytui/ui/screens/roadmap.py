"""The whole roadmap: phases and weeks in a tree, the selected week's plan beside it."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from studytui.core.curriculum.model import Curriculum
from studytui.core.services.facade import Services
from studytui.core.services.roadmap import WeekView
from studytui.ui.widgets.week_plan import week_renderable


class RoadmapLoaded(Message):
    def __init__(self, curriculum: Curriculum, current: int) -> None:
        super().__init__()
        self.curriculum = curriculum
        self.current = current


class WeekShown(Message):
    def __init__(self, view: WeekView) -> None:
        super().__init__()
        self.view = view


class RoadmapScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "current_week", "This week", id="roadmap.current"),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services
        self.current = 1

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            tree: Tree[int] = Tree("Roadmap", id="roadmap-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="roadmap-detail"):
                yield Static("Loading…", id="roadmap-week")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="roadmap")
    def load(self) -> None:
        roadmap = self.services.roadmap
        self.post_message(RoadmapLoaded(roadmap.curriculum(), roadmap.current_week()))

    def on_roadmap_loaded(self, message: RoadmapLoaded) -> None:
        cur = message.curriculum
        self.current = message.current
        self.sub_title = cur.title
        tree: Tree[int] = self.query_one(Tree)
        tree.clear()
        select = None
        for phase in cur.phases:
            node = tree.root.add(Text(f"{phase.title}  (weeks {phase.span})"), expand=True)
            for week in phase.span.weeks:
                plan = cur.plan(week)
                title = plan.title if plan else ""
                label = Text(f"Week {week}: {title}")
                if week == self.current:
                    label.stylize("bold green")
                leaf = node.add_leaf(label, data=week)
                if week == self.current:
                    select = leaf
        if select is not None:
            tree.move_cursor(select)
            self.show_week(self.current)
        tree.focus()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        if event.node.data is not None:
            self.show_week(event.node.data)

    @work(thread=True, exclusive=True, group="roadmap-week")
    def show_week(self, week: int) -> None:
        self.post_message(WeekShown(self.services.roadmap.week(week)))

    def on_week_shown(self, message: WeekShown) -> None:
        self.query_one("#roadmap-week", Static).update(week_renderable(message.view))

    def action_current_week(self) -> None:
        tree: Tree[int] = self.query_one(Tree)
        for node in tree.root.children:
            for leaf in node.children:
                if leaf.data == self.current:
                    tree.move_cursor(leaf)
                    return
