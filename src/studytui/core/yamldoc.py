"""Safe YAML loading that remembers the line of every value, for file:line: field messages.

The document is composed and constructed with PyYAML's SafeLoader only (the same machinery as
``yaml.safe_load``): no tags, no Python objects. Duplicate keys, which ``safe_load`` silently lets
the last one win, are reported instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from studytui.core.errors import InputError, Problem
from studytui.core.textfile import decode_text, read_bytes

PathKey = tuple[str | int, ...]

MAX_FILE_BYTES = 8 * 1024 * 1024
# Values reached again through aliases (``*name``) before the document is refused: a few
# anchors expanding into each other ("billion laughs") would otherwise take hours and all memory.
MAX_ALIAS_EXPANSIONS = 100_000

# libyaml's safe loader when PyYAML has it (about ten times faster), else the pure-Python one.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def path_str(path: PathKey) -> str:
    """Render a path as ``phases[0].weeks[2].topics``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass
class Located:
    """A parsed YAML document with the line (1-based) of each mapping key and list item."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: PathKey, message: str) -> Problem:
        return Problem(self.file, self.line(path), path_str(path), message)


def read_text(path: Path, label: str | None = None) -> str:
    """Read a UTF-8 text file, turning every failure into an InputError naming the file."""
    name = label or str(path)
    return decode_text(read_bytes(path, name, MAX_FILE_BYTES), name)


def load_yaml(text: str, file: str) -> Located:
    """Parse one YAML document; raise InputError with the file and line on any syntax error."""
    doc = Located(file=file, data=None)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return doc
        doc.data = _convert(loader, node, (), doc, _Budget())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        context = exc.context
        if context and exc.context_mark is not None and mark is not exc.context_mark:
            context = f"{context} (started on line {exc.context_mark.line + 1})"
        message = ", ".join(x for x in (exc.problem, context) if x) or "invalid YAML"
        raise InputError.single(file, line, "", f"invalid YAML: {message}") from exc
    except yaml.YAMLError as exc:
        raise InputError.single(file, None, "", f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise InputError.single(file, None, "", "invalid YAML: nesting too deep") from exc
    finally:
        loader.dispose()
    return doc


def load_yaml_file(path: Path, label: str | None = None) -> Located:
    name = label or str(path)
    return load_yaml(read_text(path, name), name)


class _Budget:
    """Counts nodes visited more than once (through aliases)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.repeats = 0

    def visit(self, node: yaml.Node, path: PathKey, doc: Located) -> None:
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return
        self.repeats += 1
        if self.repeats > MAX_ALIAS_EXPANSIONS:
            raise InputError.single(
                doc.file,
                node.start_mark.line + 1,
                path_str(path),
                f"aliases expand to more than {MAX_ALIAS_EXPANSIONS} values; "
                "write the values out instead",
            )


PLAIN_TAGS: dict[type[yaml.Node], str] = {
    yaml.MappingNode: "tag:yaml.org,2002:map",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
}


def _convert(loader: Any, node: yaml.Node, path: PathKey, doc: Located, budget: _Budget) -> Any:
    budget.visit(node, path, doc)
    doc.lines[path] = node.start_mark.line + 1
    plain = PLAIN_TAGS.get(type(node))
    if plain is not None and node.tag != plain:
        # safe_load refuses tags it does not know (such as !!python/object); so do we, for the
        # lists and mappings built here (scalars go through SafeLoader's own constructors).
        raise InputError.single(
            doc.file,
            node.start_mark.line + 1,
            path_str(path),
            f"invalid YAML: the tag '{node.tag}' is not allowed; write plain values",
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, path, doc)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise InputError.single(
                    doc.file, key_node.start_mark.line + 1, path_str(path), "keys must be text"
                )
            key_text = str(key)
            if key_text in result:
                raise InputError.single(
                    doc.file,
                    key_node.start_mark.line + 1,
                    path_str((*path, key_text)),
                    "duplicate key",
                )
            child = (*path, key_text)
            result[key_text] = _convert(loader, value_node, child, doc, budget)
            doc.lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*path, i), doc, budget) for i, item in enumerate(node.value)
        ]
    return _construct(loader, node, path, doc)


def _construct(loader: Any, node: yaml.Node, path: PathKey, doc: Located) -> Any:
    """A scalar through SafeLoader's constructors; a bad date such as 2026-02-30 is an error."""
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise InputError.single(
            doc.file, node.start_mark.line + 1, path_str(path), f"invalid YAML: {exc.problem}"
        ) from exc
    except (ValueError, OverflowError) as exc:
        raise InputError.single(
            doc.file, node.start_mark.line + 1, path_str(path), f"invalid value: {exc}"
        ) from exc
