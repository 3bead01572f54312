"""``drive.py``'s year, written by the oldest release at schema version 3 (3283e63).

Run by ``generate.py --release oldest`` inside a checkout of that release:

    uv run --project OLD_CHECKOUT python scripts/year_fixture/drive_oldest.py OUT_HOME DUMP_FILE

3283e63 is the oldest commit whose version-3 schema predates 1b0a896's in-place edit of its
indexes and which has the review, sessions and roadmap services a year of use needs (the reasons
are in ``generate.py``). The year is ``drive.py``'s ``Year`` (same plan, seed and manual clock,
same learner), run through that release's own services: reviews with all four ratings, undo,
bury, edit and add; pomodoros in all three categories (paused, stopped early, cancelled) and
manual sessions; topic statuses, checklist ticks, the learner's own curriculum and deck, a
non-default config; late nights and both DST nights. With that release's queue the seeded draws
deleted no session for good and skipped no topic, so a few fixed days add them, and what the
release can do that ``drive.py`` never does: a session logged by hand and deleted (another one
deleted and restored), the next topic skipped, three cards suspended (which the partial
``ix_card_queue`` of today's schema leaves out). Two more things differ, because the release had
not got them:

- its database has no plain ``query()`` unit of work, so the card to edit is picked through an
  ORM session (the same statement);
- it has no export (``studytui export`` came with ea60886), so the "before" snapshot is a plain
  dump of the database, read with ``sqlite3`` in the old release's process the morning after the
  year, before any upgrade: every table's columns and rows in rowid order, ``sqlite_master``
  (without page numbers) and ``PRAGMA user_version``, as one JSON document.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from drive import Year, local, main
from sqlalchemy import text

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.services.review import ReviewService
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.core.services.sessions import SessionsService

DUMP_FORMAT = "studytui-sqlite-dump"


TIDY_DAYS = (70, 180)  # a session logged by hand and deleted; the second one restored
SKIP_DAY = 120  # the next topic of the roadmap skipped
SUSPEND_DAYS = (100, 101, 102)  # the first card of the morning suspended


class OldestYear(Year):
    def one_day(self, ctx: AppContext, n: int, day: date) -> None:
        if n in SUSPEND_DAYS:
            self.suspend_one(ctx)
        super().one_day(ctx, n, day)
        if n in TIDY_DAYS:
            self.tidy_log(ctx, day, restore=n == TIDY_DAYS[-1])
        if n == SKIP_DAY:
            self.skip_next_topic(ctx)

    def suspend_one(self, ctx: AppContext) -> None:
        session = ReviewService(ctx).start()
        if session.next_card() is not None:
            session.suspend()
            session.flush()
            self.counts["suspended"] = self.counts.get("suspended", 0) + 1

    def tidy_log(self, ctx: AppContext, day: date, *, restore: bool) -> None:
        """A late morning's reading logged by hand, then deleted as a mistake."""
        svc = SessionsService(ctx)
        self.move_to(local(day, 12, 0))
        view = svc.log(
            timedelta(minutes=45), Category.THEORY, start=local(day, 11, 0), note="logged twice"
        )
        self.clock.advance(minutes=1)
        svc.delete(view.id)
        self.counts["deleted_sessions"] += 1
        if restore:
            self.clock.advance(seconds=30)
            svc.undo_delete(view.id)
            self.counts["deleted_sessions"] -= 1
        self.counts["manual_sessions"] += 1

    def skip_next_topic(self, ctx: AppContext) -> None:
        svc = RoadmapService(ctx)
        cur = svc.curriculum()
        topics = [
            t.id for w in range(cur.first_week, cur.last_week + 1) for t in cur.plan(w).topics
        ]
        if self.topic_index < len(topics):
            svc.set_topic_status(topics[self.topic_index], TopicStatus.SKIPPED)
            self.counts["topic_status_changes"] += 1
            self.topic_index += 1

    def reviewed_cards(self, ctx: AppContext) -> list[int]:
        with ctx.db.read() as s:
            rows = s.execute(
                text(
                    "SELECT id FROM card WHERE retired_at IS NULL AND last_review IS NOT NULL "
                    "ORDER BY id"
                )
            )
            return [int(i) for (i,) in rows]


def dump_database(db: Path) -> dict[str, Any]:
    """Every table of the file as stored: what the old release wrote, value for value."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        schema = [
            list(row)
            for row in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            )
        ]
        tables: dict[str, Any] = {}
        names = [r[1] for r in schema if r[0] == "table" and not r[1].startswith("sqlite_")]
        for name in names:
            cur = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            tables[name] = {
                "columns": [d[0] for d in cur.description],
                "rows": [list(r) for r in cur],
            }
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    return {
        "format": DUMP_FORMAT,
        "version": 1,
        "user_version": version,
        "schema": schema,
        "tables": tables,
    }


def dump(ctx: AppContext, target: Path) -> None:
    """The snapshot of the home before any upgrade (the release's context, open at its own
    version, writes nothing meanwhile)."""
    doc = dump_database(ctx.paths.database)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    target.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main(OldestYear, dump))
