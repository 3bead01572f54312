"""All curricula a user can choose: the bundled ones and their own files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studytui.core.curriculum.loader import load_curriculum_file
from studytui.core.curriculum.model import Curriculum
from studytui.core.errors import InputError, NotFoundError
from studytui.core.textfile import yaml_files


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    title: str
    weeks: int
    topics: int
    origin: str
    path: str


class CurriculumCatalog:
    """Loads curriculum files on demand and remembers them; user files override bundled ids."""

    def __init__(self, bundled: Path, user: Path | None = None) -> None:
        self.bundled = bundled
        self.user = user
        self._cache: dict[Path, Curriculum] = {}
        self.errors: list[InputError] = []

    def _files(self) -> list[tuple[Path, str]]:
        found = [(p, "bundled") for p in sorted(self.bundled.glob("*.yaml"))]
        if self.user is not None and self.user.is_dir():
            found += [(p, "user") for p in yaml_files(self.user)]
        return found

    def _load(self, path: Path, origin: str) -> Curriculum:
        if path not in self._cache:
            self._cache[path] = load_curriculum_file(path, origin=origin)
        return self._cache[path]

    def all(self) -> list[Curriculum]:
        """Every valid curriculum; broken user files are kept in ``errors`` and skipped."""
        by_id: dict[str, Curriculum] = {}
        self.errors = []
        for path, origin in self._files():
            try:
                cur = self._load(path, origin)
            except InputError as exc:
                if origin == "bundled":
                    raise
                self.errors.append(exc)
                continue
            by_id[cur.id] = cur
        return list(by_id.values())

    def entries(self) -> list[CatalogEntry]:
        return [
            CatalogEntry(c.id, c.title, c.week_count, len(c.topics), c.origin, c.path)
            for c in self.all()
        ]

    def get(self, curriculum_id: str) -> Curriculum:
        # Try the conventional file name first so start-up reads one file, not all of them.
        for folder, origin in ((self.user, "user"), (self.bundled, "bundled")):
            if folder is None:
                continue
            for candidate in (folder / f"{curriculum_id}.yaml", folder / f"{curriculum_id}.yml"):
                if not candidate.is_file():
                    continue
                try:
                    cur = self._load(candidate, origin)
                except InputError:
                    if origin == "bundled":
                        raise
                    continue
                if cur.id == curriculum_id:
                    return cur
        for cur in self.all():
            if cur.id == curriculum_id:
                return cur
        known = ", ".join(sorted(c.id for c in self.all()))
        raise NotFoundError(f"no curriculum '{curriculum_id}'; known: {known}")
