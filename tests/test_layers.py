"""The layering rule: core never imports Textual; ui never imports SQLAlchemy or storage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "studytui"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def files(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


@pytest.mark.parametrize("path", files("core"), ids=lambda p: str(p.relative_to(SRC)))
def test_core_does_not_import_textual_or_ui(path: Path) -> None:
    bad = {
        m for m in imported_modules(path)
        if m.split(".")[0] in {"textual", "textual_plotext"} or m.startswith("studytui.ui")
    }  # fmt: skip
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", files("ui"), ids=lambda p: str(p.relative_to(SRC)))
def test_ui_does_not_touch_sql(path: Path) -> None:
    bad = {
        m for m in imported_modules(path)
        if m.split(".")[0] in {"sqlalchemy", "sqlite3"} or m.startswith("studytui.core.storage")
    }  # fmt: skip
    assert not bad, f"{path} imports {bad}"


def test_layer_check_sees_files() -> None:
    assert len(files("core")) > 10
    assert len(files("ui")) > 3


def test_yaml_is_only_loaded_safely() -> None:
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("yaml.load(", "yaml.Loader", "yaml.FullLoader", "yaml.UnsafeLoader",
                          "unsafe_load", "yaml.full_load"):  # fmt: skip
            assert forbidden not in text, f"{path} uses {forbidden}"


def test_importing_the_app_has_no_side_effects(tmp_path: Path) -> None:
    import subprocess
    import sys

    env_home = tmp_path / "h"
    code = "import studytui.ui.app, studytui.cli, studytui.core.context"
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={"HOME": str(env_home), "XDG_CONFIG_HOME": str(env_home / "c"),
             "XDG_DATA_HOME": str(env_home / "d"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert not env_home.exists(), "importing studytui created files"
