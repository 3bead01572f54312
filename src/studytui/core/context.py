"""Everything a command or the app needs, built once by ``open_context``.

Opening creates the folders, writes config.yaml on first run, and migrates the database. Nothing
here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from studytui.core.categories import DEFAULT_SPLIT, TimeSplit
from studytui.core.clock import Clock
from studytui.core.config import (
    DEFAULT_CURRICULUM,
    Settings,
    load_settings,
    write_initial_config,
)
from studytui.core.curriculum.catalog import CurriculumCatalog
from studytui.core.curriculum.model import Curriculum
from studytui.core.storage.database import Database
from studytui.core.studyday import StudyCalendar
from studytui.core.timezone import system_zone
from studytui.paths import AppPaths
from studytui.resources import bundled_dir


@dataclass
class AppContext:
    paths: AppPaths
    settings: Settings
    clock: Clock
    catalog: CurriculumCatalog
    db: Database
    notices: list[str] = field(default_factory=list)  # for the user: a failed daily backup

    @property
    def calendar(self) -> StudyCalendar:
        s = self.settings
        return StudyCalendar(s.timezone, s.day_rollover_hour, s.week_start_index)

    def today(self) -> date:
        return self.calendar.day_of(self.clock.now())

    def curriculum(self) -> Curriculum:
        return self.catalog.get(self.settings.curriculum)

    def start_date(self) -> date:
        return self.settings.start_date or self.today()

    def target_split(self) -> TimeSplit:
        if self.settings.target_split is not None:
            return self.settings.target_split
        try:
            return self.curriculum().time_split or DEFAULT_SPLIT
        except Exception:  # a broken curriculum must not hide the split
            return DEFAULT_SPLIT

    def reload_settings(self) -> None:
        self.settings = load_settings(self.paths.config_file)

    def close(self) -> None:
        self.db.close()


def ensure_config(paths: AppPaths, clock: Clock) -> None:
    """Write a documented config.yaml on first run (default roadmap starting today)."""
    if paths.config_file.exists():
        return
    zone = system_zone()
    today = StudyCalendar(zone, 4).day_of(clock.now())
    write_initial_config(paths.config_file, DEFAULT_CURRICULUM, today, zone)


def open_context(
    paths: AppPaths, clock: Clock, *, create: bool = True, daily_backup: bool = True
) -> AppContext:
    """Load settings, find curricula, open (and migrate) the database, take the daily backup."""
    if create:
        paths.ensure()
        ensure_config(paths, clock)
    settings = load_settings(paths.config_file)
    catalog = CurriculumCatalog(bundled_dir("curriculum"), paths.user_curriculum_dir)
    db = Database(paths.database, paths.backup_dir, now=clock.now())
    ctx = AppContext(paths=paths, settings=settings, clock=clock, catalog=catalog, db=db)
    if daily_backup:
        from studytui.core.backups import on_open

        ctx.notices.extend(on_open(ctx))
    return ctx
