"""The command line, run in-process against an isolated home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.paths import AppPaths


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_curriculum_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "curriculum", "list", "--json")
    assert code == 0
    data = json.loads(out)
    by_id = {d["id"]: d for d in data}
    assert len(by_id) == 5
    assert by_id["ml-ai-senior-12w"]["weeks"] == 12
    assert by_id["senior-ai-ml-48w"]["weeks"] == 49
    assert all(d["topics"] > 10 for d in data)
    assert by_id["ml-ai-senior-12w"]["active"] is True


def test_first_run_creates_config_and_database(capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.default()
    assert not paths.config_file.exists()
    code, _, _ = cli(capsys, "week")
    assert code == 0
    assert paths.config_file.exists()
    assert paths.database.exists()
    assert "curriculum: ml-ai-senior-12w" in paths.config_file.read_text(encoding="utf-8")


def test_week_one_of_default_roadmap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "week", "1")
    assert code == 0
    assert "Week 1 of 12" in out
    assert "Week 1: Math review, Python setup, NumPy/Pandas" in out
    assert "Goal: Build solid foundation, complete first ML project" in out
    code, out, _ = cli(capsys, "week", "4", "--json")
    data = json.loads(out)
    assert data["week"] == 4
    assert data["milestones"][0]["title"].startswith("Month 1")


def test_week_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "week", "99")
    assert code == 2  # what was typed is at fault
    assert "studytui: WEEK: 99 is not a week of" in err
    assert "allowed: 1 to" in err
    assert "Traceback" not in err


def test_curriculum_use_and_start(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "curriculum", "use", "senior-ai-ml-48w", "--start", "2026-11-16")
    assert code == 0
    assert "starting 2026-11-16" in out
    code, out, _ = cli(capsys, "week", "--json")
    data = json.loads(out)
    assert data["curriculum"] == "senior-ai-ml-48w"
    code, _, err = cli(capsys, "curriculum", "use", "nope")
    assert code == 2
    assert "no curriculum 'nope'" in err


def test_curriculum_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\nid: x\ntitle: X\nphases: []\ntopics: []\nextra: 1\n")
    code, _, err = cli(capsys, "curriculum", "check", str(bad))
    assert code == 2
    assert f"{bad}:6: extra: unknown key" in err
    assert f"{bad}:4: phases: a curriculum needs at least one phase" in err


def test_bad_config_is_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.default()
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text("day_rollover_hour: noon\n")
    code, _, err = cli(capsys, "week")
    assert code == 2
    assert f"{paths.config_file}:1: day_rollover_hour:" in err


def test_locate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "locate")
    assert code == 0
    assert str(AppPaths.default().database) in out


def test_console_entry_points() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studytui", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("studytui ")


def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "log", "-5m", "theory")
    assert code == 2
    assert err == "studytui: DURATION: '-5m' is negative; allowed: 1s (0.02m) to 24h\n"
    code, out, err = cli(capsys, "log")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "studytui: DURATION: required but not given (CATEGORY too)",
        "usage: studytui log [-h] [--topic TOPIC] [--at START] [--note NOTE] DURATION CATEGORY"
        " [+TAG ...]",
    ]
    code, _, err = cli(capsys, "week", "1", "--bogus", "x")
    assert code == 2
    assert err.startswith("studytui: --bogus: not an option of `studytui week` (nor is x)\n")
    assert "error:" not in err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "log", "--help")
    assert code == 0
    assert out.startswith("usage: studytui log")
    assert "DURATION" in out
    assert "--topic" in out
    assert err == ""
    code, out, _ = cli(capsys, "--version")
    assert code == 0
    assert out.startswith("studytui ")
