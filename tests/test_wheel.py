"""The built wheel carries the bundled curricula and decks and finds them through the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is needed to build the wheel")
def test_wheel_contains_and_finds_data(tmp_path: Path) -> None:
    subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("studytui-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "site")
    curricula = [n for n in names if n.startswith("studytui/data/curriculum/")]
    assert len(curricula) >= 5
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from studytui.resources import bundled_dir;"
        "p = bundled_dir('curriculum'); print(p); print(len(list(p.glob('*.yaml'))))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(tmp_path / "site")],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out[0].startswith(str(tmp_path / "site"))
    assert int(out[1]) >= 5
