"""Bringing a Watson time log in (its frames file), and taking the time log out as CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.errors import InputError
from studytui.core.services.sessions import SessionsService
from studytui.core.services.watson import WatsonImporter


def ts(day: int, hour: int, minute: int = 0) -> int:
    return int(datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp())


FRAMES = [
    # start, stop, project, id, tags, updated_at
    [ts(16, 8), ts(16, 9), "rag", "a1" * 16, ["theory"], ts(16, 9)],
    [ts(16, 9, 10), ts(16, 10), "homework", "b2" * 16, ["hands-on", "numpy"], ts(16, 10)],
    [ts(17, 18), ts(17, 18, 45), "meetup", "c3" * 16, [], ts(17, 19)],
    [ts(18, 7), ts(18, 7, 30), "reading", "d4" * 16],  # Watson before tags (4 values)
]


def write(tmp_path: Path, frames: list[list[object]], name: str = "frames") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(frames, indent=1), encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_frames_become_sessions_once(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, FRAMES)
    code, out, err = cli(
        capsys, "import", "--format", "watson", str(path), "--map", "meetup=community",
        "--category", "theory",
    )  # fmt: skip
    assert code == 0, err
    assert "Imported 4 Watson frames (185 min)" in out
    views = SessionsService(ctx).all_kept()
    assert [(v.category, v.minutes, v.topic_id) for v in views] == [
        (Category.THEORY, 60, "rag"),  # the project is a topic of the curriculum
        (Category.HANDS_ON, 50, "numpy"),  # so is a tag
        (Category.COMMUNITY, 45, None),  # from --map
        (Category.THEORY, 30, None),  # from --category
    ]
    assert views[1].note == "watson: homework +hands-on +numpy"
    # Importing again adds nothing.
    code, out, _ = cli(capsys, "import", "--format", "watson", str(path), "--category", "theory")
    assert code == 0
    assert "Imported 0 Watson frames (0 min); 4 were already here." in out
    assert len(SessionsService(ctx).all_kept()) == 4


def test_sessions_csv_carries_the_imported_history_out(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    WatsonImporter(ctx, category=Category.THEORY).import_file(write(tmp_path, FRAMES))
    code, out, _ = cli(capsys, "sessions", "--all", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    assert rows[0]["start"] == "2026-11-16T09:00:00+01:00"
    assert rows[0]["minutes"] == "60"
    assert {r["category"] for r in rows} == {"theory", "hands-on"}


def test_overlapping_frames_are_refused_by_name_and_nothing_is_imported(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frames = [*FRAMES, [ts(16, 8, 30), ts(16, 8, 50), "rag", "e5" * 16, ["theory"], 0]]
    path = write(tmp_path, frames)
    before = path.read_bytes()
    code, _, err = cli(capsys, "import", "--format", "watson", str(path), "--category", "theory")
    assert code == 2
    assert f"{path}:" in err
    assert (
        "[4]: frame e5e5e5e (rag +theory, 2026-11-16 08:30–08:50 UTC) overlaps frame a1a1a1a" in err
    )
    assert "never trims or merges" in err
    assert "nothing was imported" in err
    assert SessionsService(ctx).all_kept() == []
    assert path.read_bytes() == before


def test_a_frame_overlapping_a_logged_session_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    start = datetime(2026, 11, 17, 18, 30, tzinfo=UTC)
    SessionsService(ctx).log(timedelta(minutes=30), Category.THEORY, start=start)
    with pytest.raises(InputError) as info:
        WatsonImporter(ctx, category=Category.THEORY).import_file(write(tmp_path, FRAMES))
    messages = [str(p) for p in info.value.problems]
    assert any("frame c3c3c3c" in m and "overlaps session 1 (theory" in m for m in messages)
    assert len(SessionsService(ctx).all_kept()) == 1


def test_a_frame_without_category_names_its_line(ctx: AppContext, tmp_path: Path) -> None:
    path = write(tmp_path, FRAMES)
    with pytest.raises(InputError) as info:
        WatsonImporter(ctx).import_file(path)
    problems = {(p.line, p.field) for p in info.value.problems}
    assert (26, "[2][2]") in problems  # the project of the third frame
    assert any("--map 'meetup=CATEGORY'" in p.message for p in info.value.problems)
    assert SessionsService(ctx).all_kept() == []


def test_future_and_over_long_frames_are_refused(ctx: AppContext, tmp_path: Path) -> None:
    future = [ts(22, 8), ts(22, 9), "rag", "f6" * 16, ["theory"], 0]
    long = [ts(10, 8), ts(11, 9), "rag", "a7" * 16, ["theory"], 0]
    for frame, words in (
        (future, "[0][1]: stop: the frame ends in the future"),
        (long, "[0][1]: stop: the frame lasts 25.0 hours"),
    ):
        with pytest.raises(InputError) as info:
            WatsonImporter(ctx).import_file(write(tmp_path, [frame]))
        assert words in str(info.value)
    assert SessionsService(ctx).all_kept() == []


def test_frames_imported_as_an_export_say_which_format(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, FRAMES)
    code, _, err = cli(capsys, "import", str(path))
    assert code == 2
    assert err == (
        f"studytui: {path}: this looks like a Watson frames file; import it with --format watson\n"
    )
    assert SessionsService(ctx).all_kept() == []
    other = write(tmp_path, [1, 2, 3], name="numbers")  # a list, but not of frames
    code, _, err = cli(capsys, "import", str(other))
    assert code == 2
    assert "expected a mapping, got a list" in err
    assert "Watson" not in err
