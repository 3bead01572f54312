"""The bad-input corpus: malformed curricula, config, decks, exports and Watson files.

Each file in ``tests/corpus`` is fed to the command that reads its kind, in-process. Every one
must give a message naming the file, the line (where the file has one) and the field, a non-zero
exit status, no traceback, and leave every file as it was (``tests/corpus/expected.yaml`` holds
what each message must say).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from studytui.cli import run
from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.services.decks import DeckService
from studytui.core.services.review import ReviewService
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.core.services.sessions import SessionsService
from studytui.paths import AppPaths

CORPUS = Path(__file__).parent / "corpus"


def _expected() -> dict[str, list[object]]:
    """Every ``expected*.yaml`` at the corpus root, merged (one file per group of kinds)."""
    merged: dict[str, list[object]] = {}
    for part in sorted(CORPUS.glob("expected*.yaml")):
        entries = yaml.safe_load(part.read_text(encoding="utf-8")) or {}
        for name, value in entries.items():
            assert name not in merged, f"{name} is listed twice ({part.name})"
            merged[name] = value
    return merged


EXPECTED = _expected()
FIXED_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def corpus_files() -> list[str]:
    return sorted(
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and not (p.parent == CORPUS and p.suffix in (".yaml", ".md"))
    )


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with a hash of its bytes (SQLite's -shm index excluded)."""
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.name.endswith("-shm"):
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def seed_home() -> AppPaths:
    """A home with a database holding some progress, as a user's would: a topic status,
    a logged session, synced decks and one reviewed card."""
    paths = AppPaths.default()
    ctx = open_context(paths, ManualClock(FIXED_NOW))
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.LEARNING)
    SessionsService(ctx).log(
        timedelta(minutes=25), Category.THEORY, start=FIXED_NOW - timedelta(hours=2), note="seed"
    )
    DeckService(ctx).sync()
    review = ReviewService(ctx).start()
    if review.next_card() is not None:
        review.rate(3)
        review.flush()
    ctx.close()
    return paths


# Each kind: how to feed one file to the CLI; returns (argv, the path messages must name).
def _curriculum(src: Path, _home: AppPaths) -> tuple[list[str], Path]:
    return ["curriculum", "check", str(src)], src


def _config(src: Path, home: AppPaths) -> tuple[list[str], Path]:
    shutil.copyfile(src, home.config_file)
    return ["week"], home.config_file


def _deck(src: Path, _home: AppPaths) -> tuple[list[str], Path]:
    return ["decks", "check", str(src)], src


def _export(src: Path, _home: AppPaths) -> tuple[list[str], Path]:
    return ["import", str(src)], src


def _watson(src: Path, _home: AppPaths) -> tuple[list[str], Path]:
    return ["import", "--format", "watson", str(src)], src


def _restore(src: Path, home: AppPaths) -> tuple[list[str], Path]:
    """A ``.sql`` file run against a copy of a real, seeded database: the restore candidate."""
    candidate = src.with_suffix(".db")
    live = sqlite3.connect(home.database)
    copy = sqlite3.connect(candidate)
    with copy:
        live.backup(copy)
    live.close()
    copy.executescript(src.read_text(encoding="utf-8"))
    copy.close()
    return ["restore", str(candidate)], candidate


def _cli(src: Path, _home: AppPaths) -> tuple[list[str], Path | None]:
    """A YAML file ``argv: [...]``: one command line; its messages name the argument, no file."""
    argv = yaml.safe_load(src.read_text(encoding="utf-8"))["argv"]
    return [str(a) for a in argv], None


Runner = Callable[[Path, AppPaths], tuple[list[str], Path | None]]
RUNNERS: dict[str, Runner] = {
    "curriculum": _curriculum,
    "config": _config,
    "deck": _deck,
    "export": _export,
    "watson": _watson,
    "restore": _restore,
    "cli": _cli,
}
SEEDED_KINDS = ("config", "export", "watson", "restore", "cli")


def test_corpus_is_complete_and_covers_every_kind() -> None:
    files = corpus_files()
    assert sorted(EXPECTED) == files, "every corpus file needs one line in expected.yaml"
    assert len(files) >= 60
    assert {f.split("/")[0] for f in files} == set(RUNNERS), "every kind has malformed files"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_is_reported_precisely(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    kind = name.split("/")[0]
    line, field, words, *rest = EXPECTED[name]
    exit_code = rest[0] if rest else 2
    home = seed_home() if kind in SEEDED_KINDS else AppPaths.default()
    src = tmp_path / "input" / Path(name).name
    src.parent.mkdir()
    shutil.copyfile(CORPUS / name, src)
    original = (CORPUS / name).read_bytes()
    argv, shown = RUNNERS[kind](src, home)
    before = tree(tmp_path)
    capsys.readouterr()

    code = run(argv)
    out, err = capsys.readouterr()

    assert code == exit_code, (out, err)
    assert "Traceback" not in err
    if shown is None:  # a command line: the message names the argument
        expected = f"studytui: {field}: " if field else "studytui: "
    else:
        where = f"{shown}:{line}" if line is not None else f"{shown}"
        expected = f"{where}: {field}: " if field else f"{where}: "
    assert expected in err, err
    assert str(words) in err, err
    assert src.read_bytes() == original
    after = tree(tmp_path)
    changed = [p for p, digest in before.items() if after.get(p) != digest]
    assert changed == [], f"files changed or removed: {changed}"


def test_oversized_files_are_refused_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as fh:
        line = "# " + "x" * 1000 + "\n"
        for _ in range(9 * 1024):
            fh.write(line)
    code = run(["curriculum", "check", str(big)])
    _, err = capsys.readouterr()
    assert code == 2
    assert f"{big}: file is too large" in err


def test_a_folder_or_missing_file_is_an_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for target, words in ((tmp_path, "cannot read file"), (tmp_path / "no.yaml", "cannot read")):
        code = run(["curriculum", "check", str(target)])
        _, err = capsys.readouterr()
        assert code == 2
        assert f"{target}: {words}" in err
        assert "Traceback" not in err
