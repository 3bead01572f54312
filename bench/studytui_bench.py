"""studytui's side of the benchmark, run in the project's environment.

    python bench/studytui_bench.py setup       --home DIR --scale SCALE --now EPOCH
    python bench/studytui_bench.py measure     --home DIR --runs N --ratings N
    python bench/studytui_bench.py sync-setup  --home DIR --scale SCALE
    python bench/studytui_bench.py sync        --home DIR --runs N

``DIR`` is a studytui home (XDG config and data folders inside it). ``setup`` writes the database
straight from ``bench/data.py`` with bulk inserts into the tables of ``core/storage/models.py``,
then lets studytui sync its bundled decks once, as a real user's database has them. ``measure``
runs in a fresh process (so its peak memory is studytui's alone) and prints one JSON object.
Every figure goes through the services the app uses; nothing is re-implemented here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data

RATINGS = (3,) * 7 + (1, 2, 4)  # Good mostly, an Again, a Hard and an Easy in every ten
EPOCH = datetime.fromtimestamp(0, UTC).replace(tzinfo=None)  # stored text is naive UTC
CURRICULUM = "ml-ai-senior-12w"


def home_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "TZ": "UTC",
    }


def use_home(home: Path) -> None:
    os.environ.update(home_env(home))
    time.tzset()


def write_config(config_file: Path, now: float) -> None:
    """A config like a user's: the default roadmap in its fourth week, UTC, no daily caps.

    The roadmap started on the Monday three weeks before this one, so "this week" is Monday to
    Sunday, the span of Watson's ``report --week``. The daily limits are lifted (Anki's are
    lifted the same way) so a queue of 1,000 ratings exists at every scale.
    """
    today = datetime.fromtimestamp(now, UTC).date()
    start = today - timedelta(days=today.weekday() + 21)
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(
        f"curriculum: {CURRICULUM}\n"
        f"start_date: {start.isoformat()}\n"
        "timezone: UTC\n"
        "review:\n"
        "  new_cards_per_day: 9999\n"
        "  reviews_per_day: 99999\n"
    )


def stamp(now: float, seconds_before: float | None) -> str | None:
    """Seconds before ``now`` as studytui's stored text (naive UTC, microseconds)."""
    if seconds_before is None:
        return None
    return (EPOCH + timedelta(seconds=now - seconds_before)).isoformat(" ", "microseconds")


def bulk_insert(
    conn: sqlite3.Connection, table_name: str, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """executemany into a table of models.py; columns this script doesn't know get their
    default (or NULL), so a column added by a later migration doesn't break the benchmark."""
    from studytui.core.storage.models import Base

    table = Base.metadata.tables[table_name]
    fill: dict[str, str] = {}
    for col in table.columns:
        if col.name in names:
            continue
        default = getattr(col.default, "arg", None) if col.default is not None else None
        if default is None and not col.nullable and not col.primary_key:
            raise SystemExit(f"bench: {table_name}.{col.name} is new and NOT NULL; update bench")
        fill[col.name] = _literal(default)
    columns = [*names, *fill]
    values = ["?"] * len(names) + list(fill.values())
    sql = (
        f"INSERT INTO {table_name} ({', '.join(_quote(c) for c in columns)}) "
        f"VALUES ({', '.join(values)})"
    )
    conn.executemany(sql, rows)


def _quote(name: str) -> str:
    return f'"{name}"'


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float):
        return str(int(value) if isinstance(value, bool) else value)
    return "'" + str(value).replace("'", "''") + "'"


def card_before_json(r: data.ReviewSpec) -> str:
    """The state before a review, as scheduling.CardState.to_json writes it."""
    return json.dumps(
        {
            "status": r.state_before,
            "step": None,
            "stability": r.stability_before,
            "difficulty": r.difficulty_before,
            "due": None,
            "last_review": None,
        }
    )


def setup(home: Path, scale: data.Scale, now: float) -> dict[str, Any]:
    use_home(home)
    from studytui.core.clock import SystemClock
    from studytui.core.context import open_context
    from studytui.paths import AppPaths

    t0 = time.perf_counter()
    ds = data.generate(scale)
    t_gen = time.perf_counter() - t0

    paths = AppPaths.default()
    write_config(paths.config_file, now)
    ctx = open_context(paths, SystemClock(), daily_backup=False)  # creates and migrates
    ctx.close()

    t1 = time.perf_counter()
    conn = sqlite3.connect(paths.database, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # setup only; measured writes use the app's engine
    conn.execute("BEGIN")
    # Decks with no source: kept by every sync, like decks of cards added in the app.
    bulk_insert(
        conn,
        "deck",
        ("id", "name", "topic_id", "title"),
        ((i + 1, d.name, d.name, d.title) for i, d in enumerate(ds.decks)),
    )
    bulk_insert(
        conn,
        "card",
        ("id", "deck_id", "key", "kind", "front", "back", "tags", "position", "origin", "state",
         "step", "stability", "difficulty", "due", "last_review", "suspended", "created_at"),
        (
            (i + 1, c.deck + 1, c.key, c.kind, c.front, c.back, c.tags, c.position, "file",
             c.state, c.step, c.stability, c.difficulty, stamp(now, c.due),
             stamp(now, c.last_review), 0, stamp(now, c.created))
            for i, c in enumerate(ds.cards)
        ),
    )  # fmt: skip
    bulk_insert(
        conn,
        "review_log",
        ("card_id", "rating", "reviewed_at", "duration_ms", "state_before", "state_after",
         "card_before", "due_after"),
        (
            (r.card + 1, r.rating, stamp(now, r.at), r.duration_ms, r.state_before,
             r.state_after, card_before_json(r), stamp(now, r.due_after))
            for r in reversed(ds.reviews)  # oldest first, as they were written
        ),
    )  # fmt: skip
    bulk_insert(
        conn,
        "study_session",
        ("category", "topic_id", "curriculum_id", "note", "source", "status", "started_at",
         "timezone", "planned_seconds", "ended_at", "paused_seconds"),
        (
            (s.category, s.topic, CURRICULUM, s.note, "timer",
             "completed" if s.completed else "interrupted", stamp(now, s.start), "UTC", 1500,
             stamp(now, s.start - s.seconds), 0)
            for s in reversed(ds.sessions)
        ),
    )  # fmt: skip
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    t_write = time.perf_counter() - t1

    t2 = time.perf_counter()
    ctx = open_context(paths, SystemClock(), daily_backup=False)
    try:
        from studytui.core.services.decks import DeckService

        report = DeckService(ctx).sync()
    finally:
        ctx.close()
    return {
        "generate_s": t_gen,
        "write_s": t_write,
        "bundled_sync_s": time.perf_counter() - t2,
        "bundled_sync": report.summary(),
        "db_mb": paths.database.stat().st_size / 2**20,
    }


def median_ms(samples: list[float]) -> list[float]:
    return [x * 1000 for x in samples]


def measure(home: Path, runs: int, ratings: int, synchronous: str | None) -> dict[str, Any]:
    use_home(home)
    from studytui.core.clock import SystemClock
    from studytui.core.context import open_context
    from studytui.paths import AppPaths

    paths = AppPaths.default()
    clock = SystemClock()
    out: dict[str, Any] = {"runs": runs, "ratings": ratings}

    ctx = open_context(paths, clock)  # the first open of the day takes the daily backup
    ctx.close()
    opens = []
    for _ in range(runs):
        t = time.perf_counter()
        ctx = open_context(paths, clock)
        opens.append(time.perf_counter() - t)
        ctx.close()
    out["open_ms"] = median_ms(opens)

    ctx = open_context(paths, clock)
    if synchronous:
        from sqlalchemy import event

        def _sync(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA synchronous = {synchronous}")

        event.listen(ctx.db.engine, "connect", _sync)
        ctx.db.engine.dispose()
    out["synchronous"] = synchronous or "app default"
    try:
        out.update(_measure_services(ctx, runs, ratings))
    finally:
        ctx.close()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _measure_services(ctx: Any, runs: int, ratings: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        from studytui.core.services.deck_stats import DeckStatsService
    except ImportError as exc:
        out["due_counts_missing"] = str(exc)
    else:
        stats = DeckStatsService(ctx)
        # The per-deck due counts (what the deck list and the dashboard show).
        due_counts = getattr(stats, "due_counts", None)
        out["due_counts_call"] = "due_counts" if due_counts else "decks"
        samples = []
        rows: list[Any] = []
        for _ in range(runs):
            t = time.perf_counter()
            rows = list(due_counts().values()) if due_counts else stats.decks()
            samples.append(time.perf_counter() - t)
        out["due_counts_ms"] = median_ms(samples)
        out["due"] = {
            "decks": len(rows),
            "new": sum(r.new for r in rows),
            "learning": sum(r.learning for r in rows),
            "review": sum(r.review for r in rows),
        }

    try:
        from studytui.core.services.time_stats import TimeStatsService
    except ImportError as exc:
        out["week_report_missing"] = str(exc)
    else:
        time_stats = TimeStatsService(ctx)
        samples = []
        week: Any = None
        for _ in range(runs):
            t = time.perf_counter()
            week = time_stats.week()
            samples.append(time.perf_counter() - t)
        out["week_report_ms"] = median_ms(samples)
        out["week_minutes"] = week.total_minutes
        out["week_sessions"] = week.sessions

    try:
        from studytui.core.services.review import ReviewFilter, ReviewService
    except ImportError as exc:
        out["rating_missing"] = str(exc)
    else:
        service = ReviewService(ctx)
        t = time.perf_counter()
        session = service.start(ReviewFilter())
        out["queue_load_ms"] = [(time.perf_counter() - t) * 1000]
        out["queue"] = dict(vars(session.counts()))
        shown, committed = [], []
        card = session.next_card()
        for i in range(ratings):
            if card is None:
                break
            t = time.perf_counter()
            session.rate(RATINGS[i % 10])
            card = session.next_card()
            t_shown = time.perf_counter()
            session.flush()  # one transaction: the card's new state and its review log
            t_done = time.perf_counter()
            shown.append(t_shown - t)
            committed.append(t_done - t)
        out["rate_next_ms"] = median_ms(committed)
        out["rate_next_shown_ms"] = median_ms(shown)
    return out


# -- deck sync ------------------------------------------------------------------------------


def _sync_decks(scale: data.Scale) -> list[tuple[data.DeckSpec, list[data.CardSpec]]]:
    """``scale.sync_cards`` cards in deck files of 500 cards each."""
    n = max(1, scale.sync_cards // 500)
    ds = data.generate(data.Scale("sync", scale.sync_cards, n, 0, 0, 0))
    by_deck: dict[int, list[data.CardSpec]] = {}
    for c in ds.cards:
        by_deck.setdefault(c.deck, []).append(c)
    return [
        (data.DeckSpec(d.name.replace("bench-", "sync-"), d.title.replace("Bench", "Sync")),
         by_deck.get(i, []))
        for i, d in enumerate(ds.decks)
    ]  # fmt: skip


def sync_setup(home: Path, scale: data.Scale) -> dict[str, Any]:
    """The deck files, in the user's deck folder of a home of their own."""
    use_home(home)
    from studytui.paths import AppPaths

    paths = AppPaths.default()
    write_config(paths.config_file, time.time())
    folder = paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    decks = _sync_decks(scale)
    for spec, cards in decks:
        (folder / f"{spec.name}.yaml").write_text(data.deck_file_text(spec, cards))
    return {"files": len(decks), "cards": sum(len(c) for _, c in decks)}


def sync(home: Path, scale: data.Scale, runs: int) -> dict[str, Any]:
    """First load, then syncs with nothing changed, then syncs after every file was edited."""
    use_home(home)
    from studytui.core.clock import SystemClock
    from studytui.core.context import open_context
    from studytui.core.decks.sync import sync_decks
    from studytui.paths import AppPaths

    paths = AppPaths.default()
    decks = _sync_decks(scale)
    folder = paths.user_deck_dir
    ctx = open_context(paths, SystemClock())
    out: dict[str, Any] = {"runs": runs, "files": len(decks)}
    try:
        t = time.perf_counter()
        first = sync_decks(ctx)
        out["first_sync_ms"] = [(time.perf_counter() - t) * 1000]
        out["first_sync"] = first.summary()
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            report = sync_decks(ctx)
            samples.append(time.perf_counter() - t)
        out["sync_unchanged_ms"] = median_ms(samples)
        out["sync_unchanged"] = report.summary()
        samples = []
        for run in range(runs):
            for spec, cards in decks:  # a third of the cards get a new back in every file
                text = data.deck_file_text(spec, cards, variant=run + 1)
                (folder / f"{spec.name}.yaml").write_text(text)
            t = time.perf_counter()
            report = sync_decks(ctx)
            samples.append(time.perf_counter() - t)
        out["sync_changed_ms"] = median_ms(samples)
        out["sync_changed"] = report.summary()
    finally:
        ctx.close()
        for spec, cards in decks:
            (folder / f"{spec.name}.yaml").write_text(data.deck_file_text(spec, cards))
    return out


def first_queue(home: Path) -> dict[str, Any]:
    """A fresh process's first card: open the context as the app does, then time what the
    review screen does before it shows a card (``start_head`` + ``next_card``), and apart from
    it the whole queue that its worker reads next (``start``)."""
    use_home(home)
    from studytui.core.clock import SystemClock
    from studytui.core.context import open_context
    from studytui.core.services.review import ReviewFilter, ReviewService
    from studytui.paths import AppPaths

    ctx = open_context(AppPaths.default(), SystemClock())
    try:
        service = ReviewService(ctx)
        t = time.perf_counter()
        head = service.start_head(ReviewFilter())
        card = head.next_card()
        first_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        whole = service.start(ReviewFilter())
        whole_ms = (time.perf_counter() - t) * 1000
    finally:
        ctx.close()
    return {
        "first_card_ms": first_ms,
        "whole_queue_ms": whole_ms,
        "shown": card is not None,
        "counts": dict(vars(whole.counts())),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    commands = ("setup", "measure", "sync-setup", "sync", "first-queue")
    parser.add_argument("command", choices=commands)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--now", type=float, default=time.time())
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--ratings", type=int, default=1000)
    parser.add_argument("--synchronous", choices=("OFF", "NORMAL", "FULL"))
    args = parser.parse_args()
    scale = data.SCALES[args.scale]
    if args.command == "setup":
        result = setup(args.home, scale, args.now)
    elif args.command == "measure":
        result = measure(args.home, args.runs, args.ratings, args.synchronous)
    elif args.command == "first-queue":
        result = first_queue(args.home)
    elif args.command == "sync-setup":
        result = sync_setup(args.home, scale)
    else:
        result = sync(args.home, scale, args.runs)
    json.dump(result, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
