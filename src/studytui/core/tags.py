"""Free tags on study sessions (``+paper +reading``), besides category and topic.

Watson and Timewarrior users tag their time freely and filter reports by tag. A tag is one word:
letters, digits and ``- _ . /`` (so ``paper``, ``cs231n``, ``ch-3``, ``book/islr``), at most
40 characters, compared without regard to case and stored as first typed. A session keeps its
tags in the order given, each once. The same rule checks the command line, the app's dialogs
and every imported record, so a tag that could not be typed cannot arrive through a file either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from studytui.core.errors import ArgumentError

MAX_TAG = 40
MAX_TAGS = 20
TAG = re.compile(r"[^\W_][\w./-]*", re.UNICODE)


def tag_problem(text: str) -> str | None:
    """Why ``text`` is not a tag, or None when it is one."""
    if not text:
        return "an empty tag"
    if len(text) > MAX_TAG:
        return f"tag '{text[:MAX_TAG]}…' is longer than {MAX_TAG} characters"
    if TAG.fullmatch(text) is None:
        return (
            f"'{text}' is not a tag; a tag is one word of letters, digits and - _ . / "
            "starting with a letter or digit"
        )
    return None


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """The tags as stored: each checked, a leading ``+`` dropped, each once (any case)."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        tag = raw.strip()
        tag = tag[1:] if tag.startswith("+") else tag
        problem = tag_problem(tag)
        if problem is not None:
            raise ArgumentError(problem)
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise ArgumentError(f"{len(out)} tags; a session takes at most {MAX_TAGS}")
    return tuple(out)


def split_note_and_tags(text: str) -> tuple[str | None, tuple[str, ...]]:
    """The app's one note field, Watson-style: words written ``+TAG`` are tags, the rest the
    note ("attention paper +paper" → note "attention paper", tags ("paper",))."""
    words = text.split()
    tags = normalize_tags(w for w in words if w.startswith("+") and len(w) > 1)
    note = " ".join(w for w in words if not (w.startswith("+") and len(w) > 1))
    return (note or None), tags


def join_note_and_tags(note: str | None, tags: Iterable[str]) -> str:
    """The note field's text for a note and its tags (the inverse of ``split_note_and_tags``)."""
    return " ".join([*([note] if note else []), *(f"+{t}" for t in tags)])


def tags_column(tags: Iterable[str]) -> str:
    """The ``study_session.tags`` text of checked tags."""
    return " ".join(tags)


def tags_of(column: str | None) -> tuple[str, ...]:
    """The tags a stored ``tags`` column holds."""
    return tuple(column.split()) if column else ()


def has_tags(tags: Iterable[str], wanted: Iterable[str]) -> bool:
    """True when every tag of ``wanted`` is among ``tags`` (any case)."""
    have = {t.casefold() for t in tags}
    return all(w.casefold() in have for w in wanted)
