"""A topic's status on the roadmap, in a module of its own so the UI can use it cheaply."""

from __future__ import annotations

from enum import StrEnum


class TopicStatus(StrEnum):
    """roadmap.sh's statuses, so users feel at home."""

    PENDING = "pending"
    LEARNING = "learning"
    DONE = "done"
    SKIPPED = "skipped"
