"""Frozen dataclasses for a curriculum; see docs/curriculum.md for the file format."""

from __future__ import annotations

from dataclasses import dataclass, field

from studytui.core.categories import TimeSplit


@dataclass(frozen=True, order=True)
class Span:
    """An inclusive range of week numbers."""

    first: int
    last: int

    def __contains__(self, week: object) -> bool:
        return isinstance(week, int) and self.first <= week <= self.last

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def weeks(self) -> range:
        return range(self.first, self.last + 1)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Resource:
    """A course, book, video … with every column the source roadmap gives."""

    title: str
    kind: str | None = None
    by: str | None = None
    links: tuple[Link, ...] = ()
    free: bool | None = None
    alternatives: str | None = None
    task: str | None = None
    focus: str | None = None
    outcome: str | None = None
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    difficulty: str | None = None
    hands_on: str | None = None
    recommendation: str | None = None
    notes: str | None = None

    def details(self) -> list[tuple[str, str]]:
        """Label/value pairs of the optional columns that are set, in display order."""
        rows: list[tuple[str, str]] = []
        pairs = (
            ("Kind", self.kind),
            ("By", self.by),
            ("Free", None if self.free is None else ("yes" if self.free else "no")),
            ("Alternatives", self.alternatives),
            ("Task", self.task),
            ("Focus", self.focus),
            ("Outcome", self.outcome),
            ("Pros", "; ".join(self.pros) or None),
            ("Cons", "; ".join(self.cons) or None),
            ("Difficulty", self.difficulty),
            ("Hands-on", self.hands_on),
            ("Recommendation", self.recommendation),
            ("Notes", self.notes),
        )
        for label, value in pairs:
            if value:
                rows.append((label, value))
        rows.extend((link.label or "Link", link.url) for link in self.links)
        return rows


@dataclass(frozen=True)
class Subtopic:
    title: str
    children: tuple[Subtopic, ...] = ()

    def flatten(self, depth: int = 0) -> list[tuple[int, str]]:
        out = [(depth, self.title)]
        for child in self.children:
            out.extend(child.flatten(depth + 1))
        return out


@dataclass(frozen=True)
class Concept:
    term: str
    definition: str


@dataclass(frozen=True)
class Topic:
    """A subject of study; its id is shared across curricula (decks and time follow the id)."""

    id: str
    title: str
    summary: str | None = None
    subtopics: tuple[Subtopic, ...] = ()
    resources: tuple[Resource, ...] = ()
    concepts: tuple[Concept, ...] = ()

    def subtopic_lines(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for sub in self.subtopics:
            out.extend(sub.flatten())
        return out


@dataclass(frozen=True)
class Project:
    id: str
    title: str
    summary: str | None = None
    level: str | None = None
    span: Span | None = None
    topics: tuple[str, ...] = ()
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekEntry:
    span: Span
    title: str
    goal: str | None = None
    topics: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    checklist: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    span: Span
    weeks: tuple[WeekEntry, ...]
    source_duration: str | None = None
    goal: str | None = None
    summary: str | None = None
    resources: tuple[Resource, ...] = ()
    projects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    due: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class SectionItem:
    title: str
    text: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    items: tuple[SectionItem, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str | None = None
    items: tuple[SectionItem, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class WeekPlan:
    """Everything the curriculum holds for one week number."""

    number: int
    first_week: int
    last_week: int
    phase: Phase
    entries: tuple[WeekEntry, ...]
    topics: tuple[Topic, ...]
    projects: tuple[Project, ...]
    milestones: tuple[Milestone, ...]

    @property
    def title(self) -> str:
        return " · ".join(e.title for e in self.entries)

    @property
    def goals(self) -> tuple[str, ...]:
        goals = [e.goal for e in self.entries if e.goal]
        if self.phase.goal:
            goals.append(self.phase.goal)
        return tuple(dict.fromkeys(goals))

    @property
    def resources(self) -> tuple[Resource, ...]:
        return tuple(r for e in self.entries for r in e.resources)

    @property
    def checklist(self) -> tuple[str, ...]:
        return tuple(item for e in self.entries for item in e.checklist)


@dataclass(frozen=True)
class Curriculum:
    """A whole roadmap laid onto weeks."""

    id: str
    title: str
    phases: tuple[Phase, ...]
    topics: tuple[Topic, ...]
    summary: str | None = None
    source_duration: str | None = None
    week_rule: str | None = None
    time_split: TimeSplit | None = None
    projects: tuple[Project, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    success_metrics: tuple[str, ...] = ()
    reference: tuple[Section, ...] = ()
    origin: str = "bundled"
    path: str = ""
    _topic_index: dict[str, Topic] = field(default_factory=dict, compare=False, repr=False)
    _project_index: dict[str, Project] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._topic_index.update({t.id: t for t in self.topics})
        self._project_index.update({p.id: p for p in self.projects})

    @property
    def first_week(self) -> int:
        return self.phases[0].span.first

    @property
    def last_week(self) -> int:
        return self.phases[-1].span.last

    @property
    def week_count(self) -> int:
        return self.last_week - self.first_week + 1

    def topic(self, topic_id: str) -> Topic | None:
        return self._topic_index.get(topic_id)

    def project(self, project_id: str) -> Project | None:
        return self._project_index.get(project_id)

    def phase_of(self, week: int) -> Phase | None:
        for phase in self.phases:
            if week in phase.span:
                return phase
        return None

    def clamp_week(self, week: int) -> int:
        return max(self.first_week, min(self.last_week, week))

    def plan(self, week: int) -> WeekPlan | None:
        """The plan of one week, or None outside the curriculum."""
        phase = self.phase_of(week)
        if phase is None:
            return None
        entries = tuple(e for e in phase.weeks if week in e.span)
        topic_ids = dict.fromkeys(t for e in entries for t in e.topics)
        project_ids = dict.fromkeys(p for e in entries for p in e.projects)
        project_ids.update(dict.fromkeys(p.id for p in self.projects if p.span and week in p.span))
        topics = tuple(t for t in (self.topic(i) for i in topic_ids) if t is not None)
        projects = tuple(p for p in (self.project(i) for i in project_ids) if p is not None)
        milestones = tuple(m for m in self.milestones if m.due == week)
        return WeekPlan(
            number=week,
            first_week=self.first_week,
            last_week=self.last_week,
            phase=phase,
            entries=entries,
            topics=topics,
            projects=projects,
            milestones=milestones,
        )

    def weeks_of_topic(self, topic_id: str) -> list[int]:
        return sorted(
            {w for p in self.phases for e in p.weeks if topic_id in e.topics for w in e.span.weeks}
        )
