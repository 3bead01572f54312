"""Validate a curriculum YAML document into a Curriculum, reporting every problem with its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from studytui.core.categories import TimeSplit
from studytui.core.curriculum.model import (
    Concept,
    Curriculum,
    Link,
    Milestone,
    Phase,
    Project,
    Resource,
    Section,
    SectionItem,
    Span,
    Subtopic,
    Topic,
    WeekEntry,
)
from studytui.core.errors import InputError
from studytui.core.validate import Checker
from studytui.core.yamldoc import Located, PathKey, load_yaml_file

SCHEMA_VERSION = 1
MAX_WEEK = 520
SPAN_RE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")
RESOURCE_KINDS = (
    "course", "book", "video", "paper", "docs", "tutorial", "practice", "library", "platform",
    "tool", "community", "newsletter", "podcast", "blog", "other",
)  # fmt: skip
PROJECT_LEVELS = ("beginner", "intermediate", "advanced", "checkpoint", "portfolio")
RESOURCE_TEXT_KEYS = (
    "kind", "by", "url", "alternatives", "task", "focus", "outcome", "difficulty", "hands_on",
    "recommendation", "notes",
)  # fmt: skip


def load_curriculum_file(path: Path, origin: str = "user", label: str | None = None) -> Curriculum:
    """Load and validate one curriculum file; raises InputError listing every problem."""
    doc = load_yaml_file(path, label)
    return parse_curriculum(doc, origin=origin, path=str(path))


def parse_curriculum(doc: Located, origin: str = "user", path: str = "") -> Curriculum:
    return _CurriculumReader(doc).read(origin, path)


class _CurriculumReader(Checker):
    def read(self, origin: str, path: str) -> Curriculum:
        top = self.mapping(
            self.doc.data,
            (),
            required=("schema", "id", "title", "phases", "topics"),
            optional=(
                "summary", "source_duration", "week_rule", "time_split", "projects",
                "milestones", "success_metrics", "reference",
            ),
        )  # fmt: skip
        if top is None:
            self.raise_if_any()
            raise AssertionError("unreachable")
        schema = top.get("schema")
        if "schema" in top and schema != SCHEMA_VERSION:
            self.error(("schema",), f"unsupported schema {schema!r}; allowed: {SCHEMA_VERSION}")
        cid = self.slug(top, "id", ())
        title = self.text(top, "title", (), required=True)
        topics = self._topics(top)
        topic_ids = {t.id for t in topics}
        projects = self._projects(top, topic_ids)
        project_ids = {p.id for p in projects}
        phases = self._phases(top, topic_ids, project_ids)
        milestones = self._milestones(top, phases)
        reference = tuple(
            s
            for i, item in enumerate(self.items(top, "reference", ()))
            if (s := self._section(item, ("reference", i))) is not None
        )
        self._unique([s.id for s in reference], ("reference",), "section id")
        split = self._split(top)
        if cid is None or title is None:  # reported above; never an assert on user data
            self.raise_if_any()
            raise InputError.single(self.doc.file, None, "", "a curriculum needs an id and a title")
        self.raise_if_any()
        return Curriculum(
            id=cid,
            title=title,
            phases=phases,
            topics=topics,
            summary=self.text(top, "summary", ()),
            source_duration=self.text(top, "source_duration", ()),
            week_rule=self.text(top, "week_rule", ()),
            time_split=split,
            projects=projects,
            milestones=milestones,
            success_metrics=self.texts(top, "success_metrics", ()),
            reference=reference,
            origin=origin,
            path=path,
        )

    # -- pieces -----------------------------------------------------------------------------

    def span(
        self, m: dict[str, Any], key: str, path: PathKey, *, required: bool = False
    ) -> Span | None:
        """A week or range; a required one left blank (``span:``) is a problem, never None."""
        if key not in m:
            return None
        if m[key] is None:
            if required:
                self.error((*path, key), 'must not be empty; write a week or range such as "1-3"')
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.error((*path, key), 'expected a week number or range such as "1-3"')
            return None
        match = SPAN_RE.match(str(value))
        if not match:
            self.error((*path, key), f"'{value}' is not a week number or range such as \"1-3\"")
            return None
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            self.error((*path, key), f"range '{value}' ends before it starts")
            return None
        if last > MAX_WEEK:
            self.error((*path, key), f"week {last} is out of range; allowed: 0 to {MAX_WEEK}")
            return None
        return Span(first, last)

    def _unique(self, ids: list[str], path: PathKey, what: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.error((*path, i), f"duplicate {what} '{ident}'")
            seen.add(ident)

    def _refs(
        self, m: dict[str, Any], key: str, path: PathKey, known: set[str], what: str
    ) -> tuple[str, ...]:
        refs = self.texts(m, key, path)
        for i, ref in enumerate(refs):
            if ref not in known:
                self.error((*path, key, i), f"unknown {what} '{ref}' (define it under {what}s:)")
        return tuple(r for r in refs if r in known)

    def _split(self, top: dict[str, Any]) -> TimeSplit | None:
        if "time_split" not in top:
            return None
        return self.time_split(top["time_split"], ("time_split",))

    def _resource(self, value: Any, path: PathKey) -> Resource | None:
        m = self.mapping(
            value,
            path,
            required=("title",),
            optional=(*RESOURCE_TEXT_KEYS, "links", "free", "pros", "cons"),
        )
        if m is None:
            return None
        title = self.text(m, "title", path, required=True)
        kind = self.text(m, "kind", path)
        if kind is not None and kind not in RESOURCE_KINDS:
            self.error(
                (*path, "kind"), f"'{kind}' is not a kind; allowed: {', '.join(RESOURCE_KINDS)}"
            )
        links: list[Link] = []
        url = self.text(m, "url", path)
        if url:
            links.append(Link("Link", url))
        for i, item in enumerate(self.items(m, "links", path)):
            lp = (*path, "links", i)
            lm = self.mapping(item, lp, required=("url",), optional=("label",))
            if lm is not None and (link_url := self.text(lm, "url", lp, required=True)):
                links.append(Link(self.text(lm, "label", lp) or "Link", link_url))
        if title is None:
            return None
        t = {k: self.text(m, k, path) for k in RESOURCE_TEXT_KEYS if k != "url"}
        return Resource(
            title=title,
            links=tuple(links),
            free=self.boolean(m, "free", path),
            pros=self.texts(m, "pros", path),
            cons=self.texts(m, "cons", path),
            **t,
        )

    def _resources(self, m: dict[str, Any], path: PathKey) -> tuple[Resource, ...]:
        return tuple(
            r
            for i, item in enumerate(self.items(m, "resources", path))
            if (r := self._resource(item, (*path, "resources", i))) is not None
        )

    def _subtopic(self, value: Any, path: PathKey, depth: int = 0) -> Subtopic | None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return Subtopic(str(value).strip())
        m = self.mapping(value, path, required=("title",), optional=("subtopics",))
        if m is None or depth > 12:
            return None
        title = self.text(m, "title", path, required=True)
        children = tuple(
            s
            for i, item in enumerate(self.items(m, "subtopics", path))
            if (s := self._subtopic(item, (*path, "subtopics", i), depth + 1)) is not None
        )
        return Subtopic(title, children) if title else None

    def _topics(self, top: dict[str, Any]) -> tuple[Topic, ...]:
        topics: list[Topic] = []
        for i, item in enumerate(self.items(top, "topics", ())):
            path: PathKey = ("topics", i)
            m = self.mapping(
                item,
                path,
                required=("id", "title"),
                optional=("summary", "subtopics", "resources", "concepts"),
            )
            if m is None:
                continue
            tid = self.slug(m, "id", path)
            title = self.text(m, "title", path, required=True)
            subtopics = tuple(
                s
                for j, sub in enumerate(self.items(m, "subtopics", path))
                if (s := self._subtopic(sub, (*path, "subtopics", j))) is not None
            )
            concepts: list[Concept] = []
            for j, c in enumerate(self.items(m, "concepts", path)):
                cp = (*path, "concepts", j)
                cm = self.mapping(c, cp, required=("term", "definition"))
                if cm is None:
                    continue
                term = self.text(cm, "term", cp, required=True)
                definition = self.text(cm, "definition", cp, required=True)
                if term and definition:
                    concepts.append(Concept(term, definition))
            if tid and title:
                topics.append(
                    Topic(
                        id=tid,
                        title=title,
                        summary=self.text(m, "summary", path),
                        subtopics=subtopics,
                        resources=self._resources(m, path),
                        concepts=tuple(concepts),
                    )
                )
        self._unique([t.id for t in topics], ("topics",), "topic id")
        return tuple(topics)

    def _projects(self, top: dict[str, Any], topic_ids: set[str]) -> tuple[Project, ...]:
        projects: list[Project] = []
        for i, item in enumerate(self.items(top, "projects", ())):
            path: PathKey = ("projects", i)
            m = self.mapping(
                item,
                path,
                required=("id", "title"),
                optional=("summary", "level", "span", "topics", "details"),
            )
            if m is None:
                continue
            pid = self.slug(m, "id", path)
            title = self.text(m, "title", path, required=True)
            level = self.text(m, "level", path)
            if level is not None and level not in PROJECT_LEVELS:
                self.error((*path, "level"), f"'{level}'; allowed: {', '.join(PROJECT_LEVELS)}")
            if pid and title:
                projects.append(
                    Project(
                        id=pid,
                        title=title,
                        summary=self.text(m, "summary", path),
                        level=level,
                        span=self.span(m, "span", path),
                        topics=self._refs(m, "topics", path, topic_ids, "topic"),
                        details=self.texts(m, "details", path),
                    )
                )
        self._unique([p.id for p in projects], ("projects",), "project id")
        return tuple(projects)

    def _phases(
        self, top: dict[str, Any], topic_ids: set[str], project_ids: set[str]
    ) -> tuple[Phase, ...]:
        phases: list[Phase] = []
        raw = self.items(top, "phases", ())
        if "phases" in top and not raw:
            self.error(("phases",), "a curriculum needs at least one phase")
        for i, item in enumerate(raw):
            path: PathKey = ("phases", i)
            m = self.mapping(
                item,
                path,
                required=("id", "title", "span", "weeks"),
                optional=("source_duration", "goal", "summary", "resources", "projects"),
            )
            if m is None:
                continue
            pid = self.slug(m, "id", path)
            title = self.text(m, "title", path, required=True)
            span = self.span(m, "span", path, required=True)
            weeks = self._weeks(m, path, span, topic_ids, project_ids)
            if pid and title and span:
                phases.append(
                    Phase(
                        id=pid,
                        title=title,
                        span=span,
                        weeks=weeks,
                        source_duration=self.text(m, "source_duration", path),
                        goal=self.text(m, "goal", path),
                        summary=self.text(m, "summary", path),
                        resources=self._resources(m, path),
                        projects=self._refs(m, "projects", path, project_ids, "project"),
                    )
                )
        self._unique([p.id for p in phases], ("phases",), "phase id")
        if len(phases) == len(raw):
            for i in range(1, len(phases)):
                prev, cur = phases[i - 1].span, phases[i].span
                if cur.first != prev.last + 1:
                    gap = "overlaps" if cur.first <= prev.last else "leaves a gap after"
                    self.error(
                        ("phases", i, "span"),
                        f"phase starts at week {cur.first} and {gap} the previous phase "
                        f"(which ends at week {prev.last}); phases must follow each other",
                    )
            if phases and phases[0].span.first > 1:
                self.error(("phases", 0, "span"), "the first phase must start at week 0 or 1")
        return tuple(phases)

    def _weeks(
        self,
        phase: dict[str, Any],
        path: PathKey,
        span: Span | None,
        topic_ids: set[str],
        project_ids: set[str],
    ) -> tuple[WeekEntry, ...]:
        entries: list[WeekEntry] = []
        for j, item in enumerate(self.items(phase, "weeks", path)):
            wp = (*path, "weeks", j)
            m = self.mapping(
                item,
                wp,
                required=("span", "title", "topics"),
                optional=("goal", "projects", "resources", "checklist"),
            )
            if m is None:
                continue
            wspan = self.span(m, "span", wp, required=True)
            title = self.text(m, "title", wp, required=True)
            if wspan and span and not (span.first <= wspan.first and wspan.last <= span.last):
                self.error((*wp, "span"), f"weeks {wspan} lie outside the phase's weeks {span}")
            if wspan and title:
                entries.append(
                    WeekEntry(
                        span=wspan,
                        title=title,
                        goal=self.text(m, "goal", wp),
                        topics=self._refs(m, "topics", wp, topic_ids, "topic"),
                        projects=self._refs(m, "projects", wp, project_ids, "project"),
                        resources=self._resources(m, wp),
                        checklist=self.texts(m, "checklist", wp),
                    )
                )
        if span is not None and entries:
            covered = {w for e in entries for w in e.span.weeks}
            missing = [w for w in span.weeks if w not in covered]
            if missing:
                shown = ", ".join(str(w) for w in missing[:8])
                self.error((*path, "weeks"), f"no week entry covers week(s) {shown}")
        elif span is not None and "weeks" in phase and not entries and not self.problems:
            self.error((*path, "weeks"), "a phase needs at least one week entry")
        return tuple(entries)

    def _milestones(self, top: dict[str, Any], phases: tuple[Phase, ...]) -> tuple[Milestone, ...]:
        out: list[Milestone] = []
        first = phases[0].span.first if phases else 0
        last = phases[-1].span.last if phases else MAX_WEEK
        for i, item in enumerate(self.items(top, "milestones", ())):
            path: PathKey = ("milestones", i)
            m = self.mapping(item, path, required=("id", "title", "due", "items"))
            if m is None:
                continue
            mid = self.slug(m, "id", path)
            title = self.text(m, "title", path, required=True)
            due = self.span(m, "due", path)
            items = self.texts(m, "items", path)
            if due is not None and not first <= due.last <= last:
                self.error((*path, "due"), f"week {due.last} is outside weeks {first}-{last}")
            self._unique(list(items), (*path, "items"), "item")
            if mid and title and due:
                out.append(Milestone(mid, title, due.last, items))
        self._unique([m.id for m in out], ("milestones",), "milestone id")
        return tuple(out)

    def _section_item(self, value: Any, path: PathKey, depth: int) -> SectionItem | None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return SectionItem(str(value).strip())
        m = self.mapping(value, path, required=("title",), optional=("text", "fields", "items"))
        if m is None or depth > 12:
            return None
        title = self.text(m, "title", path, required=True)
        fields: list[tuple[str, str]] = []
        if "fields" in m:
            fm = self.mapping(m["fields"], (*path, "fields"), optional=tuple(m["fields"] or ()))
            for key in fm or {}:
                value_text = self.text(fm or {}, key, (*path, "fields"))
                if value_text is not None:
                    fields.append((key, value_text))
        items = tuple(
            s
            for j, it in enumerate(self.items(m, "items", path))
            if (s := self._section_item(it, (*path, "items", j), depth + 1)) is not None
        )
        if title is None:
            return None
        return SectionItem(title, self.text(m, "text", path), tuple(fields), items)

    def _section(self, value: Any, path: PathKey, depth: int = 0) -> Section | None:
        m = self.mapping(
            value, path, required=("id", "title"), optional=("text", "items", "sections")
        )
        if m is None or depth > 8:
            return None
        sid = self.slug(m, "id", path)
        title = self.text(m, "title", path, required=True)
        items = tuple(
            s
            for j, it in enumerate(self.items(m, "items", path))
            if (s := self._section_item(it, (*path, "items", j), 0)) is not None
        )
        sections = tuple(
            sub
            for j, it in enumerate(self.items(m, "sections", path))
            if (sub := self._section(it, (*path, "sections", j), depth + 1)) is not None
        )
        if not (sid and title):
            return None
        return Section(sid, title, self.text(m, "text", path), items, sections)
