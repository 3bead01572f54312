"""ORM models: the single source of what the latest schema looks like.

Migrations (``migrations.py``) hold the DDL of each version; a test checks that migrating an
empty database yields exactly these tables and columns.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from studytui.core.storage.types import UTCDateTime


class Base(DeclarativeBase):
    pass


class TopicStatusEvent(Base):
    """A topic's status changed; the latest event is the current status (history kept)."""

    __tablename__ = "topic_status_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[str] = mapped_column(String, index=True)
    status: Mapped[str] = mapped_column(String)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChecklistEvent(Base):
    """A checklist item (milestone, success metric, week task) was ticked or unticked."""

    __tablename__ = "checklist_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    curriculum_id: Mapped[str] = mapped_column(String)
    list_id: Mapped[str] = mapped_column(String)
    item: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_checklist_event_list", "curriculum_id", "list_id"),)


class Deck(Base):
    """Cards for one topic (or a user's own deck), loaded from a deck file."""

    __tablename__ = "deck"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    topic_id: Mapped[str | None] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(String)
    source: Mapped[str | None] = mapped_column(String)
    source_hash: Mapped[str | None] = mapped_column(String)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Card(Base):
    """One reviewable card and its current FSRS state."""

    __tablename__ = "card"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("deck.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    origin: Mapped[str] = mapped_column(String, default="file")
    state: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended: Mapped[bool] = mapped_column(Integer, default=0)
    buried_until: Mapped[date | None] = mapped_column(Date)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ux_card_deck_key", "deck_id", "key", unique=True),
        Index("ix_card_due", "deck_id", "state", "due"),
        # The review queue and due counts: a covering range scan over the cards that can be shown
        # (the query must spell the condition with literal values for SQLite to use it).
        Index(
            "ix_card_queue",
            "state",
            "due",
            "deck_id",
            "buried_until",
            sqlite_where=text("retired_at IS NULL AND suspended = 0"),
        ),
        # Cards per deck: a covering scan of the live cards.
        Index("ix_card_live", "deck_id", "suspended", sqlite_where=text("retired_at IS NULL")),
    )


class DeckInclude(Base):
    """A card of another deck that this deck's reviews show (docs/decks.md, *One home per fact*)."""

    __tablename__ = "deck_include"
    deck_id: Mapped[int] = mapped_column(
        ForeignKey("deck.id", ondelete="CASCADE"), primary_key=True
    )
    card_id: Mapped[int] = mapped_column(
        ForeignKey("card.id", ondelete="CASCADE"), primary_key=True
    )
    __table_args__ = (Index("ix_deck_include_card", "card_id"),)


class ReviewLog(Base):
    """One rating of a card, with the state before (for undo) and after."""

    __tablename__ = "review_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    state_before: Mapped[int] = mapped_column(Integer)
    state_after: Mapped[int] = mapped_column(Integer)
    card_before: Mapped[str] = mapped_column(Text)
    due_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_review_log_card", "card_id", "reviewed_at"),
        # Covering: daily limits, per-day statistics and retention read only the index.
        Index(
            "ix_review_log_time", "reviewed_at", "state_before", "rating", "duration_ms", "card_id"
        ),
        # Lapses per card (leeches): Again ratings of cards in review. A literal condition, so
        # SQLite can use the partial index.
        Index(
            "ix_review_log_lapse", "card_id", sqlite_where=text("state_before = 2 AND rating = 1")
        ),
    )


class SchedulerParams(Base):
    """FSRS parameters fitted to the user's history by the optimizer."""

    __tablename__ = "scheduler_params"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    parameters: Mapped[str] = mapped_column(Text)
    reviews_used: Mapped[int] = mapped_column(Integer)
    loss_before: Mapped[float | None] = mapped_column(Float)
    loss_after: Mapped[float | None] = mapped_column(Float)
    # The deck preset they were fitted for (``review.presets``); None: the default preset.
    preset: Mapped[str | None] = mapped_column(String)


class StudySession(Base):
    """A block of focused time: a pomodoro (written when it starts) or a manual entry."""

    __tablename__ = "study_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String)
    topic_id: Mapped[str | None] = mapped_column(String, index=True)
    curriculum_id: Mapped[str | None] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String, default="timer")
    status: Mapped[str] = mapped_column(String)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The user's IANA zone when it was logged (its study day is counted in that zone).
    timezone: Mapped[str | None] = mapped_column(String)
    planned_seconds: Mapped[int | None] = mapped_column(Integer)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    external_id: Mapped[str | None] = mapped_column(String, unique=True)
    # Free tags besides category and topic, space-separated in the order given ("paper reading").
    tags: Mapped[str] = mapped_column(String, default="", server_default="")
    # Where a timer session was started: "app" or "cli" (None: the app, before version 9).
    started_via: Mapped[str | None] = mapped_column(String)
    # An open session no app holds (started from the CLI, or left running at quit): since when.
    detached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_session_time", "started_at", "ended_at"),
        Index(
            "ux_session_one_open",
            text("(status IN ('running', 'paused'))"),
            unique=True,
            sqlite_where=text("status IN ('running', 'paused')"),
        ),
    )
