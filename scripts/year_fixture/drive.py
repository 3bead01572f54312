"""A year of plausible daily use, written by the studytui release it runs inside (9cd2052).

Run by ``generate.py`` inside a checkout of the old release, never by the current code:

    uv run --project OLD_CHECKOUT python scripts/year_fixture/drive.py OUT_HOME EXPORT_FILE

with HOME and the XDG variables pointing into OUT_HOME and TZ=Europe/Berlin. It imports only what
that release has, and writes every record through its services (reviews, pomodoros, manual
sessions, topic statuses, checklist ticks, card edits and additions), with a ManualClock moved
day by day (never sleeping) and ``random.Random(2026)``, so two runs give the same data. At the
end it writes the old release's own export of the home to EXPORT_FILE and prints what the year
holds as JSON. ``drive_oldest.py`` drives the same year through the oldest release (3283e63),
with its own picking of a card to edit and its own snapshot.
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from year_files import EXTRA_CONFIG, MY_CURRICULUM, MY_DECK, seeded_uuids, table_counts

from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.config import set_config_values
from studytui.core.context import AppContext, open_context
from studytui.core.errors import ConflictError
from studytui.core.scheduling import Rating
from studytui.core.services.decks import DeckService
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.services.roadmap import RoadmapService
from studytui.core.services.sessions import SessionsService
from studytui.core.timer import TimerState, WorkTarget
from studytui.paths import AppPaths

try:
    from studytui.core.topic_status import TopicStatus
except ImportError:  # drive_oldest.py: the oldest release kept it in the roadmap service
    from studytui.core.services.roadmap import TopicStatus  # type: ignore[no-redef]

BERLIN = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2025, 12, 1)  # a Monday
DAYS = int(os.environ.get("YEAR_FIXTURE_DAYS", "365"))  # fewer only to try the driver out
SPRING_FORWARD = date(2026, 3, 28)  # the study day whose night loses 02:00-03:00 (29 March)
FALL_BACK = date(2026, 10, 24)  # the study day whose night repeats 02:00-03:00 (25 October)

# Again, Hard, Good, Easy: mostly Good.
RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
RATING_WEIGHTS = (10, 12, 70, 8)
CATEGORIES = (Category.HANDS_ON, Category.THEORY, Category.COMMUNITY)
CATEGORY_WEIGHTS = (60, 28, 12)


def local(day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    """A Berlin wall-clock time as UTC (``hour`` may be 24+ for the night after ``day``)."""
    extra, hour = divmod(hour, 24)
    d = day + timedelta(days=extra)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=BERLIN, fold=fold).astimezone(UTC)


class Year:
    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths
        self.rng = random.Random(2026)
        self.clock = ManualClock(local(FIRST_DAY, 7, 30))
        self.counts: dict[str, int] = {
            "study_days": 0,
            "ratings": 0,
            "undos": 0,
            "buries": 0,
            "pomodoros_completed": 0,
            "pomodoros_stopped_early": 0,
            "pomodoros_paused": 0,
            "pomodoros_cancelled": 0,
            "manual_sessions": 0,
            "late_night_sessions": 0,
            "deleted_sessions": 0,
            "topic_status_changes": 0,
            "checklist_ticks": 0,
            "cards_edited": 0,
            "cards_added": 0,
        }
        self.topic_index = 0  # the next topic of the roadmap to start

    # -- time ------------------------------------------------------------------------------

    def move_to(self, instant: datetime) -> None:
        """The clock only moves forward."""
        if instant > self.clock.now():
            self.clock.set(instant)

    # -- a day -----------------------------------------------------------------------------

    def run(self) -> None:
        for n in range(DAYS):
            day = FIRST_DAY + timedelta(days=n)
            self.move_to(local(day, 7, self.rng.randint(0, 50)))
            if n == 20:
                self.own_files()
            ctx = open_context(self.paths, self.clock)  # the app opened in the morning
            try:
                if n == 0:
                    self.first_day(ctx)
                report = DeckService(ctx).sync_once()  # the app loads deck files at start-up
                if report.problems or getattr(report, "refused", 0):
                    raise SystemExit(f"{day}: the deck sync reported {report.summary()}")
                self.one_day(ctx, n, day)
            finally:
                ctx.close()

    def first_day(self, ctx: AppContext) -> None:
        set_config_values(
            self.paths.config_file,
            {
                "timezone": "Europe/Berlin",
                "streak_minutes": "30",
                "backups_keep": "3",
                "theme": "nord",
            },
        )
        with self.paths.config_file.open("a", encoding="utf-8") as fh:
            fh.write(EXTRA_CONFIG)
        ctx.reload_settings()

    def own_files(self) -> None:
        """The learner writes their own curriculum and deck into the config folder."""
        self.paths.user_curriculum_dir.mkdir(parents=True, exist_ok=True)
        (self.paths.user_curriculum_dir / "my-evenings.yaml").write_text(
            MY_CURRICULUM, encoding="utf-8"
        )
        self.paths.user_deck_dir.mkdir(parents=True, exist_ok=True)
        (self.paths.user_deck_dir / "my-vector-db.yaml").write_text(MY_DECK, encoding="utf-8")

    def one_day(self, ctx: AppContext, n: int, day: date) -> None:
        rng = self.rng
        weekend = day.weekday() >= 5
        studies = rng.random() < (0.7 if weekend else 0.9)
        if day in (SPRING_FORWARD, FALL_BACK):
            studies = True
        if not studies:
            return
        self.counts["study_days"] += 1
        self.review(ctx, day, morning=True)
        self.roadmap(ctx, n, day)
        if rng.random() < 0.08:
            self.edit_or_add(ctx)
        self.evening(ctx, day)
        if rng.random() < 0.25:
            self.review(ctx, day, morning=False)
        if day in (SPRING_FORWARD, FALL_BACK) or rng.random() < 0.07:
            self.late_night(ctx, day)

    # -- flashcards ------------------------------------------------------------------------

    def review(self, ctx: AppContext, day: date, *, morning: bool) -> None:
        rng = self.rng
        if not morning:
            self.move_to(local(day, 22, rng.randint(0, 40)))
        flt = ReviewFilter()
        if rng.random() < 0.15:
            flt = ReviewFilter(this_week=True)
        session = ReviewService(ctx).start(flt)
        budget = rng.randint(15, 45) if morning else rng.randint(5, 15)
        done = 0
        while done < budget:
            self.clock.advance(seconds=rng.randint(3, 25))
            card = session.next_card()
            if card is None:
                break
            if rng.random() < 0.02:
                session.bury()
                self.counts["buries"] += 1
                if rng.random() < 0.2:  # buried by mistake
                    session.undo()
                    self.counts["undos"] += 1
                continue
            session.rate(rng.choices(RATINGS, RATING_WEIGHTS)[0])
            done += 1
            if rng.random() < 0.03:  # pressed the wrong key: undo and rate again
                self.clock.advance(seconds=rng.randint(1, 4))
                session.undo()
                self.counts["undos"] += 1
                done -= 1
            if done % 10 == 0:
                session.flush()
        session.flush()
        self.counts["ratings"] += session.reviewed

    def edit_or_add(self, ctx: AppContext) -> None:
        rng = self.rng
        svc = ReviewService(ctx)
        if rng.random() < 0.5:
            deck = rng.choice(["my-vector-db", "rag", "numpy"])
            if deck == "my-vector-db" and not (self.paths.user_deck_dir / f"{deck}.yaml").exists():
                deck = "rag"
            n = self.counts["cards_added"] + 1
            svc.add(
                deck, f"My question {n} on {deck}", f"My answer {n}", reverse=rng.random() < 0.3
            )
            self.counts["cards_added"] += 1
            return
        ids = self.reviewed_cards(ctx)
        if not ids:
            return
        card = svc.card(rng.choice(ids))
        svc.edit(card.id, card.front, card.back.rstrip() + " (my note)")
        self.counts["cards_edited"] += 1

    def reviewed_cards(self, ctx: AppContext) -> list[int]:
        """The ids of the live cards reviewed at least once, in id order."""
        with ctx.db.query() as conn:
            return [
                i
                for (i,) in conn.execute(
                    "SELECT id FROM card WHERE retired_at IS NULL AND last_review IS NOT NULL "
                    "ORDER BY id"
                )
            ]

    # -- the roadmap -----------------------------------------------------------------------

    def roadmap(self, ctx: AppContext, n: int, day: date) -> None:
        rng = self.rng
        svc = RoadmapService(ctx)
        cur = svc.curriculum()
        topics = [
            t.id for w in range(cur.first_week, cur.last_week + 1) for t in cur.plan(w).topics
        ]
        self.move_to(local(day, 8, rng.randint(10, 40)))
        # About one topic every ten days: learning, then done (a few skipped, one reopened).
        if n % 10 == 3 and self.topic_index < len(topics):
            tid = topics[self.topic_index]
            svc.set_topic_status(tid, TopicStatus.LEARNING)
            self.counts["topic_status_changes"] += 1
            if self.topic_index > 0:
                prev = topics[self.topic_index - 1]
                svc.set_topic_status(
                    prev, TopicStatus.SKIPPED if rng.random() < 0.1 else TopicStatus.DONE
                )
                self.counts["topic_status_changes"] += 1
            self.topic_index += 1
        if n == 200:  # reopened an old topic, then done with it again a month later
            svc.set_topic_status(topics[2], TopicStatus.LEARNING)
            self.counts["topic_status_changes"] += 1
        if n == 230:
            svc.set_topic_status(topics[2], TopicStatus.DONE)
            self.counts["topic_status_changes"] += 1
        if n % 17 == 5:
            items = [(f"milestone:{m.id}", item) for m in cur.milestones for item in m.items]
            done_items = n // 17
            if done_items < len(items):
                list_id, item = items[done_items]
                svc.set_checked(list_id, item, True)
                self.counts["checklist_ticks"] += 1
                if rng.random() < 0.15:  # ticked by mistake, and back
                    svc.set_checked(list_id, item, False)
                    self.clock.advance(seconds=20)
                    svc.set_checked(list_id, item, True)
                    self.counts["checklist_ticks"] += 2

    def topic_for(self, ctx: AppContext) -> str | None:
        statuses = RoadmapService(ctx).topic_statuses()
        learning = sorted(t for t, s in statuses.items() if s is TopicStatus.LEARNING)
        if learning and self.rng.random() < 0.8:
            return self.rng.choice(learning)
        if self.rng.random() < 0.5:
            return None
        return self.rng.choice([t.id for t in ctx.curriculum().topics])

    # -- the time log ----------------------------------------------------------------------

    def evening(self, ctx: AppContext, day: date) -> None:
        rng = self.rng
        svc = SessionsService(ctx)
        self.move_to(local(day, 18, rng.randint(0, 59)))
        for _ in range(rng.choices((0, 1, 2, 3, 4), (10, 25, 30, 25, 10))[0]):
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            note = rng.choice([None, None, "exercises", "reading the docs", "project work"])
            self.pomodoro(svc, WorkTarget(category, self.topic_for(ctx), note))
            self.clock.advance(minutes=rng.randint(0, 20))
        if rng.random() < 0.06:
            self.manual(ctx, svc, day)

    def pomodoro(self, svc: SessionsService, target: WorkTarget) -> None:
        rng = self.rng
        state = svc.start(TimerState(), target)
        roll = rng.random()
        if roll < 0.02:
            self.clock.advance(minutes=rng.randint(1, 4))
            svc.cancel(state)
            self.counts["pomodoros_cancelled"] += 1
            self.clock.advance(minutes=2)
            return
        if roll < 0.22:  # the doorbell
            self.clock.advance(minutes=rng.randint(3, 15))
            state = svc.pause(state)
            self.clock.advance(minutes=rng.randint(2, 12))
            state = svc.resume(state)
            self.counts["pomodoros_paused"] += 1
        if rng.random() < 0.12:
            assert state.run is not None
            left = state.run.remaining(self.clock.now())
            self.clock.advance(seconds=rng.randint(60, max(61, int(left.total_seconds()) - 60)))
            state = svc.stop(state)
            self.counts["pomodoros_stopped_early"] += 1
            return
        assert state.run is not None
        self.clock.advance(state.run.remaining(self.clock.now()))
        state, ended = svc.advance(state)
        assert ended, "the pomodoro reached its end"
        self.counts["pomodoros_completed"] += 1
        self.clock.advance(minutes=5)  # the break
        svc.stop(state)

    def manual(self, ctx: AppContext, svc: SessionsService, day: date) -> None:
        """Time logged by hand (`studytui log`): the afternoon's reading, once deleted."""
        rng = self.rng
        start = local(day, 13, rng.randint(0, 30))
        minutes = rng.choice([30, 45, 60, 90])
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        try:
            view = svc.log(
                timedelta(minutes=minutes),
                category,
                topic_id=self.topic_for(ctx),
                start=start,
                note="logged by hand",
            )
        except ConflictError:
            return
        self.counts["manual_sessions"] += 1
        if rng.random() < 0.2:
            svc.delete(view.id)
            self.counts["deleted_sessions"] += 1
            if rng.random() < 0.5:
                svc.undo_delete(view.id)
                self.counts["deleted_sessions"] -= 1

    def late_night(self, ctx: AppContext, day: date) -> None:
        """Study after midnight, before the 04:00 rollover: it counts for ``day``."""
        rng = self.rng
        svc = SessionsService(ctx)
        if day == SPRING_FORWARD:
            # 01:40 CET; 25 minutes of focus and a pause end past 03:00 CEST.
            self.move_to(local(day, 25, 40))
            state = svc.start(TimerState(), WorkTarget(Category.HANDS_ON, self.topic_for(ctx)))
            self.clock.advance(minutes=10)
            state = svc.pause(state)
            self.clock.advance(minutes=10)
            state = svc.resume(state)
            assert state.run is not None
            self.clock.advance(state.run.remaining(self.clock.now()))
            state, _ended = svc.advance(state)
            svc.stop(state)
            self.counts["pomodoros_completed"] += 1
            self.counts["pomodoros_paused"] += 1
            self.counts["late_night_sessions"] += 1
            self.review(ctx, day, morning=False)  # some cards at 03:10 CEST
            return
        if day == FALL_BACK:
            # 02:30 happens twice: once in summer time, once in winter time; both logged by hand.
            self.move_to(local(day, 27, 40, fold=1))
            for fold in (0, 1):
                svc.log(
                    timedelta(minutes=25),
                    Category.THEORY,
                    topic_id=self.topic_for(ctx),
                    start=local(day, 26, 30, fold=fold),
                    note=f"02:30 {'CEST' if fold == 0 else 'CET'}",
                )
                self.counts["manual_sessions"] += 1
                self.counts["late_night_sessions"] += 1
            self.pomodoro(svc, WorkTarget(Category.COMMUNITY, None, "forum answers"))
            self.counts["late_night_sessions"] += 1
            return
        self.move_to(local(day, 24, rng.randint(5, 50)))
        self.pomodoro(svc, WorkTarget(rng.choice(CATEGORIES), self.topic_for(ctx)))
        self.counts["late_night_sessions"] += 1
        if rng.random() < 0.5:
            self.review(ctx, day, morning=False)


def export(ctx: AppContext, target: Path) -> None:
    """The release's own export of the home, as `studytui export` writes it."""
    from studytui.core.services.transfer import TransferService  # not in the oldest release

    TransferService(ctx).export(target)


def main(
    year_type: type[Year] = Year, snapshot: Callable[[AppContext, Path], None] = export
) -> int:
    """Drive a year with ``year_type``, then write ``snapshot`` of the home to the second
    argument (``drive_oldest.py`` passes its own of both)."""
    if len(sys.argv) != 3:
        print(f"usage: {Path(sys.argv[0]).name} OUT_HOME EXPORT_FILE", file=sys.stderr)
        return 2
    out_home, export_file = Path(sys.argv[1]), Path(sys.argv[2])
    paths = AppPaths.default()
    if not str(paths.config_dir).startswith(str(out_home)):
        print(f"the XDG variables must point into {out_home}", file=sys.stderr)
        return 2
    seeded_uuids()
    year = year_type(paths)
    year.run()
    # The morning after the year: the learner exports before upgrading.
    year.move_to(local(FIRST_DAY + timedelta(days=DAYS), 8, 0))
    ctx = open_context(paths, year.clock, daily_backup=False)
    try:
        snapshot(ctx, export_file)
    finally:
        ctx.close()
    print(json.dumps({"driver": year.counts, "tables": table_counts(paths.database)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
