"""Where the bundled curricula and decks are: in the installed wheel or in a source checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def bundled_dir(name: str) -> Path:
    """The folder of bundled ``curriculum`` or ``decks`` files.

    A built wheel carries them as ``studytui/data/<name>``; an editable install from a clone reads
    the top-level folders of the checkout, so edits show up without reinstalling.
    """
    packaged = Path(str(files("studytui"))) / "data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled {name} folder not found (looked in {packaged}, {checkout})")
