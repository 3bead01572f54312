"""One sitting of reviews: the day's queue in memory, and the changes still to write.

The next card is known the moment a card is rated; each change is queued as an operation
(``writer.py``) and ``flush()`` writes them in order, one transaction each. The UI calls ``flush()``
from a thread worker, so rating never waits on the disk. A write that fails (a full disk, a
read-only folder) stays queued, in order, and is written by the next ``flush()``; until then
``unsaved_ratings`` and ``last_error`` say what is not saved and why.
"""

from __future__ import annotations

import threading
from bisect import insort
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from studytui.core.errors import ConflictError, NotFoundError, StudyError
from studytui.core.leeches import leech_threshold_met
from studytui.core.scheduling import (
    CardState,
    Outcome,
    Rating,
    Status,
    format_interval,
)
from studytui.core.services.review.adopt import adopt_restated, adopt_whole
from studytui.core.services.review.views import (
    LEARN_AHEAD,
    MAX_ANSWER_MS,
    CardView,
    QueueCounts,
    ReviewFilter,
)
from studytui.core.services.review.writer import FlagOp, Op, RateOp, UndoRateOp
from studytui.core.write_failure import not_saved

if TYPE_CHECKING:
    from studytui.core.services.review.service import ReviewService
    from studytui.core.services.schedulers import Schedulers


@dataclass
class Undo:
    """One step ``undo`` can take back."""

    kind: str  # "rate" | "bury" | "suspend"
    card: CardView
    source: str  # queue the card came from: "new" | "review" | "learning"
    op: RateOp | FlagOp
    previous_buried: date | None = None


@dataclass
class ReviewSession:
    """One sitting of reviews: the queue in memory and the writes still to make."""

    service: ReviewService
    filter: ReviewFilter
    label: str
    schedulers: Schedulers
    day: date
    day_end: datetime
    new: deque[CardView]
    review: deque[CardView]
    learning: list[tuple[datetime, int, CardView]]
    new_limited: bool = False  # more new cards are waiting than the day's limit lets in
    # New cards this session may still introduce: the day's limit left at the start, less the
    # new cards rated since. A buried or suspended new card is not introduced: another comes.
    new_allowed: int = 0
    # Decks whose preset sets a limit of their own (by name): the new cards each could still
    # introduce at the start; the session counts its own new cards against it.
    new_caps: dict[str, int] = field(default_factory=dict)
    review_limited: bool = False
    # False for a session started from the queue's head (``queue.start_head``): its new cards
    # and its reviews after the first few are still to come, from ``adopt``.
    complete: bool = True
    current: CardView | None = None
    current_source: str | None = None
    shown_at: datetime | None = None
    reviewed: int = 0
    again: int = 0
    answer_ms: int = 0
    last_error: str | None = None  # why the last flush stopped, until one writes everything
    dropped: int = 0  # ratings of cards that no longer exist, not written
    _undo: list[Undo] = field(default_factory=list)
    _pending: deque[Op] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # one flush at a time
    _queue_lock: threading.Lock = field(default_factory=threading.Lock)  # the queue itself
    _in_flight: Op | None = None  # being written by a flush right now
    _restated: deque[tuple[int, CardState]] = field(default_factory=deque)
    # Leeches this session found (card id, lapses, suspended), newest last; a suspended one
    # leaves the learning queue.
    leeches: list[tuple[int, int, bool]] = field(default_factory=list)
    _since_new: int = 0
    _new_held: set[int] = field(default_factory=set)  # every new card this session took
    _new_rated: Counter[str] = field(default_factory=Counter)  # new cards rated, per deck

    def __post_init__(self) -> None:
        self._new_held.update(card.id for card in self.new)

    @property
    def clock_now(self) -> datetime:
        return self.service.ctx.clock.now()

    # -- what is shown ---------------------------------------------------------------------

    def counts(self) -> QueueCounts:
        """Cards left today, the current one included."""
        extra = {"new": 0, "review": 0, "learning": 0}
        if self.current is not None and self.current_source is not None:
            extra[self.current_source] += 1
        return QueueCounts(
            new=len(self.new) + extra["new"],
            learning=len(self.learning) + extra["learning"],
            review=len(self.review) + extra["review"],
            complete=self.complete,
        )

    def next_card(self) -> CardView | None:
        """The card to show now (the same one until it is rated), or None when done for now."""
        if self.current is not None:
            return self.current
        self._adopt_restated()
        picked = self._pick(self.clock_now)
        if picked is None:
            return None
        self.current, self.current_source = picked
        self.shown_at = self.clock_now
        return self.current

    @property
    def loading(self) -> bool:
        """Whether the rest of the queue is still to come (``adopt``)."""
        return not self.complete

    def adopt(self, whole: ReviewSession) -> None:
        """Take the whole queue, gathered by ``queue.start`` while this session showed its head
        (``adopt.adopt_whole``)."""
        adopt_whole(self, whole)

    def adopt_failed(self) -> None:
        """The whole queue could not be read: the session is what its head holds."""
        self.complete = True

    def writes_held(self) -> threading.Lock:
        """Held while the whole queue is read for ``adopt``: no write of this session lands in
        between, so what the read counts is what this session started from."""
        return self._lock

    def next_learning_due(self) -> datetime | None:
        return self.learning[0][0] if self.learning else None

    def _pick(self, now: datetime) -> tuple[CardView, str] | None:
        if self.learning and self.learning[0][0] <= now:
            return self.learning.pop(0)[2], "learning"
        if self.new and self.review:
            # Spread new cards evenly among the reviews.
            every = max(1, round(len(self.review) / len(self.new)))
            take_new = self._since_new >= every
        else:
            take_new = bool(self.new)
        if take_new:
            self._since_new = 0
            return self.new.popleft(), "new"
        if self.review:
            self._since_new += 1
            return self.review.popleft(), "review"
        if not self.complete:  # the queue's head is used up: the rest comes before learn-ahead
            return None
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return self.learning.pop(0)[2], "learning"
        return None

    def previews(self) -> dict[Rating, str]:
        """The next interval of each rating for the current card, as the buttons show it."""
        if self.current is None:
            return {}
        card = self.current
        scheduler = self.schedulers.for_deck(card.deck)
        outcomes = scheduler.preview(card.id, card.state, self.clock_now, card.reps)
        return {r: format_interval(o.interval) for r, o in outcomes.items()}

    # -- actions -----------------------------------------------------------------------------

    @property
    def previewing(self) -> bool:
        """Custom study that changes no schedule: answers are counted, never written."""
        return self.filter.is_custom and not self.filter.reschedule

    def rate(self, rating: Rating | int) -> Outcome:
        """Rate the current card; the write is queued (call ``flush``)."""
        card = self._require_current()
        now = self.clock_now
        scheduler = self.schedulers.for_deck(card.deck)
        outcome = scheduler.review(card.id, card.state, rating, now, card.reps)
        if self.previewing:  # Again: once more at the end of the queue; nothing is written
            if outcome.rating == Rating.Again:
                self.review.append(card)
            self.reviewed += 1
            self.again += outcome.rating == Rating.Again
            self._clear_current()
            return outcome
        shown = self.shown_at or now
        duration = int(min(max((now - shown).total_seconds() * 1000, 0), MAX_ANSWER_MS))
        op = RateOp(card.id, outcome, duration, scheduler)
        self._pending.append(op)
        self._undo.append(Undo("rate", card, self.current_source or "review", op))
        lapsed = card.state.status == Status.REVIEW and outcome.rating == Rating.Again
        lapses = card.lapses + lapsed
        after = replace(card, state=outcome.after, reps=card.reps + 1, lapses=lapses)
        settings = scheduler.settings
        # A lapse that makes it a leech to suspend: it leaves today's queue now, as in Anki (the
        # write suspends it), rather than coming back from its relearning step before that.
        suspends = (
            lapsed
            and settings.leech_action == "suspend"
            and leech_threshold_met(lapses, settings.leech_threshold)
        )
        if outcome.after.status in (Status.LEARNING, Status.RELEARNING) and not suspends:
            due = outcome.after.due
            if due is not None and due < self.day_end:
                insort(self.learning, (due, card.id, after), key=lambda t: (t[0], t[1]))
        if self.current_source == "new":
            self.new_allowed -= 1
            self._new_rated[card.deck] += 1
        self.reviewed += 1
        self.again += outcome.rating == Rating.Again
        self.answer_ms += duration
        self._clear_current()
        return outcome

    def bury(self) -> CardView:
        """Hide the current card until the next study day."""
        card = self._require_current()
        until = self.day + timedelta(days=1)
        op = FlagOp(card.id, bury=True, buried_until=until)
        self._pending.append(op)
        self._undo.append(Undo("bury", card, self.current_source or "review", op, None))
        self._clear_current()
        self._balance_new()
        return card

    def suspend(self) -> CardView:
        """Take the current card out of reviews until it is unsuspended (or the action undone)."""
        card = self._require_current()
        op = FlagOp(card.id, suspended=True)
        self._pending.append(op)
        self._undo.append(Undo("suspend", card, self.current_source or "review", op))
        self._clear_current()
        self._balance_new()
        return card

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> Undo | None:
        """Take back the last rating, bury or suspend; its card becomes the current card again.

        A change not written yet is simply taken off the queue; a written one is taken back by a
        queued operation (a rating's undo removes only this session's review).
        """
        if not self._undo:
            return None
        last = self._undo.pop()
        if self.current is not None and self.current_source is not None:
            self._put_back(self.current, self.current_source)
        unwritten = self._unqueue(last.op)
        if last.kind == "rate":
            assert isinstance(last.op, RateOp)
            self.learning = [t for t in self.learning if t[1] != last.card.id]
            if not unwritten:
                self._pending.append(UndoRateOp(last.op))
            if last.op.leech_lapses is not None:  # the lapse that made it a leech is undone
                self.leeches = [t for t in self.leeches if t[0] != last.card.id]
            if last.source == "new":
                self.new_allowed += 1
                self._new_rated[last.card.deck] -= 1
            self.reviewed -= 1
            self.again -= last.op.outcome.rating == Rating.Again
            self.answer_ms -= last.op.duration_ms
        elif unwritten:
            pass
        elif last.kind == "bury":
            self._pending.append(FlagOp(last.card.id, bury=True, buried_until=last.previous_buried))
        else:
            self._pending.append(FlagOp(last.card.id, suspended=False))
        self.current, self.current_source = last.card, last.source
        self.shown_at = self.clock_now
        self._balance_new()
        return last

    def _unqueue(self, op: Op) -> bool:
        """Take ``op`` off the queue if no flush has started writing it; True when taken."""
        with self._queue_lock:
            if op is self._in_flight:
                return False
            for i, queued in enumerate(self._pending):
                if queued is op:
                    del self._pending[i]
                    return True
        return False

    def replace_text(self, card_id: int, front: str, back: str) -> None:
        """Show an edited card's new text (the edit itself is saved by ``ReviewService.edit``)."""
        if self.current is not None and self.current.id == card_id:
            self.current = replace(self.current, front=front, back=back, edited=True)

    # -- writing ------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Changes queued and not yet written."""
        return len(self._pending)

    @property
    def unsaved_ratings(self) -> int:
        """Ratings the user made that are not in the database yet."""
        with self._queue_lock:
            return sum(isinstance(op, RateOp) for op in self._pending)

    def flush(self) -> int:
        """Write the queued changes in order, one transaction each; safe from any thread.

        Returns how many were written. On a failed write that change and the ones after it stay
        queued, ``last_error`` says why, and ``NotSavedError`` is raised.
        """
        done = 0
        db = self.service.ctx.db
        with self._lock:
            while True:
                with self._queue_lock:
                    if not self._pending:
                        break
                    op = self._in_flight = self._pending[0]
                try:
                    if isinstance(op, RateOp):  # the hot path: no ORM session needed
                        with db.write_statements() as conn:
                            op.write(conn)
                    else:
                        with db.write() as s:
                            op.run(s)
                except NotFoundError:  # the card is gone (a restore): nothing left to write
                    self.dropped += isinstance(op, RateOp)
                except Exception as exc:
                    error = not_saved(exc)
                    self.last_error = error.reason
                    raise error from exc
                finally:
                    with self._queue_lock:
                        self._in_flight = None
                with self._queue_lock:
                    self._pending.popleft()
                if isinstance(op, RateOp):
                    self._note_restated(op)
                    if op.leech_lapses is not None:
                        self.leeches.append((op.card_id, op.leech_lapses, op.leech_suspended))
                done += 1
            self.last_error = None
        return done

    def _note_restated(self, op: RateOp) -> None:
        if op.written is not None and op.written.after != op.outcome.after:
            self._restated.append((op.card_id, op.written.after))

    def _adopt_restated(self) -> None:
        adopt_restated(self)

    # -- helpers ----------------------------------------------------------------------------

    def _require_current(self) -> CardView:
        if self.current is None:
            raise ConflictError("no card is being reviewed")
        return self.current

    def _clear_current(self) -> None:
        self.current = None
        self.current_source = None
        self.shown_at = None

    def _balance_new(self) -> None:
        """Hold as many new cards as may still be introduced: after a bury or suspend take the
        next new card, after its undo give the one taken back (the last queued)."""
        shown = len(self.new) + (self.current_source == "new")
        while shown > max(self.new_allowed, 0) and self.new:
            self._new_held.discard(self.new.pop().id)
            self.new_limited = True
            shown -= 1
        want = self.new_allowed - shown
        if want <= 0 or not self.new_limited:
            return
        try:
            more, self.new_limited = self.service.more_new(
                self.filter, self.day, want, self._new_held, self._deck_room()
            )
        except (StudyError, SQLAlchemyError):  # unreadable now: the next bury or start tries again
            return
        self.new.extend(more)
        self._new_held.update(card.id for card in more)

    def _deck_room(self) -> dict[str, int]:
        """What each deck with a limit of its own may still introduce: its room at the start
        less the new cards of it this session rated, holds or shows."""
        used = self._new_rated + Counter(card.deck for card in self.new)
        if self.current is not None and self.current_source == "new":
            used[self.current.deck] += 1
        return {deck: n - used[deck] for deck, n in self.new_caps.items()}

    def _put_back(self, card: CardView, source: str) -> None:
        if source == "new":
            self.new.appendleft(card)
        elif source == "review":
            self.review.appendleft(card)
        else:
            due = card.state.due or self.clock_now
            insort(self.learning, (due, card.id, card), key=lambda t: (t[0], t[1]))
