"""Read a deck file (docs/decks.md) into cards; every problem is reported as file:line: field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studytui.core.decks import cloze
from studytui.core.decks.cards import (
    CardSpec,
    ConceptItem,
    HandCardItem,
    Notes,
    StatementItem,
    generate,
    short_hash,
    slug,
)
from studytui.core.errors import InputError
from studytui.core.validate import SLUG, Checker
from studytui.core.yamldoc import Located, PathKey, load_yaml, path_str, read_text

SCHEMA_VERSION = 1
CARD_TYPES = ("basic", "reversed")
# Keys every concept, statement and card may carry besides its own (docs/decks.md, *Coverage*).
NOTE_KEYS = ("covers", "source", "waive")
NOTE_KEY = re.compile(r"^(concept|cloze|card):[a-z0-9][a-z0-9-]*$")
CARD_KEY = re.compile(r"^(concept|cloze|card):[a-z0-9][a-z0-9-]*(:(fwd|rev|c[1-9][0-9]*))?$")


@dataclass(frozen=True)
class IncludeItem:
    """A note of another deck that this deck's reviews show (its one home stays there).

    ``replaces`` names this deck's own former copy of the note (``concept:pca``): the sync moves
    that copy's review history to the home note's cards and retires it.
    """

    deck: str
    note: str  # concept:<id> | cloze:<id> | card:<id>
    covers: tuple[str, ...] = ()
    replaces: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class DeckFile:
    """A validated deck file and the cards it makes."""

    topic: str
    title: str
    tags: tuple[str, ...]
    concepts: tuple[ConceptItem, ...]
    statements: tuple[StatementItem, ...]
    hand_cards: tuple[HandCardItem, ...]
    path: str = ""
    source: str | None = None
    # Keys of cards this deck once made and has dropped on purpose: the sync retires them even
    # when they have review history (kept, not shown), instead of refusing the deck's update.
    retired: tuple[str, ...] = ()
    includes: tuple[IncludeItem, ...] = ()

    def cards(self) -> list[CardSpec]:
        return generate(self.concepts, self.statements, self.hand_cards, self.tags)


def load_deck_file(
    path: Path, label: str | None = None, expect_topic: str | None = None
) -> DeckFile:
    """Load and validate one deck file; raises InputError listing every problem."""
    name = label or str(path)
    return parse_deck(load_yaml(read_text(path, name), name), expect_topic=expect_topic)


def parse_deck_text(text: str, file: str, expect_topic: str | None = None) -> DeckFile:
    return parse_deck(load_yaml(text, file), expect_topic=expect_topic)


def parse_deck(doc: Located, expect_topic: str | None = None) -> DeckFile:
    return _DeckReader(doc).read(expect_topic)


class _DeckReader(Checker):
    def read(self, expect_topic: str | None) -> DeckFile:
        if self.doc.data is None:
            self.error((), "the file is empty; a deck needs at least schema, topic and title")
            self.raise_if_any()
        top = self.mapping(
            self.doc.data,
            (),
            required=("schema", "topic", "title"),
            optional=("tags", "source", "retired", "include", "concepts", "statements", "cards"),
        )
        if top is None:
            self.raise_if_any()
            raise AssertionError("unreachable")
        if "schema" in top and top["schema"] != SCHEMA_VERSION:
            allowed = f"allowed: {SCHEMA_VERSION}"
            self.error(("schema",), f"unsupported schema {top['schema']!r}; {allowed}")
        topic = self.slug(top, "topic", ()) if "topic" in top else None
        if topic is not None and expect_topic is not None and topic != expect_topic:
            self.error(
                ("topic",),
                f"'{topic}' does not match the file name; name the file {topic}.yaml "
                f"or write topic: {expect_topic}",
            )
        title = self.text(top, "title", (), required=True) if "title" in top else None
        tags = self._tags(top, ())
        source = self.text(top, "source", ())
        concepts = self._concepts(top)
        statements = self._statements(top)
        hand = self._hand_cards(top)
        for section, made in (("concepts", concepts), ("statements", statements), ("cards", hand)):
            if section in top and not made and not self.problems:
                # A section written but left empty (``cards:``, ``cards: []``) would retire every
                # card it had, history hidden, without a word. A deck with no sections at all
                # stays valid: its cards are added in the app.
                self.error(
                    (section,), f"no cards under {section}; write at least one or remove the line"
                )
        retired = self._retired(top, concepts, statements, hand)
        includes = self._includes(top, topic, concepts, statements, hand)
        if topic is None or title is None:  # reported above; never an assert on user data
            self.raise_if_any()
            raise InputError.single(self.doc.file, None, "", "a deck needs a topic and a title")
        self.raise_if_any()
        return DeckFile(
            topic=topic,
            title=title,
            tags=tags,
            concepts=tuple(concepts),
            statements=tuple(statements),
            hand_cards=tuple(hand),
            path=self.doc.file,
            source=source or None,
            retired=retired,
            includes=includes,
        )

    # -- pieces ---------------------------------------------------------------------------

    def _tags(self, m: dict[str, Any], path: PathKey) -> tuple[str, ...]:
        out: list[str] = []
        for i, tag in enumerate(self.texts(m, "tags", path)):
            if any(c.isspace() for c in tag):
                self.error((*path, "tags", i), f"'{tag}' has a space; a tag is one word")
                continue
            out.append(tag)
        return tuple(out)

    def _retired(
        self,
        top: dict[str, Any],
        concepts: list[ConceptItem],
        statements: list[StatementItem],
        hand: list[HandCardItem],
    ) -> tuple[str, ...]:
        made = {c.key for c in generate(concepts, statements, hand)}
        out: list[str] = []
        for i, key in enumerate(self.texts(top, "retired", ())):
            if not CARD_KEY.match(key):
                self.error(("retired", i), f"'{key}' is not a card key (e.g. cloze:some-id:c2)")
            elif key in made:
                self.error(("retired", i), f"'{key}' is still made by this file")
            else:
                out.append(key)
        return tuple(out)

    def _includes(
        self,
        top: dict[str, Any],
        topic: str | None,
        concepts: list[ConceptItem],
        statements: list[StatementItem],
        hand: list[HandCardItem],
    ) -> tuple[IncludeItem, ...]:
        made = {":".join(c.key.split(":", 2)[:2]) for c in generate(concepts, statements, hand)}
        out: list[IncludeItem] = []
        seen: set[tuple[str, str]] = set()
        for i, raw in enumerate(self.items(top, "include", ())):
            path: PathKey = ("include", i)
            m = self.mapping(raw, path, required=("deck", "note"), optional=("covers", "replaces"))
            if m is None:
                continue
            deck = self.slug(m, "deck", path)
            note = self.text(m, "note", path, required=True)
            replaces = self.text(m, "replaces", path)
            ok = deck is not None and note is not None
            if note is not None and not NOTE_KEY.match(note):
                self.error((*path, "note"), f"'{note}' is not a note (e.g. concept:pca, card:x)")
                ok = False
            if deck is not None and deck == topic:
                self.error((*path, "deck"), "a deck cannot include its own notes")
                ok = False
            if replaces is not None and not NOTE_KEY.match(replaces):
                self.error((*path, "replaces"), f"'{replaces}' is not a note of this deck")
                ok = False
            elif replaces is not None and replaces in made:
                self.error((*path, "replaces"), f"'{replaces}' is still made by this file")
                ok = False
            if ok and deck is not None and note is not None:
                if (deck, note) in seen:
                    self.error(path, f"'{deck}' {note} is included twice")
                    continue
                seen.add((deck, note))
                covers = self._notes(m, path).covers
                out.append(IncludeItem(deck, note, covers, replaces, self.doc.line(path)))
        return tuple(out)

    def _notes(self, m: dict[str, Any], path: PathKey) -> Notes:
        covers = m.get("covers")
        if isinstance(covers, str):  # one subtopic may be written without a list
            covers_list: tuple[str, ...] = (covers.strip(),) if covers.strip() else ()
            if not covers_list:
                self.error((*path, "covers"), "blank; name a subtopic or remove the line")
        else:
            covers_list = tuple(c.strip() for c in self.texts(m, "covers", path))
        waive: list[tuple[str, str]] = []
        raw = m.get("waive")
        if raw is not None:
            if not isinstance(raw, dict):
                self.error((*path, "waive"), "a mapping of rule: reason")
            else:
                for rule, reason in raw.items():
                    if not isinstance(reason, str) or not reason.strip():
                        self.error((*path, "waive", str(rule)), "give the reason as text")
                    else:
                        waive.append((str(rule), " ".join(reason.split())))
        source = self.text(m, "source", path)
        return Notes(covers_list, source or None, tuple(waive))

    def _id(self, m: dict[str, Any], path: PathKey, default: str, seen: dict[str, PathKey]) -> str:
        if "id" in m:  # written, even blank (``id:``): it must be a real id, never a silent default
            raw = self.text(m, "id", path, required=True)
            if raw is None:
                return default
            if not SLUG.match(raw):
                self.error((*path, "id"), f"'{raw}' is not an id: use a-z, 0-9 and '-'")
                return default
            cid = raw
        else:
            cid = default
        if cid in seen:
            other = self.doc.line(seen[cid])
            where = f" (line {other})" if other is not None else ""
            hint = "" if "id" in m else "; give one of them an id"
            other_path = path_str(seen[cid])
            self.error(path, f"duplicate id '{cid}', also used by {other_path}{where}{hint}")
        else:
            seen[cid] = path
        return cid

    def _concepts(self, top: dict[str, Any]) -> list[ConceptItem]:
        out: list[ConceptItem] = []
        seen: dict[str, PathKey] = {}
        for i, raw in enumerate(self.items(top, "concepts", ())):
            path: PathKey = ("concepts", i)
            m = self.mapping(
                raw, path, required=("term", "definition"), optional=("id", "tags", *NOTE_KEYS)
            )
            if m is None:
                continue
            term = self.text(m, "term", path, required=True)
            definition = self.text(m, "definition", path, required=True)
            tags = self._tags(m, path)
            cid = self._id(m, path, slug(term) if term else f"concept-{i + 1}", seen)
            if term and definition:
                line = self.doc.line(path)
                out.append(ConceptItem(cid, term, definition, tags, line, self._notes(m, path)))
        return out

    def _statements(self, top: dict[str, Any]) -> list[StatementItem]:
        out: list[StatementItem] = []
        seen: dict[str, PathKey] = {}
        for i, raw in enumerate(self.items(top, "statements", ())):
            path: PathKey = ("statements", i)
            m = self.mapping(
                raw, path, required=("text",), optional=("id", "extra", "tags", *NOTE_KEYS)
            )
            if m is None:
                continue
            text = self.text(m, "text", path, required=True)
            extra = self.text(m, "extra", path)
            tags = self._tags(m, path)
            if text is not None:
                try:
                    cloze.check(text)
                except cloze.ClozeError as exc:
                    self.error((*path, "text"), str(exc))
                    text = None
            default = short_hash(cloze.without_deletions(text)) if text else f"statement-{i + 1}"
            sid = self._id(m, path, default, seen)
            if text:
                line = self.doc.line(path)
                notes = self._notes(m, path)
                out.append(StatementItem(sid, text, extra or None, tags, line, notes))
        return out

    def _hand_cards(self, top: dict[str, Any]) -> list[HandCardItem]:
        out: list[HandCardItem] = []
        seen: dict[str, PathKey] = {}
        for i, raw in enumerate(self.items(top, "cards", ())):
            path: PathKey = ("cards", i)
            m = self.mapping(
                raw, path, required=("front", "back"), optional=("id", "type", "tags", *NOTE_KEYS)
            )
            if m is None:
                continue
            front = self.text(m, "front", path, required=True)
            back = self.text(m, "back", path, required=True)
            kind = self.text(m, "type", path) or "basic"
            if kind not in CARD_TYPES:
                self.error((*path, "type"), f"'{kind}'; allowed: {', '.join(CARD_TYPES)}")
            tags = self._tags(m, path)
            cid = self._id(m, path, short_hash(front) if front else f"card-{i + 1}", seen)
            if front and back:
                line = self.doc.line(path)
                notes = self._notes(m, path)
                rev = kind == "reversed"
                out.append(HandCardItem(cid, front, back, rev, tags, line, notes))
        return out
