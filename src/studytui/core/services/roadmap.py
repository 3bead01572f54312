"""The roadmap: which week it is, what it holds, topic status and checklists, progress.

Every read that depends on the curriculum takes the curriculum it is for (``cur``), defaulting
to the active one: a screen that asked about one curriculum must get an answer about that one
even when the user switched to another meanwhile (the week it asks for may not exist there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from studytui.core.config import set_config_values
from studytui.core.context import AppContext
from studytui.core.curriculum.model import Curriculum, Project, Topic, WeekPlan
from studytui.core.errors import InputError, NotFoundError
from studytui.core.services.pace import Pace as Pace  # re-exported
from studytui.core.services.pace import PaceState as PaceState
from studytui.core.services.pace import compute_pace as compute_pace
from studytui.core.services.pace import topic_deadlines
from studytui.core.storage.sqltypes import db_datetime, stored_datetime
from studytui.core.studyday import roadmap_week, roadmap_week_start
from studytui.core.topic_status import TopicStatus as TopicStatus  # re-exported


@dataclass(frozen=True)
class ChecklistItem:
    list_id: str
    text: str
    done: bool


@dataclass(frozen=True)
class MilestoneView:
    id: str
    title: str
    due_week: int
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class TopicView:
    topic: Topic
    status: TopicStatus


@dataclass(frozen=True)
class TopicDetail:
    topic: Topic
    status: TopicStatus
    weeks: tuple[int, ...]
    history: tuple[tuple[TopicStatus, datetime], ...]
    projects: tuple[Project, ...]
    # Titles of the other curricula with this topic id: a status is kept per topic id, not per
    # curriculum, so setting it here sets it there too (the event does not record where).
    shared_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekView:
    """One roadmap week as the UI and the CLI show it."""

    curriculum_id: str
    curriculum_title: str
    plan: WeekPlan
    starts: date
    ends: date
    is_current: bool
    topics: tuple[TopicView, ...]
    milestones: tuple[MilestoneView, ...]
    checklist: tuple[ChecklistItem, ...]

    @property
    def number(self) -> int:
        return self.plan.number

    @property
    def heading(self) -> str:
        return f"Week {self.plan.number} of {self.plan.last_week}"


@dataclass(frozen=True)
class Progress:
    """Topic counts. Over a whole curriculum, ``total`` counts the topics some week plans;
    ``unscheduled`` are the others (a roadmap may list skills it never schedules), which the
    weekly plan cannot bring to 100% and so are not counted."""

    done: int
    skipped: int
    learning: int
    total: int
    unscheduled: int = 0

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def fraction_without_skipped(self) -> float:
        counted = self.total - self.skipped
        return self.done / counted if counted else 0.0


class RoadmapState(StrEnum):
    NOT_STARTED = "not started"
    UNDER_WAY = "under way"
    FINISHED = "finished"


@dataclass(frozen=True)
class RoadmapCalendar:
    """Where today falls against the roadmap's weeks: before its start, in it, or past its end."""

    state: RoadmapState
    starts: date  # first day of the first week
    ends: date  # last day of the last week
    today: date

    @property
    def days_to_start(self) -> int:
        return (self.starts - self.today).days

    @property
    def days_since_end(self) -> int:
        return (self.today - self.ends).days

    @property
    def label(self) -> str:
        """``starts in 3 days`` · ``under way`` · ``finished 2 days ago``."""
        if self.state is RoadmapState.NOT_STARTED:
            n = self.days_to_start
            return f"starts in {n} day{'s' if n != 1 else ''}"
        if self.state is RoadmapState.FINISHED:
            n = self.days_since_end
            return "finished today" if n == 0 else f"finished {n} day{'s' if n != 1 else ''} ago"
        return self.state.value


def scheduled_topic_ids(cur: Curriculum) -> list[str]:
    """Ids of the topics some week plans, in the order the weeks first plan them."""
    return list(dict.fromkeys(t for p in cur.phases for e in p.weeks for t in e.topics))


class RoadmapService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- weeks ---------------------------------------------------------------------------

    def curriculum(self) -> Curriculum:
        return self.ctx.curriculum()

    def current_week(self, cur: Curriculum | None = None) -> int:
        """The roadmap week of today, clamped to the curriculum's weeks."""
        cur = cur or self.curriculum()
        return cur.clamp_week(self.raw_current_week(cur))

    def raw_current_week(self, cur: Curriculum | None = None) -> int:
        cur = cur or self.curriculum()
        return roadmap_week(self.ctx.start_date(), cur.first_week, self.ctx.today())

    def calendar(self, cur: Curriculum | None = None) -> RoadmapCalendar:
        """Whether the roadmap has started, is under way or is past its last week."""
        cur = cur or self.curriculum()
        start = self.ctx.start_date()
        ends = roadmap_week_start(start, cur.first_week, cur.last_week) + timedelta(days=6)
        today = self.ctx.today()
        if today < start:
            state = RoadmapState.NOT_STARTED
        elif today > ends:
            state = RoadmapState.FINISHED
        else:
            state = RoadmapState.UNDER_WAY
        return RoadmapCalendar(state, start, ends, today)

    def week(self, number: int | None = None, cur: Curriculum | None = None) -> WeekView:
        cur = cur or self.curriculum()
        n = self.current_week(cur) if number is None else number
        plan = cur.plan(n)
        if plan is None:
            raise NotFoundError(
                f"week {n} is not in '{cur.id}' (weeks {cur.first_week} to {cur.last_week})"
            )
        starts = roadmap_week_start(self.ctx.start_date(), cur.first_week, n)
        statuses = self.topic_statuses([t.id for t in plan.topics])
        done = self._checked(cur.id)
        milestones = tuple(
            MilestoneView(
                m.id,
                m.title,
                m.due,
                tuple(
                    ChecklistItem(f"milestone:{m.id}", i, i in done.get(f"milestone:{m.id}", ()))
                    for i in m.items
                ),
            )
            for m in plan.milestones
        )
        week_list = f"week:{n}"
        checklist = tuple(
            ChecklistItem(week_list, i, i in done.get(week_list, ())) for i in plan.checklist
        )
        return WeekView(
            curriculum_id=cur.id,
            curriculum_title=cur.title,
            plan=plan,
            starts=starts,
            ends=starts + timedelta(days=6),
            is_current=n == self.raw_current_week(cur),
            topics=tuple(TopicView(t, statuses[t.id]) for t in plan.topics),
            milestones=milestones,
            checklist=checklist,
        )

    # -- topic status --------------------------------------------------------------------

    def topic_statuses(self, topic_ids: list[str] | None = None) -> dict[str, TopicStatus]:
        """Current status per topic id (pending when never set): each topic's latest event."""
        sql = (
            "SELECT topic_id, status FROM topic_status_event WHERE id IN "
            "(SELECT max(id) FROM topic_status_event GROUP BY topic_id)"
        )
        params: list[str] = []
        if topic_ids is not None:
            sql += f" AND topic_id IN ({', '.join('?' * len(topic_ids))})"
            params = topic_ids
        with self.ctx.db.query() as conn:
            found = {tid: TopicStatus(status) for tid, status in conn.execute(sql, params)}
        ids = topic_ids if topic_ids is not None else list(found)
        return {tid: found.get(tid, TopicStatus.PENDING) for tid in ids}

    def set_topic_status(self, topic_id: str, status: TopicStatus) -> None:
        with self.ctx.db.change() as conn:
            conn.execute(
                "INSERT INTO topic_status_event (topic_id, status, at) VALUES (?, ?, ?)",
                (topic_id, status.value, db_datetime(self.ctx.clock.now())),
            )

    def status_history(self, topic_id: str) -> list[tuple[TopicStatus, datetime]]:
        with self.ctx.db.query() as conn:
            rows = conn.execute(
                "SELECT status, at FROM topic_status_event WHERE topic_id = ? ORDER BY id",
                (topic_id,),
            ).fetchall()
        return [(TopicStatus(st), stored_datetime(at)) for st, at in rows]

    # -- checklists ----------------------------------------------------------------------

    def _checked(self, curriculum_id: str) -> dict[str, set[str]]:
        """Ticked items per list: each item's latest event."""
        sql = (
            "SELECT list_id, item FROM checklist_event WHERE done AND id IN "
            "(SELECT max(id) FROM checklist_event WHERE curriculum_id = ? GROUP BY list_id, item)"
        )
        out: dict[str, set[str]] = {}
        with self.ctx.db.query() as conn:
            for list_id, item in conn.execute(sql, (curriculum_id,)):
                out.setdefault(list_id, set()).add(item)
        return out

    def set_checked(
        self, list_id: str, item: str, done: bool, curriculum_id: str | None = None
    ) -> None:
        """Tick or untick an item of ``curriculum_id``'s list (default: the active curriculum's,
        but a screen passes the one it shows: the tick belongs to the list the user saw)."""
        cid = curriculum_id or self.curriculum().id
        with self.ctx.db.change() as conn:
            conn.execute(
                "INSERT INTO checklist_event (curriculum_id, list_id, item, done, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (cid, list_id, item, int(done), db_datetime(self.ctx.clock.now())),
            )

    # -- progress ------------------------------------------------------------------------

    def progress(self, weeks: range | None = None, cur: Curriculum | None = None) -> Progress:
        """Topic progress over the whole curriculum (or ``cur``) or over some weeks.

        Over the whole curriculum only scheduled topics count; the rest are ``unscheduled``.
        """
        cur = cur or self.curriculum()
        unscheduled = 0
        if weeks is None:
            ids = scheduled_topic_ids(cur)
            unscheduled = len(cur.topics) - len(ids)
        else:
            ids = list(
                dict.fromkeys(
                    t
                    for p in cur.phases
                    for e in p.weeks
                    if any(w in weeks for w in e.span.weeks)
                    for t in e.topics
                )
            )
        statuses = self.topic_statuses(ids)
        values = list(statuses.values())
        return Progress(
            done=values.count(TopicStatus.DONE),
            skipped=values.count(TopicStatus.SKIPPED),
            learning=values.count(TopicStatus.LEARNING),
            total=len(values),
            unscheduled=unscheduled,
        )

    def pace(self, cur: Curriculum | None = None) -> Pace:
        cur = cur or self.curriculum()
        start = self.ctx.start_date()
        deadlines = topic_deadlines(cur, start)
        statuses = self.topic_statuses([tid for _, tid in deadlines])
        settled = {t for t, s in statuses.items() if s in (TopicStatus.DONE, TopicStatus.SKIPPED)}
        return compute_pace(deadlines, settled, start, self.ctx.today())

    def next_milestone(self, week: int, cur: Curriculum | None = None) -> MilestoneView | None:
        """The first milestone due this week or later (what the learner works towards)."""
        cur = cur or self.curriculum()
        upcoming = sorted((m for m in cur.milestones if m.due >= week), key=lambda m: m.due)
        if not upcoming:
            return None
        m = upcoming[0]
        list_id = f"milestone:{m.id}"
        done = self._checked(cur.id).get(list_id, set())
        items = tuple(ChecklistItem(list_id, i, i in done) for i in m.items)
        return MilestoneView(m.id, m.title, m.due, items)

    def phase_progress(self, cur: Curriculum | None = None) -> list[tuple[str, Progress]]:
        """Progress of each phase of the active curriculum (or ``cur``), in order."""
        cur = cur or self.curriculum()
        return [(p.title, self.progress(p.span.weeks, cur)) for p in cur.phases]

    def topic_detail(self, topic_id: str, cur: Curriculum | None = None) -> TopicDetail:
        cur = cur or self.curriculum()
        topic = cur.topic(topic_id)
        if topic is None:
            raise NotFoundError(f"no topic '{topic_id}' in '{cur.id}'")
        history = self.status_history(topic_id)
        status = history[-1][0] if history else TopicStatus.PENDING
        return TopicDetail(
            topic=topic,
            status=status,
            weeks=tuple(cur.weeks_of_topic(topic_id)),
            history=tuple(history),
            projects=tuple(p for p in cur.projects if topic_id in p.topics),
            shared_with=self._shared_with(cur, topic_id),
        )

    def _shared_with(self, cur: Curriculum, topic_id: str) -> tuple[str, ...]:
        """Titles of the other valid curricula that list ``topic_id``."""
        try:
            others = self.ctx.catalog.all()
        except InputError:  # a broken bundled file: the detail still opens
            return ()
        return tuple(c.title for c in others if c.id != cur.id and c.topic(topic_id) is not None)

    # -- switching -----------------------------------------------------------------------

    def use(self, curriculum_id: str, start: date | None = None) -> Curriculum:
        """Make a curriculum active (and set its start date) by editing config.yaml in place."""
        cur = self.ctx.catalog.get(curriculum_id)
        updates = {"curriculum": cur.id}
        if start is not None:
            updates["start_date"] = start.isoformat()
        elif self.ctx.settings.start_date is None or cur.id != self.ctx.settings.curriculum:
            updates["start_date"] = self.ctx.today().isoformat()
        set_config_values(self.ctx.paths.config_file, updates)
        self.ctx.reload_settings()
        return cur
