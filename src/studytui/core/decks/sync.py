"""Loading decks into the database, idempotently.

Every topic of every curriculum (bundled and the user's) has a deck named after its id, and so has
every deck file. A deck's cards come from its file (the user's file replaces a bundled one of the
same name) plus the concepts curricula give the topic. Each deck has a digest of everything its
cards are made from; a deck whose digest is unchanged is skipped without being parsed.

A card's identity is its deck plus its key: editing its text keeps the card (and its review
history); a card whose key is gone is retired (kept, no longer shown) and comes back if the key
returns. Cards added in the app (origin ``user``) are never retired, and text edited in the app is
not overwritten by the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.curriculum.model import Curriculum
from studytui.core.decks.cards import GENERATOR_VERSION, CardSpec, concept_items, generate
from studytui.core.decks.parser import DeckFile, load_deck_file
from studytui.core.errors import InputError, Problem
from studytui.core.storage.models import Card, Deck
from studytui.resources import bundled_dir

ORIGIN_FILE = "file"
ORIGIN_CURRICULUM = "curriculum"
ORIGIN_USER = "user"
SYNCED_ORIGINS = (ORIGIN_FILE, ORIGIN_CURRICULUM)


@dataclass(frozen=True)
class DeckSource:
    """Everything one deck is made from."""

    name: str
    topic_id: str | None
    topic_title: str | None
    file: Path | None
    file_origin: str | None  # "bundled" | "user" | None
    concepts: tuple[tuple[str, str], ...]
    digest: str

    @property
    def source_label(self) -> str | None:
        if self.file is not None:
            return str(self.file)
        if self.concepts:
            return "curriculum"
        return None


@dataclass
class SyncReport:
    decks: int = 0
    synced: int = 0
    skipped: int = 0
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.decks} decks: {self.synced} loaded, {self.skipped} unchanged",
            f"cards: {self.added} new, {self.updated} updated, {self.retired} retired",
        ]
        if self.restored:
            parts.append(f"{self.restored} restored")
        if self.problems:
            parts.append(f"{len(self.problems)} problems")
        return "; ".join(parts)


def bundled_deck_dir() -> Path | None:
    try:
        return bundled_dir("decks")
    except FileNotFoundError:
        return None


def _topic_info(
    curricula: Iterable[Curriculum], active: str
) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """topic id → (title, concepts), the active curriculum's title winning."""
    info: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    ordered = sorted(curricula, key=lambda c: (c.id != active, c.origin != "user", c.id))
    for cur in ordered:
        for topic in cur.topics:
            _title, concepts = info.setdefault(topic.id, (topic.title, []))
            known = {t for t, _ in concepts}
            concepts.extend((c.term, c.definition) for c in topic.concepts if c.term not in known)
    return info


def discover(ctx: AppContext) -> list[DeckSource]:
    """The decks there should be, with a digest of what each is made from (no file is parsed)."""
    files: dict[str, tuple[Path, str]] = {}
    bundled = bundled_deck_dir()
    if bundled is not None:
        files.update({p.stem: (p, "bundled") for p in sorted(bundled.glob("*.yaml"))})
    user_dir = ctx.paths.user_deck_dir
    if user_dir.is_dir():
        files.update({p.stem: (p, "user") for p in sorted(user_dir.glob("*.yaml"))})
    topics = _topic_info(ctx.catalog.all(), ctx.settings.curriculum)
    out: list[DeckSource] = []
    for name in sorted(set(files) | set(topics)):
        path, file_origin = files.get(name, (None, None))
        title, concepts = topics.get(name, (None, []))
        h = hashlib.sha256()
        h.update(f"gen={GENERATOR_VERSION}\0name={name}\0title={title}\0".encode())
        h.update(json.dumps(concepts, ensure_ascii=False).encode("utf-8"))
        if path is not None:
            h.update(f"\0file={path}\0".encode())
            try:
                h.update(path.read_bytes())
            except OSError as exc:  # reported when the deck is loaded
                h.update(f"unreadable {exc}".encode())
        out.append(
            DeckSource(
                name=name,
                topic_id=name if name in topics else None,
                topic_title=title,
                file=path,
                file_origin=file_origin,
                concepts=tuple(concepts),
                digest=h.hexdigest(),
            )
        )
    return out


@dataclass(frozen=True)
class _Loaded:
    source: DeckSource
    title: str
    topic_id: str | None
    specs: list[tuple[CardSpec, str]]


def _load(source: DeckSource) -> _Loaded:
    """Parse the deck's file and generate its cards; raises InputError for a bad file."""
    deck_file: DeckFile | None = None
    if source.file is not None:
        deck_file = load_deck_file(source.file, expect_topic=source.name)
    specs: list[tuple[CardSpec, str]] = []
    if deck_file is not None:
        specs.extend((c, ORIGIN_FILE) for c in deck_file.cards())
    if source.concepts:
        keys = {c.key for c, _ in specs}
        generated = generate(concept_items(source.concepts), (), ())
        offset = len(specs)
        for spec in generated:
            if spec.key in keys:
                continue
            moved = CardSpec(
                spec.key, spec.kind, spec.front, spec.back, spec.tags, spec.position + offset
            )
            specs.append((moved, ORIGIN_CURRICULUM))
    title = deck_file.title if deck_file is not None else (source.topic_title or source.name)
    topic_id = source.topic_id or (deck_file.topic if deck_file is not None else None)
    return _Loaded(source, title, topic_id, specs)


def sync_decks(ctx: AppContext, *, force: bool = False) -> SyncReport:
    """Bring the database's decks in line with the deck files and curricula (one transaction)."""
    report = SyncReport()
    sources = discover(ctx)
    report.decks = len(sources)
    with ctx.db.read() as s:
        stored = {name: digest for name, digest in s.execute(select(Deck.name, Deck.source_hash))}
    wanted = {src.name for src in sources}
    gone = [name for name, digest in stored.items() if name not in wanted and digest is not None]
    todo: list[_Loaded] = []
    for src in sources:
        if not force and stored.get(src.name, "") == src.digest:
            report.skipped += 1
            continue
        try:
            todo.append(_load(src))
        except InputError as exc:
            report.problems.extend(exc.problems)
    if not todo and not gone:
        return report
    now = ctx.clock.now()
    with ctx.db.write() as s:
        _apply_all(s, todo, now, report, force)
        for name in gone:
            _retire_deck(s, name, now, report)
    return report


def _apply_all(
    s: Session, todo: list[_Loaded], now: datetime, report: SyncReport, force: bool
) -> None:
    """Write the loaded decks: few queries, new cards in one bulk insert."""
    names = [loaded.source.name for loaded in todo]
    decks = {d.name: d for d in s.scalars(select(Deck).where(Deck.name.in_(names)))}
    changed: list[tuple[_Loaded, Deck]] = []
    for loaded in todo:
        deck = decks.get(loaded.source.name)
        if deck is None:
            deck = Deck(name=loaded.source.name, title=loaded.title, topic_id=loaded.topic_id)
            s.add(deck)
        elif deck.source_hash == loaded.source.digest and not force:
            report.skipped += 1  # another process synced it meanwhile
            continue
        changed.append((loaded, deck))
    s.flush()
    ids = [deck.id for _, deck in changed]
    by_deck: dict[int, dict[str, Card]] = {i: {} for i in ids}
    if ids:
        for card in s.scalars(select(Card).where(Card.deck_id.in_(ids))):
            by_deck[card.deck_id][card.key] = card
    inserts: list[dict[str, object]] = []
    for loaded, deck in changed:
        _apply(loaded, deck, by_deck[deck.id], inserts, now, report)
        report.synced += 1
    if inserts:
        s.execute(insert(Card), inserts)


def _apply(
    loaded: _Loaded,
    deck: Deck,
    cards: dict[str, Card],
    inserts: list[dict[str, object]],
    now: datetime,
    report: SyncReport,
) -> None:
    src = loaded.source
    keys: set[str] = set()
    for spec, origin in loaded.specs:
        keys.add(spec.key)
        card = cards.get(spec.key)
        if card is None:
            inserts.append(
                {
                    "deck_id": deck.id, "key": spec.key, "kind": spec.kind, "front": spec.front,
                    "back": spec.back, "tags": spec.tag_text, "position": spec.position,
                    "origin": origin, "state": 0, "suspended": False, "created_at": now,
                }
            )  # fmt: skip
            report.added += 1
            continue
        if card.retired_at is not None:
            card.retired_at = None
            report.restored += 1
        if card.edited_at is None and (card.front, card.back) != (spec.front, spec.back):
            card.front, card.back = spec.front, spec.back
            report.updated += 1
        if card.origin != ORIGIN_USER:
            card.origin = origin
        card.kind, card.tags, card.position = spec.kind, spec.tag_text, spec.position
    for key, card in cards.items():
        if key not in keys and card.origin in SYNCED_ORIGINS and card.retired_at is None:
            card.retired_at = now
            report.retired += 1
    deck.title = loaded.title
    deck.topic_id = loaded.topic_id
    deck.source = src.source_label
    deck.source_hash = src.digest
    deck.synced_at = now


def _retire_deck(s: Session, name: str, now: datetime, report: SyncReport) -> None:
    """A deck whose file and topic are gone: its synced cards retire (history kept)."""
    deck = s.scalar(select(Deck).where(Deck.name == name))
    if deck is None:
        return
    for card in s.scalars(
        select(Card).where(
            Card.deck_id == deck.id,
            Card.origin.in_(SYNCED_ORIGINS),
            Card.retired_at.is_(None),
        )
    ):
        card.retired_at = now
        report.retired += 1
    deck.source = None
    deck.source_hash = None
    deck.synced_at = now


def check_deck_file(path: Path) -> DeckFile:
    """Validate one deck file (its topic must match its file name)."""
    return load_deck_file(path, label=str(path), expect_topic=path.stem)
