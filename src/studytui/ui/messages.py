"""Messages widgets post to their screen; named as requests or as facts that happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from studytui.core.topic_status import TopicStatus


class TopicStatusRequested(Message):
    """The user asked to change a topic's status."""

    def __init__(self, topic_id: str, status: TopicStatus) -> None:
        super().__init__()
        self.topic_id = topic_id
        self.status = status


class TopicOpened(Message):
    """The user asked to see a topic's details."""

    def __init__(self, topic_id: str) -> None:
        super().__init__()
        self.topic_id = topic_id


class ChecklistToggled(Message):
    """The user ticked or unticked a checklist item."""

    def __init__(self, list_id: str, item: str, done: bool) -> None:
        super().__init__()
        self.list_id = list_id
        self.item = item
        self.done = done


class RoadmapChanged(Message):
    """Something on the roadmap changed (status, tick, curriculum); views should reload."""


class FirstViewShown(Message):
    """The screen the app opened on shows its data: start-up work that can wait starts now
    (it would otherwise compete with that screen's loading for the interpreter)."""
