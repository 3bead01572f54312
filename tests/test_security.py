"""Security rules held by the source itself: YAML through the safe loader only, nothing that runs
code from data, and every file that holds study data readable by the user alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.core.context import AppContext
from studytui.core.errors import InputError
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.core.yamldoc import load_yaml

SRC = Path(__file__).parent.parent / "src" / "studytui"
FORBIDDEN = {
    r"yaml\.load\(": "yaml.load (use core.yamldoc.load_yaml)",
    r"yaml\.(unsafe_load|full_load|load_all)\(": "an unsafe YAML loader",
    r"\b(Unsafe|Full)?Loader=yaml\.(Loader|UnsafeLoader|FullLoader)": "an unsafe YAML loader",
    r"\bpickle\b|\bmarshal\.loads?\b|\bshelve\b": "deserializing code objects",
    r"\beval\(|\bexec\(": "eval/exec",
    r"shell=True": "a shell",
}


def test_no_unsafe_loading_anywhere_in_the_source() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in FORBIDDEN.items():
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(SRC)}:{line}: {what}")
    assert found == []


def test_yaml_is_read_by_the_safe_loader_only() -> None:
    uses = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if re.search(r"\bimport yaml\b", p.read_text(encoding="utf-8"))
    ]
    assert sorted(uses) == ["core/yamldoc.py"], "YAML goes through core/yamldoc.load_yaml"
    text = (SRC / "core" / "yamldoc.py").read_text(encoding="utf-8")
    assert 'getattr(yaml, "CSafeLoader", yaml.SafeLoader)' in text


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo pwned']\n",
        "x: !!python/name:os.system\n",
        "x: !!python/object:collections.OrderedDict {}\n",
        "!!python/object/new:subprocess.Popen [['true']]\n",
        "x: !custom 1\n",
    ],
)
def test_yaml_tags_that_would_build_objects_are_refused(text: str) -> None:
    with pytest.raises(InputError) as info:
        load_yaml(text, "f.yaml")
    assert "f.yaml:1" in str(info.value)


def test_every_file_holding_study_data_is_private(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    RoadmapService(ctx).set_topic_status("rag", TopicStatus.DONE)
    export = tmp_path / "export.json"
    assert run(["backup"]) == 0
    assert run(["export", str(export)]) == 0
    capsys.readouterr()
    data = ctx.paths.data_dir
    files = [p for p in data.rglob("*") if p.is_file()] + [export]
    assert any(p.name == "studytui.db" for p in files)
    assert any(p.parent.name == "backups" for p in files)
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
    for folder in (data, ctx.paths.backup_dir, ctx.paths.config_dir):
        assert folder.stat().st_mode & 0o077 == 0, f"{folder} is open to others"
