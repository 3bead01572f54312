"""Export and import: everything the user made survives a round trip; merging adds no duplicates."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Scheduler
from sqlalchemy import func, select

from studytui.cli import run
from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.config import set_config_values
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import InputError
from studytui.core.scheduling import Rating
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.core.services.sessions import SessionsService
from studytui.core.services.transfer import TransferService
from studytui.core.storage.models import Card, ReviewLog, SchedulerParams, StudySession
from studytui.core.timer import TimerState, WorkTarget
from studytui.paths import AppPaths

START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Berlin

MY_CURRICULUM = """\
schema: 1
id: my-own
title: My own roadmap
phases:
  - id: p1
    title: Phase one
    span: "1"
    weeks:
      - span: "1"
        title: Retrieval
        topics: [rag, my-topic]
topics:
  - id: rag
    title: RAG
  - id: my-topic
    title: My topic
"""

MY_DECK = """\
schema: 1
topic: my-topic
title: My topic
cards:
  - id: one
    front: "[b]Literal[/b] markup stays text"
    back: "Yes, literally."
"""


def home(root: Path) -> AppPaths:
    return AppPaths(config_dir=root / "config", data_dir=root / "data")


def review(ctx: AppContext, deck: str, ratings: list[Rating]) -> None:
    session = ReviewService(ctx).start(ReviewFilter(deck=deck))
    for rating in ratings:
        assert session.next_card() is not None
        session.rate(rating)
    session.flush()


def build_rich_home(paths: AppPaths, clock: ManualClock) -> None:
    """A home with some of everything: progress, milestones, sessions, reviews, own files."""
    paths.user_curriculum_dir.mkdir(parents=True)
    (paths.user_curriculum_dir / "my-own.yaml").write_text(MY_CURRICULUM, encoding="utf-8")
    paths.user_deck_dir.mkdir(parents=True)
    (paths.user_deck_dir / "my-topic.yaml").write_text(MY_DECK, encoding="utf-8")
    ctx = open_context(paths, clock)
    try:
        set_config_values(paths.config_file, {"start_date": "2026-11-16", "streak_minutes": "30"})
        ctx.reload_settings()
        roadmap = RoadmapService(ctx)
        roadmap.set_topic_status("rag", TopicStatus.LEARNING)
        roadmap.set_topic_status("rag", TopicStatus.LEARNING)  # the same event twice, same instant
        roadmap.set_checked("milestone:month-1", "Build first ML model", True)
        sync_decks(ctx)
        sessions = SessionsService(ctx)
        sessions.log(timedelta(minutes=45), Category.THEORY, topic_id="rag", note="[red]paper[/]")
        clock.advance(minutes=50)
        state = sessions.start(TimerState(), WorkTarget(Category.HANDS_ON, "rag"))
        clock.advance(minutes=10)
        sessions.stop(state)
        gone = sessions.log(timedelta(minutes=5), Category.COMMUNITY, start=START)
        sessions.delete(gone.id)
        review(ctx, "rag", [Rating.Good, Rating.Again, Rating.Easy])
        clock.advance(days=1)
        review(ctx, "rag", [Rating.Good, Rating.Hard])
        review(ctx, "my-topic", [Rating.Good])
        svc = ReviewService(ctx)
        with ctx.db.read() as s:
            card_id = s.scalar(select(Card.id).where(Card.key == "concept:chunking:fwd"))
        assert card_id is not None
        svc.edit(card_id, "Chunking (edited)", "Splitting documents into passages.")
        svc.add("rag", "My own question", "My own answer", reverse=True)
        with ctx.db.write() as s:
            s.add(
                SchedulerParams(
                    fitted_at=clock.now(),
                    parameters=json.dumps(list(Scheduler().parameters)),
                    reviews_used=6,
                    loss_before=0.5,
                    loss_after=0.25,
                )
            )
        roadmap.set_topic_status("rag", TopicStatus.DONE)
        clock.advance(hours=1)
    finally:
        ctx.close()


def content(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def export(paths: AppPaths, clock: ManualClock) -> dict[str, Any]:
    ctx = open_context(paths, clock)
    try:
        return TransferService(ctx).document()
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime]:
    """Home A, built once per module (syncing every bundled deck takes a moment)."""
    root = tmp_path_factory.mktemp("built")
    clock = ManualClock(START)
    paths = home(root / "a")
    build_rich_home(paths, clock)
    ctx = open_context(paths, clock)
    TransferService(ctx).export(root / "export.json")
    ctx.close()
    return root, clock.now()


@pytest.fixture
def rich(built: tuple[Path, datetime], tmp_path: Path) -> tuple[AppPaths, ManualClock, Path]:
    """A copy of home A and its export for one test."""
    root, now = built
    shutil.copytree(root / "a", tmp_path / "a", symlinks=True)
    shutil.copyfile(root / "export.json", tmp_path / "export.json")
    (tmp_path / "export.json").chmod(0o600)
    return home(tmp_path / "a"), ManualClock(now), tmp_path / "export.json"


def test_export_holds_everything_the_user_made(rich: tuple[AppPaths, ManualClock, Path]) -> None:
    _, _, file = rich
    doc = json.loads(file.read_text(encoding="utf-8"))
    assert file.stat().st_mode & 0o777 == 0o600
    assert (doc["format"], doc["version"]) == ("studytui-export", 1)
    assert [(e["topic"], e["status"]) for e in doc["topic_status_events"]] == [
        ("rag", "learning"),
        ("rag", "learning"),
        ("rag", "done"),
    ]
    assert doc["checklist_events"][0]["item"] == "Build first ML model"
    assert sorted(s["status"] for s in doc["sessions"]) == ["completed", "completed", "interrupted"]
    assert sum(1 for s in doc["sessions"] if s["deleted_at"]) == 1
    assert any(s["note"] == "[red]paper[/]" for s in doc["sessions"])
    assert len(doc["review_logs"]) == 6
    reviewed = [c for c in doc["cards"] if c["last_review"]]
    assert len(reviewed) >= 3
    assert all(c["stability"] is not None and c["due"] for c in reviewed)
    assert any(c["front"] == "Chunking (edited)" and c["edited_at"] for c in doc["cards"])
    assert sum(1 for c in doc["cards"] if c["origin"] == "user") == 2
    assert json.loads(doc["scheduler_params"][0]["parameters"]) == list(Scheduler().parameters)
    assert "streak_minutes: 30" in doc["settings"]["config_yaml"]
    assert {(f["folder"], f["name"]) for f in doc["files"]} == {
        ("curriculum", "my-own.yaml"),
        ("decks", "my-topic.yaml"),
    }
    text = file.read_text(encoding="utf-8")
    assert '"id":' not in text, "database ids never leave the database"


@pytest.mark.parametrize("synced_first", [False, True], ids=["empty-home", "synced-home"])
def test_round_trip_into_a_fresh_home_gives_the_same_export(
    rich: tuple[AppPaths, ManualClock, Path], tmp_path: Path, synced_first: bool
) -> None:
    a_paths, clock, file = rich
    original = content(json.loads(file.read_text(encoding="utf-8")))
    b_paths = home(tmp_path / "b")
    clock.advance(days=3)
    ctx = open_context(b_paths, clock)
    try:
        if synced_first:  # the app loads bundled decks on its first start
            sync_decks(ctx)
        report = TransferService(ctx).import_file(file)
        assert report.settings == "replaced"
        assert report.added["review_logs"] == 6
        assert len(report.files_written) == 2
    finally:
        ctx.close()
    again = content(export(b_paths, clock))
    for key in original:
        assert again[key] == original[key], key
    assert b_paths.config_file.read_text(encoding="utf-8") == a_paths.config_file.read_text(
        encoding="utf-8"
    )
    # The restored state is live: the curriculum's statuses and the review queue come back.
    ctx = open_context(b_paths, clock)
    try:
        assert RoadmapService(ctx).topic_statuses(["rag"]) == {"rag": TopicStatus.DONE}
        assert len(SessionsService(ctx).all_kept()) == 2
    finally:
        ctx.close()


def test_importing_twice_adds_nothing(rich: tuple[AppPaths, ManualClock, Path]) -> None:
    paths, clock, file = rich
    before = content(export(paths, clock))
    ctx = open_context(paths, clock)
    try:
        report = TransferService(ctx).import_file(file)
    finally:
        ctx.close()
    assert sum(report.added.values()) == 0
    assert report.already["review_logs"] == 6
    assert report.already["topic_status_events"] == 3
    assert report.cards_updated == 0
    assert report.settings == "unchanged"
    assert content(export(paths, clock)) == before


def test_merge_into_a_home_with_its_own_history(
    rich: tuple[AppPaths, ManualClock, Path], tmp_path: Path
) -> None:
    _, clock, file = rich
    b_paths = home(tmp_path / "b")
    clock.advance(days=2)
    ctx = open_context(b_paths, clock)
    try:
        set_config_values(b_paths.config_file, {"theme": "nord"})
        RoadmapService(ctx).set_topic_status("rag", TopicStatus.SKIPPED)  # newer than the export
        SessionsService(ctx).log(timedelta(minutes=20), Category.THEORY)
        sync_decks(ctx)
        review(ctx, "rag", [Rating.Good])
        with ctx.db.read() as s:
            own_logs = s.scalar(select(func.count(ReviewLog.id)))
        service = TransferService(ctx)
        report = service.import_file(file)
        assert report.settings == "kept", "a home with data keeps its config"
        with ctx.db.read() as s:
            assert s.scalar(select(func.count(ReviewLog.id))) == own_logs + 6
            assert s.scalar(select(func.count(StudySession.id))) == 4
        # Older imported events do not override the newer local status.
        assert RoadmapService(ctx).topic_statuses(["rag"]) == {"rag": TopicStatus.SKIPPED}
        statuses = [st for st, _ in RoadmapService(ctx).status_history("rag")]
        assert statuses == [
            TopicStatus.LEARNING,
            TopicStatus.LEARNING,
            TopicStatus.DONE,
            TopicStatus.SKIPPED,
        ]
        merged = content(service.document())
        again = service.import_file(file)
        assert sum(again.added.values()) == 0
        assert content(service.document()) == merged
    finally:
        ctx.close()
    assert "theme: nord" in b_paths.config_file.read_text(encoding="utf-8")


def test_card_merge_keeps_the_later_review(
    rich: tuple[AppPaths, ManualClock, Path], tmp_path: Path
) -> None:
    _, clock, file = rich
    doc = json.loads(file.read_text(encoding="utf-8"))
    b_paths = home(tmp_path / "b")
    clock.advance(days=5)
    ctx = open_context(b_paths, clock)
    try:
        sync_decks(ctx)
        TransferService(ctx).import_file(file)
        review(ctx, "rag", [Rating.Good, Rating.Good, Rating.Good, Rating.Good, Rating.Good])
        newer = {
            c["key"]: c for c in TransferService(ctx).document()["cards"] if c["deck"] == "rag"
        }
        TransferService(ctx).import_file(file)  # the older export must not roll states back
        after = {
            c["key"]: c for c in TransferService(ctx).document()["cards"] if c["deck"] == "rag"
        }
    finally:
        ctx.close()
    assert after == newer
    assert any(
        c["last_review"] and c["last_review"] > (d["last_review"] or "")
        for c in after.values()
        for d in doc["cards"]
        if d["deck"] == "rag" and d["key"] == c["key"]
    )


def test_an_overlapping_session_refuses_the_whole_import(
    rich: tuple[AppPaths, ManualClock, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, clock, file = rich
    b_paths = home(tmp_path / "b")
    ctx = open_context(b_paths, clock)
    try:
        SessionsService(ctx).log(
            timedelta(minutes=30), Category.COMMUNITY, start=START - timedelta(minutes=20)
        )
        before = content(TransferService(ctx).document())
    finally:
        ctx.close()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(b_paths.config_dir.parent / "xdg-config"))
    monkeypatch.setattr(AppPaths, "default", classmethod(lambda cls: b_paths))
    code = run(["import", str(file)])
    _, err = capsys.readouterr()
    assert code == 2
    assert f"{file}:" in err
    assert "sessions[0]: overlaps session 1 (community" in err
    assert "nothing was imported" in err
    assert "Traceback" not in err
    assert content(export(b_paths, clock)) == before
    assert not b_paths.user_deck_dir.exists(), "no file is written when the import fails"


def test_settings_modes(rich: tuple[AppPaths, ManualClock, Path], tmp_path: Path) -> None:
    a_paths, clock, file = rich
    exported = a_paths.config_file.read_text(encoding="utf-8")
    b_paths = home(tmp_path / "b")
    ctx = open_context(b_paths, clock)
    try:
        set_config_values(b_paths.config_file, {"theme": "nord"})
        mine = b_paths.config_file.read_text(encoding="utf-8")
        report = TransferService(ctx).import_file(file, settings="keep")
        assert report.settings == "kept"
        assert b_paths.config_file.read_text(encoding="utf-8") == mine
        report = TransferService(ctx).import_file(file, settings="replace")
        assert report.settings == "replaced"
        assert b_paths.config_file.read_text(encoding="utf-8") == exported
        assert report.settings_copy is not None
        assert report.settings_copy.read_text(encoding="utf-8") == mine
        assert report.settings_copy.stat().st_mode & 0o777 == 0o600
        assert ctx.settings.streak_minutes == 30, "settings are reloaded"
    finally:
        ctx.close()


def test_user_files_are_never_overwritten_or_written_outside_their_folder(
    rich: tuple[AppPaths, ManualClock, Path], tmp_path: Path
) -> None:
    _, clock, file = rich
    b_paths = home(tmp_path / "b")
    b_paths.user_deck_dir.mkdir(parents=True)
    mine = "schema: 1\ntopic: my-topic\ntitle: Mine\n"
    (b_paths.user_deck_dir / "my-topic.yaml").write_text(mine, encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious\n", encoding="utf-8")
    b_paths.user_curriculum_dir.mkdir(parents=True)
    (b_paths.user_curriculum_dir / "my-own.yaml").symlink_to(outside)
    ctx = open_context(b_paths, clock)
    try:
        report = TransferService(ctx).import_file(file)
    finally:
        ctx.close()
    assert (b_paths.user_deck_dir / "my-topic.yaml").read_text(encoding="utf-8") == mine
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert len(report.files_kept) == 2
    assert report.files_written == []


@pytest.mark.parametrize(
    "name",
    [
        "../escape.yaml",
        "/tmp/abs.yaml",
        "sub/dir.yaml",
        ".hidden.yaml",
        "..",
        "x.yaml/../../y.yaml",
    ],
)
def test_file_names_that_would_leave_the_folder_are_refused(
    rich: tuple[AppPaths, ManualClock, Path], tmp_path: Path, name: str
) -> None:
    _, clock, _ = rich
    doc = {
        "format": "studytui-export",
        "version": 1,
        "files": [{"folder": "decks", "name": name, "text": MY_DECK}],
    }
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    b_paths = home(tmp_path / "b")
    ctx = open_context(b_paths, clock)
    try:
        with pytest.raises(InputError) as info:
            TransferService(ctx).import_file(evil)
    finally:
        ctx.close()
    problem = info.value.problems[0]
    assert problem.field == "files[0].name"
    assert problem.line is not None
    assert "plain file name" in problem.message
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.yaml"))
    assert all(p.startswith("a/") or p == "b/config/config.yaml" for p in written), written


def test_export_command_refuses_to_replace_a_file(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    target.write_text("mine", encoding="utf-8")
    code = run(["export", str(target)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "file exists" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(["export", str(target), "--force"]) == 0
    capsys.readouterr()
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "studytui-export"
    assert target.stat().st_mode & 0o777 == 0o600
    assert run(["export", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 1


def test_import_of_a_newer_export_is_refused(tmp_path: Path, ctx: AppContext) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "studytui-export", "version": 99}\n', encoding="utf-8")
    with pytest.raises(InputError, match="newer studytui"):
        TransferService(ctx).import_file(newer)


def test_database_is_unchanged_by_a_refused_import(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    bad = tmp_path / "bad.json"
    doc = {
        "format": "studytui-export",
        "version": 1,
        "topic_status_events": [
            {"topic": "nlp", "status": "done", "at": "2026-11-20T10:00:00Z"},
            {"topic": "rag", "status": "finished", "at": "2026-11-20T10:00:00Z"},
        ],
    }
    bad.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    code = run(["import", str(bad)])
    _, err = capsys.readouterr()
    assert code == 2
    assert f"{bad}:12: topic_status_events[1].status: 'finished'; allowed:" in err
    conn = sqlite3.connect(ctx.paths.database)
    assert conn.execute("SELECT topic_id FROM topic_status_event").fetchall() == [("rag",)]
    conn.close()
