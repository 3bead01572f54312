"""Make tests/data/year_old_home.tar.gz: a home after a year of use of the last release.

    uv run python scripts/year_fixture/generate.py

Checks out the last release (``OLD_RELEASE``) into a temporary worktree, runs ``drive.py`` inside
it (``uv run --project``), so that release's own services write a year of reviews, pomodoros and
the rest into a fresh home, and packs that home (config folder and database) deterministically:
sorted names, fixed times, owner and modes, gzip without a time stamp. Beside it goes the old
release's own export of the home, ``tests/data/year_old_export.json.gz``, taken before any
upgrade. ``tests/test_year_old_upgrade.py`` opens the home with the current code.

Everything the driver does is seeded and runs on a manual clock, and the checkout and the home lie
at fixed paths (``$TMPDIR/studytui-year-fixture``), so two runs give the same files.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OLD_RELEASE = "9cd2052"
HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO / "tests" / "data"
HOME_ARCHIVE = DATA / "year_old_home.tar.gz"
EXPORT_ARCHIVE = DATA / "year_old_export.json.gz"
# 2026-12-01 00:00 UTC: every member of the archive carries this time.
FIXED_MTIME = 1_796_083_200
# What the archive holds, relative to the home; the daily backups, the timer's lock file and
# SQLite's -wal/-shm (none after a clean close) are left out.
KEEP = (".config/studytui", ".local/share/studytui/studytui.db")


def home_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "STUDYTUI"))}
    if "UV_CACHE_DIR" not in env:  # uv's own cache stays where it was, outside the home
        found = subprocess.run(["uv", "cache", "dir"], check=True, capture_output=True, text=True)
        env["UV_CACHE_DIR"] = found.stdout.strip()
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TZ="Europe/Berlin",
    )
    return env


def members(home: Path) -> list[Path]:
    out: list[Path] = []
    for keep in KEEP:
        top = home / keep
        out.append(top)
        if top.is_dir():
            out.extend(sorted(top.rglob("*")))
    return out


def pack(home: Path, target: Path) -> None:
    """A tar.gz that depends only on the files' names and bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        seen: set[str] = set()
        for path in members(home):
            name = path.relative_to(home).as_posix()
            parts = name.split("/")
            for i in range(1, len(parts)):  # parent folders first
                parent = "/".join(parts[:i])
                if parent not in seen:
                    seen.add(parent)
                    tar.addfile(_info(parent, tarfile.DIRTYPE, 0))
            if name in seen:
                continue
            seen.add(name)
            if path.is_dir():
                tar.addfile(_info(name, tarfile.DIRTYPE, 0))
            else:
                data = path.read_bytes()
                tar.addfile(_info(name, tarfile.REGTYPE, len(data)), io.BytesIO(data))
    write_gzip(target, buf.getvalue())


def _info(name: str, kind: bytes, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mode = 0o700 if kind == tarfile.DIRTYPE else 0o600
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_gzip(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(data)


def main() -> int:
    # ``--out DIR`` writes both files there instead (to check that two runs agree).
    out = Path(sys.argv[2]) if sys.argv[1:2] == ["--out"] else DATA
    home_archive, export_archive = out / HOME_ARCHIVE.name, out / EXPORT_ARCHIVE.name
    # A fixed place: the database stores each deck file's path (and digests it), so the
    # checkout and the home must lie at the same paths in every run.
    tmp = Path(tempfile.gettempdir()) / "studytui-year-fixture"
    if tmp.exists():  # left by an interrupted run
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tmp / "old")],
                       check=False)  # fmt: skip
        shutil.rmtree(tmp)
    tmp.mkdir()
    old = tmp / "old"
    home = tmp / "home"
    home.mkdir()
    export = tmp / "export.json"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(old), OLD_RELEASE],
        check=True,
    )
    try:
        result = subprocess.run(
            ["uv", "run", "--project", str(old), "python", str(HERE / "drive.py"), str(home),
             str(export)],
            cwd=old, env=home_env(home), check=True, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        summary = json.loads(result.stdout)
        pack(home, home_archive)
        write_gzip(export_archive, export.read_bytes())
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False
        )
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(summary, indent=1))
    for path in (home_archive, export_archive):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
