"""The deck overview: every deck grouped as the roadmap groups its topics, with Anki's counts.

Anki opens on its deck list: each deck with its new, learning and due cards for today. Here the
list follows the learner's roadmap: this week's decks first, then each phase's decks in week
order (a deck shows once, under the first place its topic is studied from this week on, then
earlier phases), then the decks of no topic of the roadmap. Each row has the counts of
``studytui decks list`` (the deck studied alone, under today's limits). The two choices at the
top, this week's decks and all decks, carry the counts of their own queue, so the limits shared
between decks are applied as the review will apply them.
"""

from __future__ import annotations

from dataclasses import dataclass

from studytui.core.errors import StudyError
from studytui.core.services.deck_stats import DeckRow, DeckStatsService
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.services.review.custom import custom_presets


@dataclass(frozen=True)
class OverviewDeck:
    name: str
    title: str
    topic_id: str | None
    cards: int
    new: int
    learning: int
    review: int


@dataclass(frozen=True)
class OverviewGroup:
    title: str
    decks: tuple[OverviewDeck, ...]


@dataclass(frozen=True)
class QueueTotals:
    new: int
    learning: int
    review: int


@dataclass(frozen=True)
class DeckOverview:
    week: int | None  # this roadmap week (None: no curriculum, or outside it)
    this_week: QueueTotals | None  # None when no week applies
    everything: QueueTotals
    groups: tuple[OverviewGroup, ...]
    custom: tuple[tuple[str, str, str], ...] = ()  # custom study: (key, label, search)


def _deck(row: DeckRow) -> OverviewDeck:
    return OverviewDeck(row.deck, row.title, row.topic, row.cards, row.new, row.learning,
                        row.review)  # fmt: skip


class DeckOverviewService:
    def __init__(self, review: ReviewService, stats: DeckStatsService) -> None:
        self.review = review
        self.stats = stats
        self.ctx = review.ctx

    def _totals(self, flt: ReviewFilter) -> QueueTotals:
        counts = self.review.start(flt).counts()
        return QueueTotals(counts.new, counts.learning, counts.review)

    def overview(self) -> DeckOverview:
        rows = self.stats.decks()
        by_topic: dict[str, list[DeckRow]] = {}
        for row in rows:
            if row.topic is not None:
                by_topic.setdefault(row.topic, []).append(row)
        placed: set[str] = set()
        groups: list[OverviewGroup] = []

        def take(topics: list[str]) -> tuple[OverviewDeck, ...]:
            out = []
            for tid in topics:
                for row in by_topic.get(tid, []):
                    if row.deck not in placed:
                        placed.add(row.deck)
                        out.append(_deck(row))
            return tuple(out)

        week: int | None = None
        topics: list[str] = []
        try:
            cur = self.ctx.curriculum()
            week, topics = self.review.week_topics(None)
        except StudyError:
            cur = None
        if cur is not None and week is not None:
            first = take(topics)
            if first:
                groups.append(OverviewGroup(f"This week · week {week}", first))
            later = [p for p in cur.phases if p.span.last >= week]
            earlier = [p for p in cur.phases if p.span.last < week]
            for phase in later + earlier:
                ordered = [t for entry in phase.weeks for t in entry.topics]
                decks = take(ordered)
                if decks:
                    groups.append(OverviewGroup(f"{phase.title} · weeks {phase.span}", decks))
        rest = tuple(_deck(r) for r in rows if r.deck not in placed)
        if rest:
            title = "Other decks" if groups else "Decks"
            groups.append(OverviewGroup(title, rest))
        this_week = None
        if week is not None:
            try:
                this_week = self._totals(ReviewFilter(this_week=True))
            except StudyError:  # no deck for this week's topics
                this_week = None
        custom = tuple(custom_presets(topics if week is not None else []))
        return DeckOverview(week, this_week, self._totals(ReviewFilter()), tuple(groups), custom)
