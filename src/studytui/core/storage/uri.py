"""SQLite URIs built from file paths, quoted.

A path is not a URI: ``#``, ``?`` and ``%`` in a folder name end or escape the path part of a
``file:`` URI, so ``f"file:{path}?mode=ro"`` on ``/x/we#ird/data`` opens ``/x/we`` (creating an
empty file there) instead of the database. Every URI made from a path goes through here; a test
(``tests/test_hostile_paths.py``) fails if one is built anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote


def file_uri(path: Path, mode: str = "ro") -> str:
    """``file:`` URI for SQLite's ``uri=True`` with every special character of ``path`` quoted."""
    return f"file:{quote(str(Path(path).absolute()), safe='/')}?mode={mode}"
