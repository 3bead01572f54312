"""Importing a Watson time log (its ``frames`` file) into the time log.

Watson (https://github.com/TailorDev/Watson) keeps its frames as a JSON list of
``[start, stop, project, id, tags, updated_at]`` with Unix timestamps (older versions write only
the first four; some forks add a message). Each frame becomes a completed, manually logged study
session with ``external_id = "watson:<id>"``, so importing the same file again adds nothing.

The category comes from a tag (``hands-on``, ``theory``, ``community``), else from
``--map PROJECT=CATEGORY``, else from ``--category``; a frame without one is an error. A project or
tag that is a topic id of the active curriculum becomes the session's topic. Frames follow the time
log's rule: a frame that overlaps another frame or a kept session is refused with a message naming
both, and nothing is imported. Frames are never trimmed or merged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.errors import InputError, Problem, StudyError
from studytui.core.jsondoc import load_json_file
from studytui.core.records import SessionFacts, session_problems
from studytui.core.services.overlaps import Span, against_stored
from studytui.core.storage.models import StudySession
from studytui.core.yamldoc import Located, PathKey

EXTERNAL_PREFIX = "watson:"
MAX_FRAME = timedelta(hours=24)
MAX_TEXT = 2_000
# Unix seconds from 1970 up to the year 9999.
MAX_TIMESTAMP = 253_402_300_799
CATEGORY_TAGS = {
    "hands-on": Category.HANDS_ON,
    "handson": Category.HANDS_ON,
    "hands_on": Category.HANDS_ON,
    "theory": Category.THEORY,
    "community": Category.COMMUNITY,
}


@dataclass(frozen=True)
class Frame:
    index: int
    start: datetime
    stop: datetime
    project: str
    id: str
    tags: tuple[str, ...]
    message: str | None

    @property
    def external_id(self) -> str:
        return EXTERNAL_PREFIX + self.id

    def describe(self) -> str:
        tags = "".join(f" +{t}" for t in self.tags)
        return (
            f"frame {self.id[:7]} ({self.project}{tags}, "
            f"{self.start:%Y-%m-%d %H:%M}–{self.stop:%H:%M} UTC)"
        )


@dataclass
class WatsonReport:
    added: int = 0
    already: int = 0
    minutes: float = 0.0
    by_category: dict[str, float] = field(default_factory=dict)


def _type(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number"}
    if value is None:
        return "nothing (null)"
    return names.get(type(value), "a number" if isinstance(value, float) else "a value")


def looks_like_frames(data: Any) -> bool:
    """Whether a JSON document has the shape of Watson's frames file: a list of lists, one
    ``[start, stop, project, id, …]`` among them (so an export can say which ``--format``)."""
    if not isinstance(data, list) or not data or not all(isinstance(f, list) for f in data):
        return False
    return any(
        4 <= len(f) <= 7
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in f[:2])
        for f in data
    )


class _FrameReader:
    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, path: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def read(self) -> list[Frame]:
        data = self.doc.data
        if not isinstance(data, list):
            self.error(
                (), f"expected Watson's frames file (a JSON list of frames), got {_type(data)}"
            )
            raise InputError(self.problems)
        frames: list[Frame] = []
        seen: dict[str, int] = {}
        for i, raw in enumerate(data):
            frame = self._frame(raw, i)
            if frame is None:
                continue
            if frame.id in seen:
                self.error(
                    (i, 3), f"duplicate frame id '{frame.id}' (also frame [{seen[frame.id]}])"
                )
                continue
            seen[frame.id] = i
            frames.append(frame)
        if self.problems:
            raise InputError(self.problems)
        return frames

    def _frame(self, raw: Any, i: int) -> Frame | None:
        if not isinstance(raw, list) or not 4 <= len(raw) <= 7:
            shown = f"a list of {len(raw)} values" if isinstance(raw, list) else _type(raw)
            self.error(
                (i,), f"a frame is [start, stop, project, id, tags, updated_at]; got {shown}"
            )
            return None
        before = len(self.problems)
        start = self._time(raw[0], (i, 0), "start")
        stop = self._time(raw[1], (i, 1), "stop")
        project = self._text(raw[2], (i, 2), "project")
        frame_id = self._text(raw[3], (i, 3), "id")
        tags: list[str] = []
        if len(raw) > 4 and raw[4] is not None:
            if not isinstance(raw[4], list):
                self.error((i, 4), f"tags: expected a list of text, got {_type(raw[4])}")
            else:
                for j, tag in enumerate(raw[4]):
                    text = self._text(tag, (i, 4, j), "tag")
                    if text is not None:
                        tags.append(text)
        if len(raw) > 5 and raw[5] is not None:
            self._time(raw[5], (i, 5), "updated_at")
        message = None
        if len(raw) > 6 and raw[6] is not None:
            message = self._text(raw[6], (i, 6), "message", allow_empty=True)
        if len(self.problems) > before:
            return None
        if start is None or stop is None or project is None or frame_id is None:
            self.error((i,), "a frame needs a start, a stop, a project and an id")
            return None
        if stop <= start:
            how = "ends when it starts (no time)" if stop == start else "ends before it starts"
            self.error((i, 1), f"stop: the frame {how}")
            return None
        if stop - start > MAX_FRAME:
            hours = (stop - start).total_seconds() / 3600
            self.error(
                (i, 1), f"stop: the frame lasts {hours:.1f} hours; a session lasts at most 24"
            )
            return None
        return Frame(i, start, stop, project, frame_id, tuple(tags), message or None)

    def _time(self, value: Any, path: PathKey, name: str) -> datetime | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"{name}: expected a Unix timestamp (a number), got {_type(value)}")
            return None
        if not math.isfinite(value) or not 0 <= value <= MAX_TIMESTAMP:
            self.error(path, f"{name}: {value} is not a time between 1970 and 9999")
            return None
        return datetime.fromtimestamp(value, UTC)

    def _text(
        self, value: Any, path: PathKey, name: str, *, allow_empty: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.error(path, f"{name}: expected text, got {_type(value)}")
            return None
        text = value.strip()
        if not text and not allow_empty:
            self.error(path, f"{name}: must not be empty")
            return None
        if len(text) > MAX_TEXT:
            self.error(path, f"{name}: too long ({len(text)} characters, at most {MAX_TEXT})")
            return None
        return text


def read_frames(path: Path) -> tuple[Located, list[Frame]]:
    doc = load_json_file(path)
    return doc, _FrameReader(doc).read()


class WatsonImporter:
    """``studytui import --format watson FILE``."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        category: Category | None = None,
        projects: dict[str, Category] | None = None,
    ) -> None:
        self.ctx = ctx
        self.category = category
        self.projects = projects or {}

    def _topics(self) -> set[str]:
        try:
            return {t.id for t in self.ctx.curriculum().topics}
        except StudyError:
            return set()

    def _category(self, frame: Frame, doc: Located, problems: list[Problem]) -> Category | None:
        found = {CATEGORY_TAGS[t.lower()] for t in frame.tags if t.lower() in CATEGORY_TAGS}
        if len(found) > 1:
            names = ", ".join(sorted(c.value for c in found))
            problems.append(doc.problem((frame.index, 4), f"tags: names two categories ({names})"))
            return None
        if found:
            return found.pop()
        if frame.project in self.projects:
            return self.projects[frame.project]
        if self.category is not None:
            return self.category
        problems.append(
            doc.problem(
                (frame.index, 2),
                f"project: no category for '{frame.project}'; tag the frame hands-on, theory or "
                f"community, or pass --map '{frame.project}=CATEGORY' or --category CATEGORY",
            )
        )
        return None

    def import_file(self, path: Path) -> WatsonReport:
        doc, frames = read_frames(path)
        now = self.ctx.clock.now()
        topics = self._topics()
        problems: list[Problem] = []
        planned: list[tuple[Frame, Category]] = []
        for frame in frames:
            category = self._category(frame, doc, problems)
            if frame.stop > now:
                problems.append(doc.problem((frame.index, 1), "stop: the frame ends in the future"))
                continue
            # The rules every stored session follows (core/records.py), as the app applies them.
            facts = SessionFacts("completed", frame.start, frame.stop, 0)
            found = session_problems(facts, now)
            for name, message in found:
                where, label = ((frame.index, 0), "start") if name == "started_at" else (
                    (frame.index, 1), "stop")  # fmt: skip
                problems.append(doc.problem(where, f"{label}: {message}"))
            if found:
                continue
            if category is not None:
                planned.append((frame, category))
        # Frames that overlap each other (sorted by start, each against the latest end so far).
        ordered = sorted(planned, key=lambda p: (p[0].start, p[0].index))
        reach: Frame | None = None
        for frame, _ in ordered:
            if reach is not None and frame.start < reach.stop:
                line = doc.line((reach.index,))
                problems.append(
                    doc.problem(
                        (frame.index,),
                        f"{frame.describe()} overlaps {reach.describe()} (frame [{reach.index}], "
                        f"line {line}); studytui never trims or merges them: fix one in Watson",
                    )
                )
            if reach is None or frame.stop > reach.stop:
                reach = frame
        if problems:
            raise InputError([*problems, Problem(doc.file, None, "", "nothing was imported")])
        report = WatsonReport()
        with self.ctx.db.write() as s:
            known = set(
                s.scalars(
                    select(StudySession.external_id).where(
                        StudySession.external_id.like(f"{EXTERNAL_PREFIX}%")
                    )
                )
            )
            todo = [(f, c) for f, c in ordered if f.external_id not in known]
            report.already = len(ordered) - len(todo)
            stored = against_stored(self.ctx, s, [Span(f.index, f.start, f.stop) for f, _ in todo])
            for index, other in sorted(stored.items()):
                frame = next(f for f, _ in todo if f.index == index)
                problems.append(
                    doc.problem(
                        (frame.index,),
                        f"{frame.describe()} overlaps {other}; "
                        "studytui never trims or merges sessions",
                    )
                )
            rows: list[dict[str, object]] = []
            for frame, category in todo if not problems else []:
                topic = next((t for t in (frame.project, *frame.tags) if t in topics), None)
                tags = "".join(f" +{t}" for t in frame.tags)
                note = f"watson: {frame.project}{tags}" + (
                    f" — {frame.message}" if frame.message else ""
                )
                seconds = round((frame.stop - frame.start).total_seconds())
                rows.append(
                    dict(
                        category=category.value,
                        topic_id=topic,
                        curriculum_id=self.ctx.settings.curriculum if topic else None,
                        note=note,
                        source="manual",
                        status="completed",
                        started_at=frame.start,
                        timezone=self.ctx.settings.timezone,
                        planned_seconds=seconds,
                        ended_at=frame.stop,
                        paused_seconds=0,
                        external_id=frame.external_id,
                    )
                )
                report.added += 1
                report.minutes += seconds / 60
                report.by_category[category.value] = (
                    report.by_category.get(category.value, 0.0) + seconds / 60
                )
            if rows:
                s.execute(insert(StudySession), rows)
            if problems:
                # Raising inside the unit of work rolls every frame of this import back.
                raise InputError([*problems, Problem(doc.file, None, "", "nothing was imported")])
        return report
