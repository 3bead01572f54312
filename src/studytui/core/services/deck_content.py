"""What the deck files teach: content checks and coverage, over the decks in effect.

The decks in effect are the bundled files with the user's own files replacing them by name, as the
sync loads them; a deck file that does not parse is reported and left out, so one broken file does
not hide the findings of the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studytui.core.context import AppContext
from studytui.core.decks.coverage import (
    CurriculumCoverage,
    UnknownCover,
    curriculum_coverage,
    unknown_covers,
)
from studytui.core.decks.lint import Finding, lint_decks
from studytui.core.decks.parser import DeckFile, load_deck_file
from studytui.core.decks.sync import bundled_deck_dir
from studytui.core.errors import InputError, Problem
from studytui.core.textfile import yaml_files


@dataclass(frozen=True)
class ContentReport:
    decks: int
    cards: int
    findings: tuple[Finding, ...]
    unknown_covers: tuple[UnknownCover, ...]
    waived: int
    problems: tuple[Problem, ...]  # files that do not parse

    @property
    def clean(self) -> bool:
        return not self.findings and not self.unknown_covers and not self.problems


def deck_file_paths(ctx: AppContext) -> dict[str, Path]:
    """topic id → the deck file in effect for it (a user file replaces a bundled one)."""
    files: dict[str, Path] = {}
    bundled = bundled_deck_dir()
    if bundled is not None:
        files.update({p.stem: p for p in sorted(bundled.glob("*.yaml"))})
    user_dir = ctx.paths.user_deck_dir
    if user_dir.is_dir():
        files.update({p.stem: p for p in yaml_files(user_dir)})
    return files


def _load_all(paths: dict[str, Path]) -> tuple[dict[str, DeckFile], list[Problem]]:
    decks: dict[str, DeckFile] = {}
    problems: list[Problem] = []
    for name, path in sorted(paths.items()):
        try:
            decks[name] = load_deck_file(path, expect_topic=name)
        except InputError as exc:
            problems.extend(exc.problems)
    return decks, problems


def _dangling_includes(chosen: list[DeckFile], decks: dict[str, DeckFile]) -> list[Finding]:
    """Includes that name a deck or note the decks in effect do not have."""
    out: list[Finding] = []
    for deck in chosen:
        for i, inc in enumerate(deck.includes):
            home = decks.get(inc.deck)
            notes = {":".join(c.key.split(":", 2)[:2]) for c in home.cards()} if home else set()
            if inc.note not in notes:
                what = (
                    f"no note {inc.note} in deck '{inc.deck}'" if home else f"no deck '{inc.deck}'"
                )
                out.append(Finding(deck.path, inc.line, f"include[{i}]", "include", what))
    return out


def check_content(ctx: AppContext, only: list[Path] | None = None) -> ContentReport:
    """Content findings of every deck in effect, or of the files in ``only`` (checked against the
    others for duplicates; a file given replaces the deck of its name)."""
    paths = deck_file_paths(ctx)
    for path in only or []:
        paths[path.stem] = path
    decks, problems = _load_all(paths)
    wanted = {p.stem for p in only} if only else set(decks)
    if only:
        problems = [p for p in problems if any(p.file == str(f) for f in only)]
    # The decks asked about go last, so a front they repeat is reported on them.
    ordered = sorted(decks.values(), key=lambda d: (d.topic in wanted, d.topic))
    result = lint_decks(ordered)
    findings = tuple(f for f in result.findings if Path(f.file).stem in wanted)
    chosen = [d for d in ordered if d.topic in wanted]
    findings += tuple(_dangling_includes(chosen, decks))
    unknown = tuple(unknown_covers(chosen, ctx.catalog.all()))
    return ContentReport(
        decks=len(chosen),
        cards=sum(len(d.cards()) for d in chosen),
        findings=findings,
        unknown_covers=unknown,
        waived=result.waived,
        problems=tuple(problems),
    )


def coverage(
    ctx: AppContext, curriculum_id: str | None = None
) -> tuple[list[CurriculumCoverage], list[Problem]]:
    """Coverage of one curriculum (raises NotFoundError for an unknown id) or of every one."""
    curricula = ctx.catalog.all()
    chosen = [ctx.catalog.get(curriculum_id)] if curriculum_id else curricula
    decks, problems = _load_all(deck_file_paths(ctx))
    return [curriculum_coverage(c, decks, curricula) for c in chosen], problems
