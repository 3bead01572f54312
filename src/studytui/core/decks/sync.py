"""Loading decks into the database, idempotently.

Every topic of every curriculum (bundled and the user's) has a deck named after its id, and so has
every deck file. A deck's cards come from its file (the user's file replaces a bundled one of the
same name) plus the concepts curricula give the topic. Each deck has a digest of everything its
cards are made from; a deck whose digest is unchanged is skipped without being parsed.

A card's identity is its deck plus its key: editing its text keeps the card (and its review
history); a card whose key is gone is retired (kept, no longer shown) and comes back if the key
returns. Cards added in the app (origin ``user``) are never retired, and text edited in the app is
not overwritten by the file.

A card with review history is never retired silently: a deck whose new version would retire
reviewed cards (their keys gone from the file, or the whole deck gone) is not synced; the report
names the cards as a problem of the deck, the app shows it at start, and only
``studytui decks sync --retire-reviewed`` retires them (their history is kept either way).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from studytui.core.context import AppContext
from studytui.core.decks.includes import DeckIncludes, apply_includes
from studytui.core.decks.parser import DeckFile, load_deck_file
from studytui.core.decks.sources import (
    ORIGIN_CURRICULUM,
    ORIGIN_FILE,
    ORIGIN_USER,
    SYNCED_ORIGINS,
    DeckSource,
    LoadedDeck,
    SyncReport,
    bundled_deck_dir,
    discover,
    load,
)
from studytui.core.errors import InputError, Problem
from studytui.core.storage.sqltypes import db_datetime

__all__ = [
    "ORIGIN_CURRICULUM",
    "ORIGIN_FILE",
    "ORIGIN_USER",
    "SYNCED_ORIGINS",
    "DeckSource",
    "SyncReport",
    "bundled_deck_dir",
    "check_deck_file",
    "discover",
    "sync_decks",
]


def sync_decks(
    ctx: AppContext, *, force: bool = False, retire_reviewed: bool = False
) -> SyncReport:
    """Bring the database's decks in line with the deck files and curricula (one transaction).

    ``retire_reviewed`` lets a deck's sync retire cards that have review history; without it
    such a deck is left as it was and named in the report (``refused``, ``problems``).

    Plain ``sqlite3`` (no SQLAlchemy import): the first start waits for this sync.
    """
    report = SyncReport()
    sources = discover(ctx)
    report.decks = len(sources)
    # A broken user curriculum is skipped by the catalog; its problems are reported here, so
    # the start-up sync (and ``decks sync``) says why its topics have no decks.
    report.problems.extend(p for exc in ctx.catalog.errors for p in exc.problems)
    with ctx.db.query() as conn:
        stored: dict[str, str | None] = dict(conn.execute("SELECT name, source_hash FROM deck"))
    wanted = {src.name for src in sources}
    gone = [name for name, digest in stored.items() if name not in wanted and digest is not None]
    todo: list[LoadedDeck] = []
    for src in sources:
        if not force and stored.get(src.name, "") == src.digest:
            report.skipped += 1
            continue
        try:
            todo.append(load(src))
        except InputError as exc:
            report.problems.extend(exc.problems)
    if not todo and not gone:
        return report
    now = db_datetime(ctx.clock.now())
    with ctx.db.change() as conn:
        _apply_all(conn, todo, now, report, force, retire_reviewed)
        for name in gone:
            _retire_deck(conn, name, now, report, retire_reviewed)
    return report


class _StoredCard(NamedTuple):
    """The columns of a stored card the sync reads (times as their stored text)."""

    id: int
    deck_id: int
    key: str
    kind: str
    front: str
    back: str
    tags: str
    position: int
    origin: str
    retired_at: str | None
    edited_at: str | None
    reviewed: int  # 1 when the card has review history (a review log row or a last review)


_REVIEWED = "(last_review IS NOT NULL OR EXISTS (SELECT 1 FROM review_log WHERE card_id = card.id))"
_CARD_COLUMNS = ", ".join(
    [*(f'"{name}"' for name in _StoredCard._fields[:-1]), f"{_REVIEWED} AS reviewed"]
)
_SHOWN_KEYS = 8  # a refusal names at most this many cards, then says how many more
_INSERT_CARD = (
    'INSERT INTO card (deck_id, "key", kind, front, back, tags, position, origin, state, '
    "suspended, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)"
)
_IDS_PER_QUERY = 500  # well below SQLite's limit on bound parameters


@dataclass
class _Writes:
    """What the sync writes to cards: new rows, and per changed card only its changed columns."""

    inserts: list[tuple[object, ...]] = field(default_factory=list)
    # (changed column names) -> [(values..., card id)]
    updates: dict[tuple[str, ...], list[tuple[object, ...]]] = field(default_factory=dict)

    def update(self, card_id: int, changes: dict[str, object]) -> None:
        if changes:
            self.updates.setdefault(tuple(changes), []).append((*changes.values(), card_id))

    def write(self, conn: sqlite3.Connection) -> None:
        for columns, rows in self.updates.items():
            assignments = ", ".join(f'"{c}" = ?' for c in columns)
            conn.executemany(f"UPDATE card SET {assignments} WHERE id = ?", rows)
        if self.inserts:
            conn.executemany(_INSERT_CARD, self.inserts)


def _refuse(report: SyncReport, where: str, what: str, keys: list[str]) -> None:
    """Name the reviewed cards a sync would retire, and leave their deck as it was."""
    shown = ", ".join(keys[:_SHOWN_KEYS]) + (
        f" and {len(keys) - _SHOWN_KEYS} more" if len(keys) > _SHOWN_KEYS else ""
    )
    report.refused += 1
    report.problems.append(
        Problem(
            where,
            None,
            "cards",
            f"{what} would retire {len(keys)} reviewed card(s): {shown}; the deck was left as "
            "it was (restore those keys, or run `studytui decks sync --retire-reviewed` to "
            "retire them; their history is kept)",
        )
    )


def _doomed_reviewed(loaded: LoadedDeck, cards: dict[str, _StoredCard]) -> list[str]:
    """Keys of reviewed cards this version of the deck would retire."""
    keys = {spec.key for spec, _ in loaded.specs}
    return sorted(
        key
        for key, card in cards.items()
        if key not in keys
        and not loaded.dropped_on_purpose(key)
        and card.origin in SYNCED_ORIGINS
        and card.retired_at is None
        and card.reviewed
    )


def _stored_cards(
    conn: sqlite3.Connection, deck_ids: list[int]
) -> dict[int, dict[str, _StoredCard]]:
    """The stored cards of these decks by key, one query per 500 decks."""
    by_deck: dict[int, dict[str, _StoredCard]] = {deck_id: {} for deck_id in deck_ids}
    for i in range(0, len(deck_ids), _IDS_PER_QUERY):
        chunk = deck_ids[i : i + _IDS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM card WHERE deck_id IN ({marks})", chunk
        ):
            card = _StoredCard._make(row)
            by_deck[card.deck_id][card.key] = card
    return by_deck


def _apply_all(
    conn: sqlite3.Connection,
    todo: list[LoadedDeck],
    now: str,
    report: SyncReport,
    force: bool,
    retire_reviewed: bool,
) -> None:
    """Write the loaded decks: one query for the decks, one per 500 changed decks for their
    cards, new cards in one bulk insert and changed ones in one bulk update per set of columns."""
    decks: dict[str, tuple[int, str | None]] = {
        name: (deck_id, digest)
        for deck_id, name, digest in conn.execute("SELECT id, name, source_hash FROM deck")
    }
    stale = [
        decks[loaded.source.name][0]
        for loaded in todo
        if loaded.source.name in decks
        and (force or decks[loaded.source.name][1] != loaded.source.digest)
    ]
    by_deck = _stored_cards(conn, stale)
    changed: list[tuple[LoadedDeck, int]] = []
    for loaded in todo:
        src = loaded.source
        deck = decks.get(src.name)
        if deck is None:
            cur = conn.execute(
                "INSERT INTO deck (name, title, topic_id, source, source_hash, synced_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (src.name, loaded.title, loaded.topic_id, src.source_label, src.digest, now),
            )
            if cur.lastrowid is None:  # SQLite always sets it after an INSERT
                raise RuntimeError(f"no row id for the new deck {src.name!r}")
            changed.append((loaded, cur.lastrowid))
            by_deck[cur.lastrowid] = {}
            continue
        deck_id, digest = deck
        if digest == src.digest and not force:
            report.skipped += 1  # another process synced it meanwhile
            continue
        doomed = _doomed_reviewed(loaded, by_deck[deck_id])
        if doomed and not retire_reviewed:
            _refuse(
                report, src.source_label or src.name, f"this version of deck {src.name!r}", doomed
            )
            continue
        conn.execute(
            "UPDATE deck SET title = ?, topic_id = ?, source = ?, source_hash = ?, synced_at = ? "
            "WHERE id = ?",
            (loaded.title, loaded.topic_id, src.source_label, src.digest, now, deck_id),
        )
        changed.append((loaded, deck_id))
    writes = _Writes()
    for loaded, deck_id in changed:
        _apply(loaded, deck_id, by_deck[deck_id], writes, now, report)
        report.synced += 1
    writes.write(conn)
    merged, problems = apply_includes(
        conn,
        [
            DeckIncludes(deck_id, loaded.source.source_label or loaded.source.name, loaded.includes)
            for loaded, deck_id in changed
        ],
        now,
    )
    report.merged += merged
    report.problems.extend(problems)


def _apply(
    loaded: LoadedDeck,
    deck_id: int,
    cards: dict[str, _StoredCard],
    writes: _Writes,
    now: str,
    report: SyncReport,
) -> None:
    keys: set[str] = set()
    for spec, origin in loaded.specs:
        keys.add(spec.key)
        card = cards.get(spec.key)
        if card is None:
            writes.inserts.append(
                (deck_id, spec.key, spec.kind, spec.front, spec.back, spec.tag_text,
                 spec.position, origin, now)
            )  # fmt: skip
            report.added += 1
            continue
        changes: dict[str, object] = {}
        if card.retired_at is not None:
            changes["retired_at"] = None
            report.restored += 1
        if card.edited_at is None and (card.front, card.back) != (spec.front, spec.back):
            if card.front != spec.front:
                changes["front"] = spec.front
            if card.back != spec.back:
                changes["back"] = spec.back
            report.updated += 1
        if card.origin != ORIGIN_USER and card.origin != origin:
            changes["origin"] = origin
        if card.kind != spec.kind:
            changes["kind"] = spec.kind
        tag_text = spec.tag_text
        if card.tags != tag_text:
            changes["tags"] = tag_text
        if card.position != spec.position:
            changes["position"] = spec.position
        writes.update(card.id, changes)
    for key, card in cards.items():
        if key not in keys and card.origin in SYNCED_ORIGINS and card.retired_at is None:
            writes.update(card.id, {"retired_at": now})
            report.retired += 1


def _retire_deck(
    conn: sqlite3.Connection, name: str, now: str, report: SyncReport, retire_reviewed: bool
) -> None:
    """A deck whose file and topic are gone: its synced cards retire (history kept)."""
    row = conn.execute("SELECT id, source FROM deck WHERE name = ?", (name,)).fetchone()
    if row is None:
        return
    deck_id, source = row
    marks = ", ".join("?" * len(SYNCED_ORIGINS))
    doomed = [
        key
        for (key,) in conn.execute(
            f'SELECT "key" FROM card WHERE deck_id = ? AND origin IN ({marks}) '
            f'AND retired_at IS NULL AND {_REVIEWED} ORDER BY "key"',
            (deck_id, *SYNCED_ORIGINS),
        )
    ]
    if doomed and not retire_reviewed:
        what = f"deck {name!r} is gone (no deck file and no topic of that name); retiring it"
        _refuse(report, source or name, what, doomed)
        return
    retired = conn.execute(
        f"UPDATE card SET retired_at = ? WHERE deck_id = ? AND origin IN ({marks}) "
        "AND retired_at IS NULL",
        (now, deck_id, *SYNCED_ORIGINS),
    )
    report.retired += retired.rowcount
    conn.execute(
        "UPDATE deck SET source = NULL, source_hash = NULL, synced_at = ? WHERE id = ?",
        (now, deck_id),
    )


def check_deck_file(path: Path) -> DeckFile:
    """Validate one deck file (its topic must match its file name)."""
    return load_deck_file(path, label=str(path), expect_topic=path.stem)
