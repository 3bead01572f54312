"""Overlap checks for a whole batch of sessions at once (imports), in one query.

The time log never holds two kept sessions at the same time. Checking each imported session
with its own query (and a flush so the next one sees it) made an import of 100k sessions take
minutes; here a batch is sorted once, checked against itself with one sweep and against the
stored sessions with one range query and a binary search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.services.session_log import SessionStatus, session_view
from studytui.core.storage.models import StudySession


@dataclass(frozen=True)
class Span:
    """One session of a batch: its place in the input (for messages) and its time."""

    index: int
    start: datetime
    end: datetime


def within_batch(spans: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Pairs (span, an earlier-starting span it overlaps): each against the latest end so far."""
    found: list[tuple[Span, Span]] = []
    reach: Span | None = None
    for span in sorted(spans, key=lambda sp: (sp.start, sp.index)):
        if reach is not None and span.start < reach.end:
            found.append((span, reach))
        if reach is None or span.end > reach.end:
            reach = span
    return found


def against_stored(ctx: AppContext, s: Session, spans: Sequence[Span]) -> dict[int, str]:
    """For each span overlapping a kept stored session, that session described for a message.

    Stored kept sessions never overlap each other, so sorted by start they are sorted by end too:
    the first one ending after a span's start is the only candidate to check.
    """
    if not spans:
        return {}
    now = ctx.clock.now()
    lo = min(sp.start for sp in spans)
    hi = max(sp.end for sp in spans)
    rows = list(
        s.scalars(
            select(StudySession)
            .where(
                StudySession.deleted_at.is_(None),
                StudySession.status != SessionStatus.CANCELLED.value,
                StudySession.started_at < hi,
                or_(StudySession.ended_at.is_(None), StudySession.ended_at > lo),
            )
            .order_by(StudySession.started_at)
        )
    )
    ends = [r.ended_at or now for r in rows]
    out: dict[int, str] = {}
    zone = ctx.settings.timezone
    for sp in spans:
        k = bisect_right(ends, sp.start)
        if k < len(rows) and rows[k].started_at < sp.end:
            out[sp.index] = session_view(rows[k], {}, zone).describe(ctx.calendar)
    return out
