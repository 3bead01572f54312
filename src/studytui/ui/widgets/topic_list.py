"""A list of topics with their status; keys change the status like roadmap.sh."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from studytui.core.topic_status import TopicStatus
from studytui.ui.messages import TopicOpened, TopicStatusRequested

if TYPE_CHECKING:
    from studytui.core.services.roadmap import TopicView

STATUS_ICON = {
    TopicStatus.PENDING: ("○", "dim"),
    TopicStatus.LEARNING: ("◐", "yellow"),
    TopicStatus.DONE: ("●", "green"),
    TopicStatus.SKIPPED: ("⊘", "dim"),
}


def topic_status_bindings() -> list[BindingType]:
    """roadmap.sh's statuses on keys no screen uses otherwise (the timer has s/p/n/x/c)."""
    return [
        Binding("l", "status('learning')", "Learning", id="topic.learning"),
        Binding("d", "status('done')", "Done", id="topic.done"),
        Binding("k", "status('skipped')", "Skip", id="topic.skip"),
        Binding("o", "status('pending')", "Pending", id="topic.pending"),
    ]


def topic_label(view: TopicView) -> Text:
    icon, style = STATUS_ICON[view.status]
    label = Text.assemble((f"{icon} ", style), view.topic.title)
    label.append(f"  {view.status.value}", style="dim")
    return label


class TopicList(OptionList):
    """Topics of a week; ``enter`` opens one, ``l``/``d``/``k``/``o`` set its status."""

    BINDINGS: ClassVar[list[BindingType]] = topic_status_bindings()

    def show(self, topics: tuple[TopicView, ...]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(topic_label(tv), id=tv.topic.id) for tv in topics])
        if topics:
            self.highlighted = min(highlighted or 0, len(topics) - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """PageUp/PageDown page the list only when it is longer than it is shown; otherwise
        they are left to the screen, which scrolls (the dashboard at 80x24)."""
        if action in ("page_down", "page_up"):
            return self.option_count > self.scrollable_content_region.height
        return super().check_action(action, parameters)

    @property
    def highlighted_id(self) -> str | None:
        return self._current_id()

    def _current_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_status(self, status: str) -> None:
        topic_id = self._current_id()
        if topic_id is not None:
            self.post_message(TopicStatusRequested(topic_id, TopicStatus(status)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(TopicOpened(event.option.id))


def focused_topic(screen: DOMNode) -> str | None:
    """The topic highlighted in the screen's topic list, if that list has focus."""
    lists = screen.query(TopicList)
    if lists and lists.first().has_focus:
        return lists.first().highlighted_id
    return None
