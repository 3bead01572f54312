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
from studytui.core.errors import NotFoundError
from studytui.core.presets import DEFAULT_PRESET
from studytui.core.scheduling import DEFAULT_PARAMETERS, clamp_parameters
from studytui.core.services.memory import MemoryUpdate, recompute_memory
from studytui.core.services.schedulers import fitted_parameters, preset_parameters


@dataclass(frozen=True)
class OptimizeResult:
    fit: optimizer.Fit
    saved: bool
    parameters: tuple[float, ...]
    memory: MemoryUpdate | None = None  # the cards replayed under the new parameters
    preset: str = DEFAULT_PRESET


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

    def fitted(self) -> dict[str, tuple[float, ...]]:
        """The last parameters fitted for each preset (core/services/schedulers.py)."""
        with self.ctx.db.query() as conn:
            return fitted_parameters(conn)

    def current_parameters(self, preset: str = DEFAULT_PRESET) -> tuple[float, ...]:
        """The parameters a preset's cards are scheduled with now."""
        params = preset_parameters(self.fitted(), preset)
        return params if params is not None else tuple(DEFAULT_PARAMETERS)

    def presets(self) -> list[str]:
        """Every preset a deck can use: the default, then ``review.presets`` in file order."""
        return [DEFAULT_PRESET, *(p.name for p in self.ctx.settings.review.presets)]

    def optimize(
        self,
        min_reviews: int = optimizer.MIN_REVIEWS,
        *,
        reschedule: bool = False,
        preset: str = DEFAULT_PRESET,
    ) -> OptimizeResult:
        """Fit a preset's parameters to the review history of its decks' cards; keep them when
        they fit better than its current ones, and then recompute the memory state of its cards
        under them (and, with ``reschedule``, their due dates), as Anki does."""
        from sqlalchemy import select

        from studytui.core.storage.models import Card, Deck, ReviewLog, SchedulerParams

        if preset not in self.presets():
            known = ", ".join(self.presets())
            raise NotFoundError(f"no preset '{preset}' in review.presets; presets: {known}")
        settings = self.ctx.settings.review
        cal = self.ctx.calendar
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating, Deck.name)
                .join(Card, Card.id == ReviewLog.card_id)
                .join(Deck, Deck.id == Card.deck_id)
                .order_by(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.id)
            ).all()
        histories = optimizer.training_histories(
            (card_id, cal.day_of(at), int(rating))
            for card_id, at, rating, deck in rows
            if settings.preset_of(deck) == preset
        )
        current = self.current_parameters(preset)
        fit = optimizer.fit(histories, current, min_reviews)
        if not fit.improved:
            return OptimizeResult(fit, False, current, preset=preset)
        params = clamp_parameters(fit.parameters)
        with self.ctx.db.write() as s:
            s.add(
                SchedulerParams(
                    fitted_at=self.ctx.clock.now(),
                    parameters=json.dumps(list(params)),
                    reviews_used=fit.items,
                    loss_before=fit.log_loss_before,
                    loss_after=fit.log_loss_after,
                    preset=None if preset == DEFAULT_PRESET else preset,
                )
            )
        fitted = self.fitted()
        # The default's new fit also moves the presets that borrow it (never fitted themselves).
        moved = {preset} | (
            {p for p in self.presets() if p not in fitted} if preset == DEFAULT_PRESET else set()
        )
        memory = recompute_memory(self.ctx, fitted, presets=moved, reschedule=reschedule)
        return OptimizeResult(fit, True, params, memory, preset=preset)

    def recompute(self, *, reschedule: bool = False) -> MemoryUpdate:
        """Replay every card's history under the current parameters (after a change of desired
        retention, say, with ``reschedule``)."""
        return recompute_memory(self.ctx, self.fitted(), reschedule=reschedule)
