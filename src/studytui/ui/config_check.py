"""Settings only the UI can judge: the theme name and the binding ids under ``keys:``.

``core.config`` cannot know Textual's themes or the screens' bindings, so it accepts any text
there; the app checks both once it runs and warns naming the entry, instead of ignoring a typo.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable, Iterator
from importlib import import_module

from textual.binding import Binding
from textual.dom import DOMNode

from studytui.core.config import Settings


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def known_binding_ids() -> set[str]:
    """The ids of every binding a ``keys:`` entry may remap (studytui's and Textual's)."""
    import studytui.ui

    # Import every ui module so each screen and widget class is visible as a subclass.
    for module in pkgutil.walk_packages(studytui.ui.__path__, "studytui.ui."):
        import_module(module.name)
    ids: set[str] = set()
    for cls in _subclasses(DOMNode):
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def settings_warnings(settings: Settings, themes: Iterable[str]) -> list[str]:
    """One warning per ``theme`` or ``keys`` entry the app cannot apply, naming the file."""
    where = settings.source or "config.yaml"
    warnings: list[str] = []
    names = sorted(themes)
    if settings.theme not in names:
        warnings.append(
            f"{where}: theme: unknown theme '{settings.theme[:60]}'; using textual-dark "
            f"(themes: {', '.join(names)})"
        )
    from studytui.core.sound import sound_warnings

    warnings.extend(sound_warnings(settings.pomodoro, settings.source))
    if settings.keys:
        known = known_binding_ids()
        for binding_id, _keys in settings.keys:
            if binding_id not in known:
                warnings.append(
                    f"{where}: keys.{binding_id[:60]}: unknown binding id, not applied; "
                    "the help screen (F1) lists each key's id"
                )
    return warnings
