"""Command-palette providers: find any topic of the active curriculum by name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.worker import WorkerFailed

from studytui.core.curriculum.model import Topic
from studytui.ui.workers import run_reported

if TYPE_CHECKING:
    from studytui.ui.app import StudyApp


class TopicsProvider(Provider):
    """``Topic: <title>`` opens the topic's details (status, resources, history)."""

    async def startup(self) -> None:
        app: StudyApp = self.app  # type: ignore[assignment]
        self.topics: list[Topic] = []
        worker = run_reported(app, app.services.roadmap.curriculum, doing="loading the topics")
        try:
            cur = await worker.wait()
        except WorkerFailed:  # reported; the palette still offers its other commands
            return
        self.topics = list(cur.topics)

    def _open(self, topic_id: str) -> None:
        from studytui.ui.screens.topic import TopicScreen

        app: Any = self.app
        app.push_screen(TopicScreen(app.services, topic_id))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for topic in self.topics:
            text = f"Topic: {topic.title}"
            score = matcher.match(text)
            if score > 0:
                # The palette parses prompts and help as markup: escape user text.
                yield Hit(
                    score,
                    matcher.highlight(escape(text)),
                    partial(self._open, topic.id),
                    help=escape(topic.summary or topic.id),
                )

    async def discover(self) -> Hits:
        for topic in self.topics[:10]:
            yield DiscoveryHit(
                escape(f"Topic: {topic.title}"),
                partial(self._open, topic.id),
                help=escape(topic.summary or topic.id),
            )
