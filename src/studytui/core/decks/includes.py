"""One home per fact: decks that show another deck's notes, and copies merged into their home.

A term taught in several topics lives in one deck; the other decks list it under ``include:`` and
their reviews show the home deck's cards. A deck that had its own copy names it in ``replaces:``:
the copy's review history moves to the home card that asks the same thing, the home card takes the
copy's memory state when the copy was reviewed more recently, and the copy is retired with no
history left. "The same thing": a concept's card goes to the home card of the same role
(``fwd``/``rev``: the term is the note's); a cloze or basic card to the home card whose answer
(the hidden text, or the back) shares the most words with its own, the same role winning a tie.
A copy card whose answer shares no word with any home card asks a fact the home note does not
have: it keeps its history and is retired as it is (an alias), rather than lending its memory to
a card about something else. Nothing is lost: every review log row survives.

Runs inside the deck sync's transaction, after every deck's cards are written, so a home deck
synced in the same run is found. Plain ``sqlite3``, as the sync.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from studytui.core.decks.parser import IncludeItem
from studytui.core.errors import Problem

_STATE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review")


@dataclass(frozen=True)
class DeckIncludes:
    deck_id: int
    where: str  # the deck file, for problems
    includes: tuple[IncludeItem, ...]


@dataclass(frozen=True)
class _NoteCard:
    id: int
    key: str
    last_review: str | None
    answer: frozenset[str]  # the words of what it asks for


def _note_cards(
    conn: sqlite3.Connection, deck_id: int, note: str, *, live: bool
) -> list[_NoteCard]:
    """A note's cards in a deck, in card order."""
    sql = (
        'SELECT id, "key", last_review, front, back FROM card WHERE deck_id = ? '
        'AND ("key" = ? OR substr("key", 1, ?) = ?)'
    )
    if live:
        sql += " AND retired_at IS NULL"
    prefix = note + ":"
    rows = conn.execute(sql + " ORDER BY position, id", (deck_id, note, len(prefix), prefix))
    return [_NoteCard(int(i), str(k), lr, _words(_answer(f, b))) for i, k, lr, f, b in rows]


_BLANK = re.compile(r"\[[^\[\]]*\]")  # "[...]" or "[hint]"
_WORD = re.compile(r"\w+")


def _answer(front: str, back: str) -> str:
    """What a card asks for: a cloze's hidden text (the back where the front has its blank),
    else the back."""
    for blank in _BLANK.finditer(front):
        before, after = front[: blank.start()], front[blank.end() :]
        if back.startswith(before) and back.endswith(after) and len(back) >= len(before + after):
            return back[len(before) : len(back) - len(after)]
    return back


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text))


def _home_for(copy: _NoteCard, home: list[_NoteCard]) -> _NoteCard | None:
    """The home card a copy's history belongs on, or None: no home card asks the same."""
    role = _role(copy.key)
    same_role = next((h for h in home if _role(h.key) == role), None)
    if role in ("fwd", "rev"):
        return same_role or home[0]

    def shared(h: _NoteCard) -> float:
        union = copy.answer | h.answer
        return len(copy.answer & h.answer) / len(union) if union else 0.0

    best = max(home, key=lambda h: (shared(h), h is same_role))
    return best if shared(best) > 0 else None


def _role(key: str) -> str:
    parts = key.split(":")
    return parts[2] if len(parts) > 2 else ""


def _merge(
    conn: sqlite3.Connection,
    copy_id: int,
    copy_last: str | None,
    home_id: int,
    home_last: str | None,
) -> bool:
    """Move one copy's history to its home card; False when the copy has none left to move."""
    moved = conn.execute("UPDATE review_log SET card_id = ? WHERE card_id = ?", (home_id, copy_id))
    if moved.rowcount == 0 and copy_last is None:
        return False
    if copy_last is not None and (home_last is None or copy_last > home_last):
        assignments = ", ".join(
            f'"{c}" = (SELECT "{c}" FROM card WHERE id = ?)' for c in _STATE_COLUMNS
        )
        conn.execute(
            f"UPDATE card SET {assignments} WHERE id = ?",
            (*([copy_id] * len(_STATE_COLUMNS)), home_id),
        )
    # The copy keeps nothing that looks like history: it is a new card if its note ever returns.
    conn.execute(
        "UPDATE card SET state = 0, step = NULL, stability = NULL, difficulty = NULL, "
        "due = NULL, last_review = NULL WHERE id = ?",
        (copy_id,),
    )
    return True


def apply_includes(
    conn: sqlite3.Connection, decks: Iterable[DeckIncludes], now: str
) -> tuple[int, list[Problem]]:
    """Write each synced deck's included cards and merge the copies it replaces.

    Returns how many cards had their history merged, and the includes that name no note.
    """
    deck_ids = dict(conn.execute("SELECT name, id FROM deck"))
    merged = 0
    problems: list[Problem] = []
    for deck in decks:
        conn.execute("DELETE FROM deck_include WHERE deck_id = ?", (deck.deck_id,))
        for i, inc in enumerate(deck.includes):
            home_deck = deck_ids.get(inc.deck)
            home = _note_cards(conn, home_deck, inc.note, live=True) if home_deck else []
            if not home:
                problems.append(
                    Problem(deck.where, inc.line, f"include[{i}]",
                            f"no note {inc.note} in deck '{inc.deck}'; nothing included")
                )  # fmt: skip
                continue
            conn.executemany(
                "INSERT OR IGNORE INTO deck_include (deck_id, card_id) VALUES (?, ?)",
                [(deck.deck_id, card.id) for card in home],
            )
            if inc.replaces is None:
                continue
            for copy in _note_cards(conn, deck.deck_id, inc.replaces, live=False):
                target = _home_for(copy, home)
                if target is None:  # a fact the home note lacks: an alias, history kept
                    conn.execute(
                        "UPDATE card SET retired_at = coalesce(retired_at, ?) WHERE id = ?",
                        (now, copy.id),
                    )
                    continue
                # The home card's last review may have changed: later copies compare to it.
                (home_last,) = conn.execute(
                    "SELECT last_review FROM card WHERE id = ?", (target.id,)
                ).fetchone()
                if _merge(conn, copy.id, copy.last_review, target.id, home_last):
                    merged += 1
                    conn.execute(
                        "UPDATE card SET retired_at = coalesce(retired_at, ?) WHERE id = ?",
                        (now, copy.id),
                    )
    return merged, problems
