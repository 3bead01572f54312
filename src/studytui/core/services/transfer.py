"""Export everything the user made to one JSON document, and import such a document back.

The document (format ``studytui-export``, version 1) names records by natural keys, never by
database ids, so it can be merged into any database:

=====================  =====================================================================
section                identity
=====================  =====================================================================
topic_status_events    topic, status, at
checklist_events       curriculum, list, item, done, at
sessions               external_id when it has one, else started_at + category
decks                  name
cards                  deck + key
review_logs            deck + key + reviewed_at
scheduler_params       fitted_at
files                  folder + name (your own curricula and deck files)
=====================  =====================================================================

Importing adds what the database lacks and nothing twice: a record is added as many times as the
file holds it beyond what the database already holds, so importing a file again adds nothing and
an export → import into an empty home → export round trip gives the same document. A card present
on both sides takes the FSRS state with the later review, the text with the later edit, and stays
suspended if either side suspended it. Sessions follow the time log's rule: one that would overlap
a kept session is refused, naming both, and nothing is imported. The whole import is one
transaction; files are written only when the database part succeeded, and never replace a file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from studytui import __version__
from studytui.core.config import parse_settings
from studytui.core.context import AppContext
from studytui.core.curriculum.loader import parse_curriculum
from studytui.core.decks.cards import (
    KIND_BASIC,
    KIND_BASIC_REV,
    KIND_CLOZE,
    KIND_CONCEPT,
    KIND_CONCEPT_REV,
    KIND_USER,
)
from studytui.core.decks.sync import ORIGIN_CURRICULUM, ORIGIN_FILE, ORIGIN_USER
from studytui.core.errors import ArgumentError, ConflictError, InputError, Problem
from studytui.core.jsondoc import load_json_file
from studytui.core.records import SessionFacts, card_problems, session_problems, time_problems
from studytui.core.services.overlaps import Span, against_stored, within_batch
from studytui.core.services.session_log import SessionSource, SessionStatus
from studytui.core.services.watson import looks_like_frames
from studytui.core.storage.backup import fsync_dir
from studytui.core.storage.migrations import LATEST_VERSION
from studytui.core.storage.models import (
    Card,
    ChecklistEvent,
    Deck,
    ReviewLog,
    SchedulerParams,
    StudySession,
    TopicStatusEvent,
)
from studytui.core.tags import normalize_tags, tags_column, tags_of
from studytui.core.timezone import valid_zone
from studytui.core.validate import SLUG, Checker
from studytui.core.yamldoc import Located, PathKey, load_yaml, read_text

FORMAT = "studytui-export"
VERSION = 1
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.ya?ml$")
FOLDERS = ("curriculum", "decks")
MAX_TEXT = 200_000
MAX_INT = 2**53
OPEN_STATUSES = ("running", "paused")
CARD_KINDS = (KIND_CONCEPT, KIND_CONCEPT_REV, KIND_CLOZE, KIND_BASIC, KIND_BASIC_REV, KIND_USER)
SETTINGS_MODES = ("auto", "replace", "keep")


# -- values -------------------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    """UTC instants as ``2026-11-21T09:00:00.123456Z`` (microseconds kept, so nothing rounds)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# Field kinds of a record: (name, kind, required). Kinds end in "?" when null is allowed.
Spec = tuple[tuple[str, str, bool], ...]

TOPIC_EVENT: Spec = (("topic", "id", True), ("status", "status", True), ("at", "time", True))
CHECKLIST_EVENT: Spec = (
    ("curriculum", "id", True), ("list", "text", True), ("item", "text", True),
    ("done", "bool", True), ("at", "time", True),
)  # fmt: skip
SESSION: Spec = (
    ("category", "category", True), ("topic", "id?", False), ("curriculum", "id?", False),
    ("note", "text?", False), ("source", "session-source", True),
    ("status", "session-status", True), ("started_at", "time", True), ("timezone", "zone?", False),
    ("planned_seconds", "count?", False), ("ended_at", "time?", False),
    ("paused_seconds", "count", True), ("paused_at", "time?", False),
    ("heartbeat_at", "time?", False), ("deleted_at", "time?", False),
    ("external_id", "text?", False), ("tags", "session-tags?", False),
    ("started_via", "started-via?", False), ("detached_at", "time?", False),
)  # fmt: skip
DECK: Spec = (("name", "text", True), ("topic", "id?", False), ("title", "text", True))
CARD: Spec = (
    ("deck", "text", True), ("key", "text", True), ("kind", "card-kind", True),
    ("front", "text", True), ("back", "text", True), ("tags", "text?", False),
    ("position", "count", True), ("origin", "card-origin", True), ("state", "fsrs-state", True),
    ("step", "count?", False), ("stability", "number?", False),
    ("difficulty", "number?", False), ("due", "time?", False), ("last_review", "time?", False),
    ("suspended", "bool", True), ("buried_until", "date?", False),
    ("retired_at", "time?", False), ("created_at", "time", True), ("edited_at", "time?", False),
)  # fmt: skip
REVIEW_LOG: Spec = (
    ("deck", "text", True), ("key", "text", True), ("rating", "rating", True),
    ("reviewed_at", "time", True), ("duration_ms", "count?", False),
    ("state_before", "fsrs-state", True), ("state_after", "fsrs-state", True),
    ("card_before", "json", True), ("due_after", "time?", False),
)  # fmt: skip
SCHEDULER_PARAMS: Spec = (
    ("fitted_at", "time", True), ("parameters", "json", True), ("reviews_used", "count", True),
    ("loss_before", "number?", False), ("loss_after", "number?", False),
    ("preset", "id?", False),
)  # fmt: skip
FILE_ENTRY: Spec = (("folder", "folder", True), ("name", "file-name", True), ("text", "text", True))

SECTIONS: dict[str, Spec] = {
    "topic_status_events": TOPIC_EVENT,
    "checklist_events": CHECKLIST_EVENT,
    "sessions": SESSION,
    "decks": DECK,
    "cards": CARD,
    "review_logs": REVIEW_LOG,
    "scheduler_params": SCHEDULER_PARAMS,
    "files": FILE_ENTRY,
}


@dataclass
class ImportReport:
    """What an import added, per section, and what it kept as it was."""

    added: Counter[str] = field(default_factory=Counter)
    already: Counter[str] = field(default_factory=Counter)
    cards_updated: int = 0
    files_written: list[Path] = field(default_factory=list)
    files_kept: list[Path] = field(default_factory=list)
    settings: str = "kept"  # kept | replaced | unchanged
    settings_copy: Path | None = None

    def lines(self) -> list[str]:
        out = []
        for section in SECTIONS:
            if section == "files":
                continue
            a, b = self.added[section], self.already[section]
            if a or b:
                out.append(f"{section.replace('_', ' ')}: {a} added, {b} already there")
        if self.cards_updated:
            out.append(f"cards updated with newer state or text: {self.cards_updated}")
        out.extend(f"wrote {p}" for p in self.files_written)
        out.extend(
            f"kept your {p} (it differs from the one in the export)" for p in self.files_kept
        )
        if self.settings == "replaced":
            copy = f"; your old config is in {self.settings_copy}" if self.settings_copy else ""
            out.append(f"settings: config.yaml replaced by the exported one{copy}")
        elif self.settings == "kept":
            out.append(
                "settings: your config.yaml was kept (use --settings replace to take the "
                "exported one)"
            )
        return out


# -- reading a document ---------------------------------------------------------------------------

WATSON_HINT = "this looks like a Watson frames file; import it with --format watson"


class _Reader(Checker):
    """Validates an export document into plain records, collecting every problem, by the same
    record rules (``core/records.py``) as the app's own writes."""

    def __init__(self, doc: Located, now: datetime | None) -> None:
        super().__init__(doc)
        self.now = now

    def read(self) -> dict[str, Any]:
        if looks_like_frames(self.doc.data):
            raise InputError.single(self.doc.file, None, "", WATSON_HINT)
        top = self.mapping(
            self.doc.data,
            (),
            required=("format", "version"),
            optional=("schema", "exported_at", "app_version", "settings", *SECTIONS),
        )
        if top is None:
            self.raise_if_any()
            raise AssertionError("unreachable")
        if top.get("format") != FORMAT:
            self.error(("format",), f"not a studytui export (expected format '{FORMAT}')")
            self.raise_if_any()
        version = top.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.error(("version",), "expected a whole number")
        elif version > VERSION:
            self.error(
                ("version",),
                f"written by a newer studytui (export version {version}; this version reads "
                f"up to {VERSION}); upgrade studytui to import it",
            )
        self.raise_if_any()
        out: dict[str, Any] = {}
        settings = top.get("settings")
        out["settings"] = self._settings(settings) if settings is not None else None
        for section, spec in SECTIONS.items():
            out[section] = [
                r
                for i, item in enumerate(self.items(top, section, ()))
                if (r := self._record(item, (section, i), spec)) is not None
            ]
        self._cross_check(out)
        self.raise_if_any()
        return out

    def _settings(self, raw: Any) -> dict[str, Any] | None:
        m = self.mapping(raw, ("settings",), optional=("config_yaml",))
        if m is None:
            return None
        value = m.get("config_yaml")
        if value is not None and not isinstance(value, str):
            self.error(("settings", "config_yaml"), "expected the text of config.yaml")
            return None
        if isinstance(value, str):
            try:
                parse_settings(load_yaml(value, "config.yaml"))
            except InputError as exc:
                first = exc.problems[0]
                where = f"line {first.line}: " if first.line else ""
                self.error(
                    ("settings", "config_yaml"),
                    f"the exported config.yaml is invalid ({where}{first.field}: {first.message})",
                )
                return None
        return {"config_yaml": value}

    def _record(self, item: Any, path: PathKey, spec: Spec) -> dict[str, Any] | None:
        required = [name for name, _, req in spec if req]
        optional = [name for name, _, req in spec if not req]
        before = len(self.problems)
        m = self.mapping(item, path, required=required, optional=optional)
        if m is None:
            return None
        out: dict[str, Any] = {}
        for name, kind, _ in spec:
            if name in m:
                out[name] = self._value(m[name], (*path, name), kind)
            else:
                out[name] = None
        return out if len(self.problems) == before else None

    def _value(self, value: Any, path: PathKey, kind: str) -> Any:
        nullable = kind.endswith("?")
        kind = kind.rstrip("?")
        if value is None:
            if not nullable:
                self.error(path, "must not be null")
            return None
        checker = _KINDS[kind]
        try:
            return checker(value)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def _cross_check(self, out: dict[str, Any]) -> None:
        decks = {d["name"] for d in out["decks"]}
        self._unique(out["decks"], "decks", lambda d: d["name"], "deck")
        self._unique(out["cards"], "cards", lambda c: (c["deck"], c["key"]), "card")
        self._unique(out["files"], "files", lambda f: (f["folder"], f["name"]), "file")
        cards = {(c["deck"], c["key"]) for c in out["cards"]}
        for i, c in enumerate(out["cards"]):
            if c["deck"] not in decks:
                self.error(("cards", i, "deck"), f"no deck '{c['deck']}' in decks")
        for i, log in enumerate(out["review_logs"]):
            if (log["deck"], log["key"]) not in cards:
                self.error(("review_logs", i, "key"), f"no card '{log['key']}' in cards")
        first_with: dict[str, int] = {}
        for i, s in enumerate(out["sessions"]):
            ext = s["external_id"]
            if ext is not None and first_with.setdefault(ext, i) != i:
                where = f"sessions[{first_with[ext]}]"
                self.error(
                    ("sessions", i, "external_id"), f"duplicate external_id {ext!r} ({where})"
                )
        for i, s in enumerate(out["sessions"]):
            facts = SessionFacts(
                s["status"], s["started_at"], s["ended_at"], s["paused_seconds"],
                s["paused_at"], s["deleted_at"],
            )  # fmt: skip
            for name, message in session_problems(facts, self.now):
                self.error(("sessions", i, name), message)
        for i, c in enumerate(out["cards"]):
            for name, message in card_problems(c["stability"], c["difficulty"], c["step"]):
                self.error(("cards", i, name), message)
            for name in ("due", "last_review", "created_at", "edited_at"):
                for field_name, message in time_problems(name, c[name], None):
                    self.error(("cards", i, field_name), message)
        for i, log in enumerate(out["review_logs"]):
            for name, message in time_problems("reviewed_at", log["reviewed_at"], self.now):
                self.error(("review_logs", i, name), message)

    def _unique(self, records: list[dict[str, Any]], section: str, key: Any, what: str) -> None:
        seen: set[Any] = set()
        for i, r in enumerate(records):
            k = key(r)
            if k in seen:
                self.error((section, i), f"duplicate {what} {k!r}")
            seen.add(k)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_type(value)}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"too long ({len(value)} characters, at most {MAX_TEXT})")
    return str(value)


def _id(raw: Any) -> str:
    value = _text(raw)
    if not SLUG.match(value) or len(value) > 200:
        raise ValueError(f"'{value[:80]}' is not an id: use a-z, 0-9 and '-'")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_type(value)}")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {_type(value)}")
    if not 0 <= value <= MAX_INT:
        raise ValueError(f"{value} is out of range; allowed: 0 to {MAX_INT}")
    return value


def _ranged(lo: int, hi: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ValueError(f"expected a whole number from {lo} to {hi}")
        return value

    return check


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {_type(value)}")
    if not -1e12 <= value <= 1e12:
        raise ValueError(f"{value} is out of range")
    return float(value)


def _time(value: Any) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("expected a time such as 2026-11-21T09:00:00Z")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a time such as 2026-11-21T09:00:00Z") from None
    if parsed.tzinfo is None:
        raise ValueError(f"'{value}' has no time zone; write it in UTC with a Z")
    return parsed.astimezone(UTC)


def _date(value: Any) -> date:
    if not isinstance(value, str) or len(value) > 10:
        raise ValueError("expected a date such as 2026-11-21")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date such as 2026-11-21") from None


def _json_text(raw: Any) -> str:
    value = _text(raw)
    try:
        json.loads(value)
    except ValueError:
        raise ValueError("expected JSON text") from None
    return value


def _one_of(allowed: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"'{str(value)[:80]}'; allowed: {', '.join(allowed)}")
        return str(value)

    return check


def _zone(raw: Any) -> str:
    value = _text(raw)
    if not valid_zone(value):
        raise ValueError(f"'{value[:80]}' is not an IANA time zone such as Europe/Berlin")
    return value


def _file_name(raw: Any) -> str:
    value = _text(raw)
    if not FILE_NAME.match(value):
        raise ValueError(
            f"'{value[:80]}' is not a plain file name ending in .yaml (no folders, no '..')"
        )
    return value


def _session_tags(value: Any) -> str:
    """A list of tags, each as ``studytui log … +TAG`` takes it; stored as the column text."""
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValueError('expected a list of tags such as ["paper", "reading"]')
    try:
        return tags_column(normalize_tags(value))
    except ArgumentError as exc:
        raise ValueError(str(exc)) from None


def _type(value: Any) -> str:
    return {
        dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
        float: "a number", type(None): "null",
    }.get(type(value), type(value).__name__)  # fmt: skip


_KINDS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "id": _id,
    "bool": _bool,
    "count": _count,
    "number": _number,
    "time": _time,
    "date": _date,
    "json": _json_text,
    "rating": _ranged(1, 4),
    "fsrs-state": _ranged(0, 3),
    "status": _one_of(("pending", "learning", "done", "skipped")),
    "category": _one_of(("hands-on", "theory", "community")),
    "folder": _one_of(FOLDERS),
    "file-name": _file_name,
    "session-status": _one_of(tuple(v.value for v in SessionStatus)),
    "session-source": _one_of(tuple(v.value for v in SessionSource)),
    "card-kind": _one_of(CARD_KINDS),
    "card-origin": _one_of((ORIGIN_FILE, ORIGIN_CURRICULUM, ORIGIN_USER)),
    "zone": _zone,
    "session-tags": _session_tags,
    "started-via": _one_of(("app", "cli")),
}


def read_export(path: Path, now: datetime | None = None) -> tuple[Located, dict[str, Any]]:
    """The document and its records; with ``now``, records in the future are refused too."""
    doc = load_json_file(path)
    return doc, _Reader(doc, now).read()


# -- the service ---------------------------------------------------------------------------------


class TransferService:
    """``studytui export`` and ``studytui import``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- export ---------------------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """Everything the user made, as one JSON-ready document (one consistent snapshot)."""
        with self.ctx.db.read() as s:
            decks = {d.id: d for d in s.scalars(select(Deck))}
            cards = {c.id: c for c in s.scalars(select(Card))}
            doc: dict[str, Any] = {
                "format": FORMAT,
                "version": VERSION,
                "schema": LATEST_VERSION,
                "exported_at": iso(self.ctx.clock.now()),
                "app_version": __version__,
                "settings": {"config_yaml": self._config_text()},
                "topic_status_events": [
                    {"topic": e.topic_id, "status": e.status, "at": iso(e.at)}
                    for e in s.scalars(
                        select(TopicStatusEvent).order_by(TopicStatusEvent.at, TopicStatusEvent.id)
                    )
                ],
                "checklist_events": [
                    {
                        "curriculum": e.curriculum_id,
                        "list": e.list_id,
                        "item": e.item,
                        "done": bool(e.done),
                        "at": iso(e.at),
                    }
                    for e in s.scalars(
                        select(ChecklistEvent).order_by(ChecklistEvent.at, ChecklistEvent.id)
                    )
                ],
                "sessions": [
                    _session_json(r)
                    for r in s.scalars(
                        select(StudySession).order_by(StudySession.started_at, StudySession.id)
                    )
                ],
                "decks": [
                    {"name": d.name, "topic": d.topic_id, "title": d.title}
                    for d in sorted(decks.values(), key=lambda d: d.name)
                ],
                "cards": [
                    _card_json(c, decks[c.deck_id].name)
                    for c in sorted(cards.values(), key=lambda c: (decks[c.deck_id].name, c.key))
                ],
                "review_logs": [
                    _review_json(r, decks[cards[r.card_id].deck_id].name, cards[r.card_id].key)
                    for r in sorted(
                        s.scalars(select(ReviewLog)),
                        key=lambda r: (
                            r.reviewed_at,
                            decks[cards[r.card_id].deck_id].name,
                            cards[r.card_id].key,
                            r.id,
                        ),
                    )
                ],
                "scheduler_params": [
                    {
                        "fitted_at": iso(p.fitted_at),
                        "parameters": p.parameters,
                        "reviews_used": p.reviews_used,
                        "loss_before": p.loss_before,
                        "loss_after": p.loss_after,
                        "preset": p.preset,
                    }
                    for p in s.scalars(
                        select(SchedulerParams).order_by(
                            SchedulerParams.fitted_at, SchedulerParams.id
                        )
                    )
                ],
            }
        doc["files"] = self._user_files()
        return doc

    def _config_text(self) -> str | None:
        path = self.ctx.paths.config_file
        return read_text(path) if path.exists() else None

    def _user_files(self) -> list[dict[str, str]]:
        out = []
        for folder, where in zip(
            FOLDERS, (self.ctx.paths.user_curriculum_dir, self.ctx.paths.user_deck_dir), strict=True
        ):
            if not where.is_dir():
                continue
            for p in sorted(where.iterdir()):
                if p.is_file() and FILE_NAME.match(p.name):
                    out.append({"folder": folder, "name": p.name, "text": read_text(p)})
        return out

    def export(self, target: Path, *, force: bool = False) -> Path:
        """Write the document to ``target`` (readable by the user alone), atomically."""
        data = json.dumps(self.document(), ensure_ascii=False, indent=1) + "\n"
        if target.exists() and not force:
            raise ConflictError(f"{target}: file exists; choose a new name or pass --force")
        if target.is_dir():
            raise ConflictError(f"{target}: is a folder")
        write_private(target, data)
        return target

    # -- import ---------------------------------------------------------------------------------

    def import_file(self, path: Path, *, settings: str = "auto") -> ImportReport:
        if settings not in SETTINGS_MODES:
            raise ValueError(settings)
        doc, data = read_export(path, self.ctx.clock.now())
        self._check_embedded_files(doc, data["files"])
        report = ImportReport()
        with self.ctx.db.write() as s:
            fresh = _is_fresh(s)
            self._events(s, data, report)
            self._sessions(s, data["sessions"], doc, report)
            self._cards(s, data, report)
            self._params(s, data["scheduler_params"], report)
        self._write_files(data["files"], report)
        exported = (data["settings"] or {}).get("config_yaml")
        if exported is not None:
            self._settings(exported, settings, fresh, report)
        else:
            report.settings = "unchanged"
        return report

    def _check_embedded_files(self, doc: Located, files: list[dict[str, Any]]) -> None:
        problems: list[Problem] = []
        for i, f in enumerate(files):
            label = f"{f['folder']}/{f['name']}"
            try:
                parsed = load_yaml(f["text"], label)
                if f["folder"] == "curriculum":
                    parse_curriculum(parsed)
                else:
                    from studytui.core.decks.parser import parse_deck

                    parse_deck(parsed)
            except InputError as exc:
                first = exc.problems[0]
                problems.append(
                    doc.problem(("files", i, "text"), f"the embedded file is invalid: {first}")
                )
        if problems:
            raise InputError(problems)

    def _events(self, s: Session, data: dict[str, Any], report: ImportReport) -> None:
        have = Counter(
            (t, st, _utc(at))
            for t, st, at in s.execute(
                select(TopicStatusEvent.topic_id, TopicStatusEvent.status, TopicStatusEvent.at)
            )
        )
        newest = max((k[2] for k in have), default=None)
        out_of_order = False
        for e in data["topic_status_events"]:
            key = (e["topic"], e["status"], e["at"])
            if have[key] > 0:
                have[key] -= 1
                report.already["topic_status_events"] += 1
                continue
            s.add(TopicStatusEvent(topic_id=e["topic"], status=e["status"], at=e["at"]))
            report.added["topic_status_events"] += 1
            out_of_order |= newest is not None and e["at"] < newest
        have_c = Counter(
            (c, li, it, bool(d), _utc(at))
            for c, li, it, d, at in s.execute(
                select(
                    ChecklistEvent.curriculum_id, ChecklistEvent.list_id, ChecklistEvent.item,
                    ChecklistEvent.done, ChecklistEvent.at,
                )
            )
        )  # fmt: skip
        newest_c = max((k[4] for k in have_c), default=None)
        out_of_order_c = False
        for e in data["checklist_events"]:
            key_c = (e["curriculum"], e["list"], e["item"], e["done"], e["at"])
            if have_c[key_c] > 0:
                have_c[key_c] -= 1
                report.already["checklist_events"] += 1
                continue
            s.add(
                ChecklistEvent(
                    curriculum_id=e["curriculum"], list_id=e["list"], item=e["item"],
                    done=e["done"], at=e["at"],
                )
            )  # fmt: skip
            report.added["checklist_events"] += 1
            out_of_order_c |= newest_c is not None and e["at"] < newest_c
        s.flush()
        # The latest event (by id) is a topic's status: keep id order = time order.
        if out_of_order:
            _renumber(s, "topic_status_event", ("topic_id", "status", "at"))
        if out_of_order_c:
            _renumber(s, "checklist_event", ("curriculum_id", "list_id", "item", "done", "at"))

    def _sessions(
        self, s: Session, sessions: list[dict[str, Any]], doc: Located, report: ImportReport
    ) -> None:
        """Add the sessions not already here, refusing the whole file if any would overlap a kept
        session (stored or in the file): one sorted sweep and one range query, then one insert."""
        have: Counter[tuple[Any, ...]] = Counter()
        open_now = False
        for r in s.execute(
            select(StudySession.external_id, StudySession.started_at, StudySession.category,
                   StudySession.status)
        ):  # fmt: skip
            have[_session_key(r.external_id, r.started_at, r.category)] += 1
            open_now |= r.status in OPEN_STATUSES
        problems: list[Problem] = []
        now = self.ctx.clock.now()
        new: list[tuple[int, dict[str, Any]]] = []
        spans: list[Span] = []
        for i, rec in enumerate(sessions):
            key = _session_key(rec["external_id"], rec["started_at"], rec["category"])
            if have[key] > 0:
                have[key] -= 1
                report.already["sessions"] += 1
                continue
            if rec["status"] in OPEN_STATUSES:
                if open_now:
                    problems.append(
                        doc.problem(
                            ("sessions", i),
                            "a running timer session, but a timer is already running here",
                        )
                    )
                    continue
                open_now = True
            new.append((i, rec))
            if rec["deleted_at"] is None and rec["status"] != "cancelled":
                end = rec["ended_at"] or now
                spans.append(Span(i, rec["started_at"], max(end, rec["started_at"])))
        for span, other in within_batch(spans):
            line = doc.line(("sessions", other.index))
            problems.append(
                doc.problem(
                    ("sessions", span.index),
                    f"overlaps sessions[{other.index}] (line {line}) of the same file",
                )
            )
        for index, other_text in sorted(against_stored(self.ctx, s, spans).items()):
            problems.append(doc.problem(("sessions", index), f"overlaps {other_text}"))
        if problems:
            problems.sort(key=lambda p: p.line or 0)
            raise InputError([*problems, Problem(doc.file, None, "", "nothing was imported")])
        if new:
            s.execute(insert(StudySession), [_session_values(rec) for _, rec in new])
        report.added["sessions"] += len(new)

    def _cards(self, s: Session, data: dict[str, Any], report: ImportReport) -> None:
        decks = {d.name: d for d in s.scalars(select(Deck))}
        for d in data["decks"]:
            if d["name"] in decks:
                report.already["decks"] += 1
                continue
            deck = Deck(name=d["name"], topic_id=d["topic"], title=d["title"])
            s.add(deck)
            decks[d["name"]] = deck
            report.added["decks"] += 1
        s.flush()
        by_deck = {deck.id: name for name, deck in decks.items()}
        cards = {(by_deck[c.deck_id], c.key): c for c in s.scalars(select(Card))}
        new_rows: list[dict[str, Any]] = []
        for rec in data["cards"]:
            card = cards.get((rec["deck"], rec["key"]))
            if card is None:
                new_rows.append(_card_row(rec, decks[rec["deck"]].id))
                report.added["cards"] += 1
                continue
            report.already["cards"] += 1
            if _merge_card(card, rec):
                report.cards_updated += 1
        s.flush()
        if new_rows:  # a bulk insert: an import into a new home adds thousands of cards
            s.execute(insert(Card), new_rows)
        ids = {
            (by_deck[deck_id], key): card_id
            for card_id, deck_id, key in s.execute(select(Card.id, Card.deck_id, Card.key))
        }
        have = Counter(
            (card_id, _utc(at))
            for card_id, at in s.execute(select(ReviewLog.card_id, ReviewLog.reviewed_at))
        )
        logs: list[dict[str, Any]] = []
        for rec in data["review_logs"]:
            card_id = ids[(rec["deck"], rec["key"])]
            k = (card_id, rec["reviewed_at"])
            if have[k] > 0:
                have[k] -= 1
                report.already["review_logs"] += 1
                continue
            logs.append(
                {
                    "card_id": card_id,
                    **{f: rec[f] for f in REVIEW_FIELDS},
                }
            )
            report.added["review_logs"] += 1
        if logs:
            s.execute(insert(ReviewLog), logs)

    def _params(self, s: Session, params: list[dict[str, Any]], report: ImportReport) -> None:
        have = Counter(_utc(at) for at in s.scalars(select(SchedulerParams.fitted_at)))
        for p in params:
            if have[p["fitted_at"]] > 0:
                have[p["fitted_at"]] -= 1
                report.already["scheduler_params"] += 1
                continue
            s.add(
                SchedulerParams(
                    fitted_at=p["fitted_at"], parameters=p["parameters"],
                    reviews_used=p["reviews_used"], loss_before=p["loss_before"],
                    loss_after=p["loss_after"], preset=p.get("preset"),
                )
            )  # fmt: skip
            report.added["scheduler_params"] += 1

    def _write_files(self, files: list[dict[str, Any]], report: ImportReport) -> None:
        folders = {
            "curriculum": self.ctx.paths.user_curriculum_dir,
            "decks": self.ctx.paths.user_deck_dir,
        }
        for f in files:
            folder = folders[f["folder"]]
            target = safe_child(folder, f["name"])
            if target.exists() or target.is_symlink():
                same = target.is_file() and _read_or_none(target) == f["text"]
                if not same:
                    report.files_kept.append(target)
                continue
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(
                    target,
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                    0o600,
                )
            except FileExistsError:
                report.files_kept.append(target)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f["text"])
                fh.flush()
                os.fsync(fh.fileno())
            report.files_written.append(target)

    def _settings(self, exported: str, mode: str, fresh: bool, report: ImportReport) -> None:
        path = self.ctx.paths.config_file
        current = _read_or_none(path)
        if current == exported:
            report.settings = "unchanged"
            return
        if mode == "keep" or (mode == "auto" and not fresh):
            report.settings = "kept"
            return
        if current is not None:
            stamp = self.ctx.clock.now().strftime("%Y%m%dT%H%M%SZ")
            copy = path.with_name(f"config.yaml.before-import-{stamp}")
            n = 2
            while copy.exists():
                copy = path.with_name(f"config.yaml.before-import-{stamp}-{n}")
                n += 1
            write_private(copy, current)
            report.settings_copy = copy
        write_private(path, exported)
        report.settings = "replaced"
        self.ctx.reload_settings()


# -- helpers --------------------------------------------------------------------------------------


def safe_child(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain file name; anything that would leave ``folder`` is refused."""
    if not FILE_NAME.match(name) or Path(name).name != name:
        raise InputError.single(name, None, "", "not a plain file name")
    target = folder / name
    if target.parent.resolve() != folder.resolve():
        raise InputError.single(name, None, "", "would be written outside its folder")
    return target


def write_private(path: Path, content: str) -> None:
    """Write a text file atomically (temp file, fsync, rename), mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _read_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _is_fresh(s: Session) -> bool:
    """No progress, no sessions, no reviews: a new home."""
    for model in (TopicStatusEvent, ChecklistEvent, StudySession, ReviewLog):
        if s.scalar(select(func.count()).select_from(model)):
            return False
    return True


def _renumber(s: Session, table: str, columns: tuple[str, ...]) -> None:
    """Rewrite ``table`` so its ids follow time order (ties keep their old order)."""
    cols = ", ".join(columns)
    rows = s.execute(text(f"SELECT {cols} FROM {table} ORDER BY at, id")).all()
    s.execute(text(f"DELETE FROM {table}"))
    marks = ", ".join(f":{c}" for c in columns)
    if rows:
        s.execute(
            text(f"INSERT INTO {table} ({cols}) VALUES ({marks})"),
            [dict(zip(columns, r, strict=True)) for r in rows],
        )


def _session_key(external_id: str | None, started_at: datetime, category: str) -> tuple[Any, ...]:
    if external_id:
        return ("external", external_id)
    return ("start", _utc(started_at), category)


def _session_json(r: StudySession) -> dict[str, Any]:
    return {
        "category": r.category, "topic": r.topic_id, "curriculum": r.curriculum_id,
        "note": r.note, "source": r.source, "status": r.status,
        "started_at": iso(r.started_at), "timezone": r.timezone,
        "planned_seconds": r.planned_seconds, "ended_at": iso(r.ended_at),
        "paused_seconds": r.paused_seconds, "paused_at": iso(r.paused_at),
        "heartbeat_at": iso(r.heartbeat_at), "deleted_at": iso(r.deleted_at),
        "external_id": r.external_id, "tags": list(tags_of(r.tags)),
        "started_via": r.started_via, "detached_at": iso(r.detached_at),
    }  # fmt: skip


def _session_values(rec: dict[str, Any]) -> dict[str, Any]:
    """A ``study_session`` row's values, for one bulk insert of a whole import."""
    return dict(
        category=rec["category"], topic_id=rec["topic"], curriculum_id=rec["curriculum"],
        note=rec["note"], source=rec["source"], status=rec["status"],
        started_at=rec["started_at"], timezone=rec["timezone"],
        planned_seconds=rec["planned_seconds"], ended_at=rec["ended_at"],
        paused_seconds=rec["paused_seconds"], paused_at=rec["paused_at"],
        heartbeat_at=rec["heartbeat_at"], deleted_at=rec["deleted_at"],
        external_id=rec["external_id"], tags=rec["tags"] or "",
        started_via=rec["started_via"], detached_at=rec["detached_at"],
    )  # fmt: skip


def _card_json(c: Card, deck: str) -> dict[str, Any]:
    return {
        "deck": deck, "key": c.key, "kind": c.kind, "front": c.front, "back": c.back,
        "tags": c.tags, "position": c.position, "origin": c.origin, "state": c.state,
        "step": c.step, "stability": c.stability, "difficulty": c.difficulty,
        "due": iso(c.due), "last_review": iso(c.last_review), "suspended": bool(c.suspended),
        "buried_until": _day(c.buried_until), "retired_at": iso(c.retired_at),
        "created_at": iso(c.created_at), "edited_at": iso(c.edited_at),
    }  # fmt: skip


def _review_json(r: ReviewLog, deck: str, key: str) -> dict[str, Any]:
    return {
        "deck": deck,
        "key": key,
        "rating": r.rating,
        "reviewed_at": iso(r.reviewed_at),
        "duration_ms": r.duration_ms,
        "state_before": r.state_before,
        "state_after": r.state_after,
        "card_before": r.card_before,
        "due_after": iso(r.due_after),
    }


CARD_FIELDS = (
    "key", "kind", "front", "back", "position", "origin", "state", "step", "stability",
    "difficulty", "due", "last_review", "suspended", "buried_until", "retired_at",
    "created_at", "edited_at",
)  # fmt: skip
REVIEW_FIELDS = (
    "rating", "reviewed_at", "duration_ms", "state_before", "state_after", "card_before",
    "due_after",
)  # fmt: skip


def _card_row(rec: dict[str, Any], deck_id: int) -> dict[str, Any]:
    return {"deck_id": deck_id, "tags": rec["tags"] or "", **{f: rec[f] for f in CARD_FIELDS}}


def _later(a: datetime | None, b: datetime | None) -> bool:
    """``a`` is strictly later than ``b`` (no time is earlier than any time)."""
    if a is None:
        return False
    return b is None or _utc(a) > _utc(b)


def _merge_card(card: Card, rec: dict[str, Any]) -> bool:
    changed = False
    if _later(rec["last_review"], card.last_review):
        card.state, card.step = rec["state"], rec["step"]
        card.stability, card.difficulty = rec["stability"], rec["difficulty"]
        card.due, card.last_review = rec["due"], rec["last_review"]
        changed = True
    if _later(rec["edited_at"], card.edited_at):
        card.front, card.back, card.edited_at = rec["front"], rec["back"], rec["edited_at"]
        changed = True
    if rec["suspended"] and not card.suspended:
        card.suspended = True
        changed = True
    if rec["buried_until"] is not None and (
        card.buried_until is None or rec["buried_until"] > card.buried_until
    ):
        card.buried_until = rec["buried_until"]
        changed = True
    if _utc(rec["created_at"]) < _utc(card.created_at):
        card.created_at = rec["created_at"]
        changed = True
    return changed


__all__ = ["FORMAT", "VERSION", "ImportReport", "TransferService", "read_export", "safe_child"]
