"""Fitting FSRS parameters to the user's own reviews with ``fsrs-rs-python``.

Why that library: it is the Rust ``fsrs`` crate that Anki's own optimizer uses, shipped as a small
wheel with no dependencies. The Python ``fsrs`` package's optimizer (``fsrs[optimizer]``) needs
torch and pandas (about a gigabyte), so it is not used. ``fsrs-rs-python`` is an optional extra:
``pip install 'studytui[optimizer]'``; without it ``studytui decks optimize`` says how to get it.

Training data, as Anki builds it: each card's reviews in order, with the days elapsed between them
counted in study days (the same rule the scheduler uses, see ``scheduling.py``); every review made
on a later study day than the one before it is one training item (the card's history up to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from studytui.core.errors import StudyError

MIN_REVIEWS = 400
INSTALL_HINT = (
    "the optimizer needs the optional package fsrs-rs-python: "
    "pip install 'studytui[optimizer]' (or, in a checkout, uv sync --extra optimizer)"
)


class OptimizerUnavailable(StudyError):
    """``fsrs-rs-python`` is not installed."""


class NotEnoughReviews(StudyError):
    """Too little history to fit parameters."""


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]
    items: int
    cards: int
    log_loss_before: float
    log_loss_after: float
    rmse_before: float
    rmse_after: float

    @property
    def improved(self) -> bool:
        return self.log_loss_after < self.log_loss_before


def _library() -> Any:
    try:
        import fsrs_rs_python
    except ImportError as exc:
        raise OptimizerUnavailable(INSTALL_HINT) from exc
    return fsrs_rs_python


def available() -> bool:
    try:
        _library()
    except OptimizerUnavailable:
        return False
    return True


def training_histories(
    reviews: Iterable[tuple[int, date, int]],
) -> list[list[tuple[int, int]]]:
    """(card id, study day, rating) in time order per card → per card [(rating, days elapsed)]."""
    by_card: dict[int, list[tuple[date, int]]] = {}
    for card_id, day, rating in reviews:
        by_card.setdefault(card_id, []).append((day, rating))
    out: list[list[tuple[int, int]]] = []
    for history in by_card.values():
        steps: list[tuple[int, int]] = []
        previous: date | None = None
        for day, rating in history:
            steps.append((rating, 0 if previous is None else (day - previous).days))
            previous = day
        out.append(steps)
    return out


def count_items(histories: Sequence[Sequence[tuple[int, int]]]) -> int:
    """Training items: reviews made on a later study day than the card's previous review."""
    return sum(1 for h in histories for i, (_, delta) in enumerate(h) if i > 0 and delta > 0)


def fit(
    histories: Sequence[Sequence[tuple[int, int]]],
    current: Sequence[float],
    min_reviews: int = MIN_REVIEWS,
) -> Fit:
    """Fit parameters; raises NotEnoughReviews or OptimizerUnavailable."""
    n = count_items(histories)
    if n < min_reviews:
        raise NotEnoughReviews(
            f"not enough review history to optimize: {n} reviews made on a later day than the "
            f"card's previous one; at least {min_reviews} are needed. Keep reviewing and try again."
        )
    lib = _library()
    items: list[Any] = []
    for h in histories:
        reviews = [lib.FSRSReview(rating, delta) for rating, delta in h]
        items.extend(
            lib.FSRSItem(reviews[: i + 1]) for i, (_, delta) in enumerate(h) if i > 0 and delta > 0
        )
    before = lib.FSRS(list(current)).evaluate(items)
    fitted = list(lib.FSRS(list(current)).compute_parameters(items))
    after = lib.FSRS(fitted).evaluate(items)
    return Fit(
        parameters=tuple(float(p) for p in fitted),
        items=len(items),
        cards=sum(1 for h in histories if len(h) > 1),
        log_loss_before=float(before.log_loss),
        log_loss_after=float(after.log_loss),
        rmse_before=float(before.rmse_bins),
        rmse_after=float(after.rmse_bins),
    )
