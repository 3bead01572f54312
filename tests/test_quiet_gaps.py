"""Gaps that used to pass silently: config.yaml readable by others, ``.yml`` files ignored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.paths import AppPaths

MINI = """schema: 1
id: mini-yml
title: Mini roadmap in a .yml file
phases:
  - id: p1
    title: Phase one
    span: "1"
    weeks:
      - span: "1"
        title: Week one
        topics: [rag]
topics:
  - id: rag
    title: RAG
"""
DECK = """schema: 1
topic: my-notes
title: My notes
cards:
  - id: one
    front: What does a .yml deck hold?
    back: Cards, like a .yaml deck.
"""


def test_config_is_created_private_and_loose_modes_are_repaired(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = AppPaths.default()
    assert run(["week"]) == 0
    assert paths.config_file.stat().st_mode & 0o777 == 0o600
    os.chmod(paths.config_file, 0o644)
    assert run(["week"]) == 0
    assert paths.config_file.stat().st_mode & 0o777 == 0o600
    capsys.readouterr()


def test_yml_files_are_read_like_yaml_files(capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.default()
    paths.user_curriculum_dir.mkdir(parents=True)
    paths.user_deck_dir.mkdir(parents=True)
    (paths.user_curriculum_dir / "mini-yml.yml").write_text(MINI, encoding="utf-8")
    (paths.user_deck_dir / "my-notes.yml").write_text(DECK, encoding="utf-8")
    assert run(["curriculum", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert "mini-yml" in json.dumps(listed)
    assert run(["curriculum", "use", "mini-yml"]) == 0
    assert run(["decks", "sync"]) == 0
    capsys.readouterr()
    assert run(["decks", "list", "--json"]) == 0
    decks = json.dumps(json.loads(capsys.readouterr().out))
    assert "my-notes" in decks


def test_a_yaml_file_wins_over_a_yml_file_of_the_same_name(tmp_path: Path) -> None:
    from studytui.core.textfile import yaml_files

    for name in ("b.yml", "a.yaml", "a.yml", "c.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in yaml_files(tmp_path)] == ["a.yml", "a.yaml", "b.yml"]
