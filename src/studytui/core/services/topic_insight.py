"""What a topic has gathered: its deck's cards and due count, and the time invested in it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from studytui.core.categories import CATEGORIES, Category
from studytui.core.context import AppContext
from studytui.core.services.review import active_clause
from studytui.core.services.session_log import SessionStatus
from studytui.core.storage.models import Card, Deck, StudySession


@dataclass(frozen=True)
class TopicInsight:
    topic_id: str
    deck: str | None
    cards: int
    new: int
    due: int
    minutes: dict[Category, float]

    @property
    def total_minutes(self) -> float:
        return sum(self.minutes.values())


class TopicInsightService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def insight(self, topic_id: str) -> TopicInsight:
        now = self.ctx.clock.now()
        today = self.ctx.today()
        row = StudySession
        seconds = (func.julianday(row.ended_at) - func.julianday(row.started_at)) * 86400
        focus = func.sum(func.max(0, seconds - row.paused_seconds))
        with self.ctx.db.read() as s:
            deck = s.execute(
                select(Deck.id, Deck.name).where(Deck.topic_id == topic_id).limit(1)
            ).first()
            cards = new = due = 0
            if deck is not None:
                live = (Card.deck_id == deck.id, Card.retired_at.is_(None))
                cards = s.scalar(select(func.count()).where(*live)) or 0
                new = s.scalar(select(func.count()).where(*live, Card.state == 0)) or 0
                due = (
                    s.scalar(
                        select(func.count()).where(
                            Card.deck_id == deck.id, active_clause(today), Card.state != 0,
                            Card.due <= now,
                        )
                    )
                    or 0
                )  # fmt: skip
            per_category = dict(
                s.execute(
                    select(row.category, focus)
                    .where(
                        row.topic_id == topic_id,
                        row.deleted_at.is_(None),
                        row.status != SessionStatus.CANCELLED.value,
                        row.ended_at.is_not(None),
                    )
                    .group_by(row.category)
                ).all()
            )
        minutes = {c: float(per_category.get(c.value) or 0) / 60 for c in CATEGORIES}
        return TopicInsight(
            topic_id=topic_id,
            deck=deck.name if deck is not None else None,
            cards=cards,
            new=new,
            due=due,
            minutes=minutes,
        )
