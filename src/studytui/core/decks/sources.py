"""What the deck sync loads: each deck's sources (file, curriculum concepts) and its report.

``discover`` lists the decks there should be with a digest of what each is made from, without
parsing a file; ``load`` parses one and generates its cards. ``sync.py`` writes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from studytui.core.context import AppContext
from studytui.core.curriculum.model import Curriculum
from studytui.core.decks.cards import GENERATOR_VERSION, CardSpec, concept_items, generate
from studytui.core.decks.parser import DeckFile, IncludeItem, load_deck_file
from studytui.core.errors import Problem
from studytui.core.textfile import yaml_files
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
    refused: int = 0  # decks left as they were: syncing them would retire reviewed cards
    merged: int = 0  # copies whose review history moved to their note's home deck
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.decks} decks: {self.synced} loaded, {self.skipped} unchanged",
            f"cards: {self.added} new, {self.updated} updated, {self.retired} retired",
        ]
        if self.restored:
            parts.append(f"{self.restored} restored")
        if self.merged:
            parts.append(f"{self.merged} merged into their home deck (history kept)")
        if self.refused:
            parts.append(f"{self.refused} decks not synced (they would retire reviewed cards)")
        if self.problems:
            parts.append(f"{len(self.problems)} problems")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {k: v for k, v in asdict(self).items() if k != "problems"}
        data["problems"] = [asdict(p) for p in self.problems]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SyncReport:
        """The report a ``studytui decks sync --json`` process printed."""
        counts = {k: int(data.get(k, 0)) for k in _COUNTS}
        return cls(**counts, problems=[Problem(**p) for p in data["problems"]])


_COUNTS = (
    "decks",
    "synced",
    "skipped",
    "added",
    "updated",
    "retired",
    "restored",
    "refused",
    "merged",
)


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
        files.update({p.stem: (p, "user") for p in yaml_files(user_dir)})
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
class LoadedDeck:
    source: DeckSource
    title: str
    topic_id: str | None
    specs: list[tuple[CardSpec, str]]
    retired: frozenset[str] = frozenset()
    includes: tuple[IncludeItem, ...] = ()

    def dropped_on_purpose(self, key: str) -> bool:
        """A key the file retires by name, or a card of a note it replaced by an include."""
        if key in self.retired:
            return True
        note = ":".join(key.split(":", 2)[:2])
        return any(inc.replaces == note for inc in self.includes)


def load(source: DeckSource) -> LoadedDeck:
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
    if deck_file is None:
        return LoadedDeck(source, title, topic_id, specs)
    return LoadedDeck(
        source, title, topic_id, specs, frozenset(deck_file.retired), deck_file.includes
    )
