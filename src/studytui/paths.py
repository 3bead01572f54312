"""Where studytui keeps its config, data and database (platformdirs, honouring XDG_*)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs


@dataclass(frozen=True)
class AppPaths:
    """The folders and files of one studytui home; nothing is created until asked."""

    config_dir: Path
    data_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        dirs = PlatformDirs("studytui", appauthor=False)
        return cls(config_dir=Path(dirs.user_config_dir), data_dir=Path(dirs.user_data_dir))

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.yaml"

    @property
    def user_curriculum_dir(self) -> Path:
        return self.config_dir / "curriculum"

    @property
    def user_deck_dir(self) -> Path:
        return self.config_dir / "decks"

    @property
    def database(self) -> Path:
        return self.data_dir / "studytui.db"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    def ensure(self) -> None:
        """Create the folders, readable by the user alone."""
        for folder in (self.config_dir, self.data_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
