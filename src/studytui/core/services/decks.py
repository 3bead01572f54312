"""Deck use-cases: loading deck files (sync), checking one file, fitting FSRS parameters."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from studytui.core import optimizer
from studytui.core.context import AppContext
from studytui.core.decks.background import BackgroundSync
from studytui.core.decks.parser import DeckFile
from studytui.core.decks.sync import SyncReport, check_deck_file, sync_decks
from studytui.core.scheduling import DEFAULT_PARAMETERS, clamp_parameters
from studytui.core.services.memory import MemoryUpdate, recompute_memory


@dataclass(frozen=True)
class OptimizeResult:
    fit: optimizer.Fit
    saved: bool
    parameters: tuple[float, ...]
    memory: MemoryUpdate | None = None  # the cards replayed under the new parameters


class DeckService:
    def __init__(self, ctx: AppContext, background: BackgroundSync | None = None) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._report: SyncReport | None = None
        self._background = background  # a child process already syncing (see background.py)

    def sync(self, *, force: bool = False, retire_reviewed: bool = False) -> SyncReport:
        """Load changed deck files into the database (see ``core/decks/sync.py``)."""
        with self._lock:
            self._report = sync_decks(self.ctx, force=force, retire_reviewed=retire_reviewed)
            return self._report

    def sync_once(self) -> SyncReport:
        """Sync unless this process already did (or its background child did); concurrent
        callers wait for the first one."""
        with self._lock:
            if self._report is None:
                child, self._background = self._background, None
                report = child.report() if child is not None else None
                self._report = report if report is not None else sync_decks(self.ctx)
            return self._report

    @staticmethod
    def check_file(path: Path) -> DeckFile:
        """Validate one deck file (no database needed)."""
        return check_deck_file(path)

    def current_parameters(self) -> tuple[float, ...]:
        with self.ctx.db.query() as conn:
            row = conn.execute(
                "SELECT parameters FROM scheduler_params ORDER BY id DESC LIMIT 1"
            ).fetchone()
        text = row[0] if row is not None else None
        return tuple(json.loads(text)) if text is not None else tuple(DEFAULT_PARAMETERS)

    def optimize(
        self, min_reviews: int = optimizer.MIN_REVIEWS, *, reschedule: bool = False
    ) -> OptimizeResult:
        """Fit parameters to the review history; keep them when they fit better than the current,
        and then recompute every card's memory state under them (and, with ``reschedule``, its
        due date), as Anki does."""
        from sqlalchemy import select

        from studytui.core.storage.models import ReviewLog, SchedulerParams

        cal = self.ctx.calendar
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating).order_by(
                    ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.id
                )
            ).all()
        histories = optimizer.training_histories(
            (card_id, cal.day_of(at), int(rating)) for card_id, at, rating in rows
        )
        current = self.current_parameters()
        fit = optimizer.fit(histories, current, min_reviews)
        if not fit.improved:
            return OptimizeResult(fit, False, current)
        params = clamp_parameters(fit.parameters)
        with self.ctx.db.write() as s:
            s.add(
                SchedulerParams(
                    fitted_at=self.ctx.clock.now(),
                    parameters=json.dumps(list(params)),
                    reviews_used=fit.items,
                    loss_before=fit.log_loss_before,
                    loss_after=fit.log_loss_after,
                )
            )
        memory = recompute_memory(self.ctx, params, reschedule=reschedule)
        return OptimizeResult(fit, True, params, memory)

    def recompute(self, *, reschedule: bool = False) -> MemoryUpdate:
        """Replay every card's history under the current parameters (after a change of desired
        retention, say, with ``reschedule``)."""
        return recompute_memory(self.ctx, self.current_parameters(), reschedule=reschedule)
