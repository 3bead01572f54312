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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return doc
        doc.data = _Converter(loader, doc).convert(node, ())
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


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"


class _Loader(_SafeLoader):  # type: ignore[misc]
    """The safe loader with a quicker implicit-tag resolver (called once per node while
    composing): the same resolvers and order as ``BaseResolver.resolve``, looked up once."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        implicit: dict[Any, list[tuple[str, Any]]] = self.yaml_implicit_resolvers
        wildcard = tuple(implicit.get(None, ()))
        self._paths = bool(self.yaml_path_resolvers)  # none unless registered for this loader
        self._by_first = {k: (*v, *wildcard) for k, v in implicit.items() if k is not None}
        self._wildcard = wildcard

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self._paths:
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], self._wildcard):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


class _Converter:
    """Builds the document's values from its nodes, noting each one's line.

    Plain text scalars (most of a document) are taken as they are, which is what SafeLoader's
    ``str`` constructor returns; other scalars go through SafeLoader's constructors. Nodes reached
    again through aliases are counted, and refused past ``MAX_ALIAS_EXPANSIONS``.
    """

    def __init__(self, loader: Any, doc: Located) -> None:
        self.loader = loader
        self.doc = doc
        self.lines = doc.lines
        self.seen: set[int] = set()
        self.repeats = 0

    def _repeat(self, node: yaml.Node, path: PathKey) -> None:
        self.repeats += 1
        if self.repeats > MAX_ALIAS_EXPANSIONS:
            raise InputError.single(
                self.doc.file,
                node.start_mark.line + 1,
                path_str(path),
                f"aliases expand to more than {MAX_ALIAS_EXPANSIONS} values; "
                "write the values out instead",
            )

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        """The value of ``node`` at ``path`` (one frame per level: as deep as before)."""
        if id(node) in self.seen:
            self._repeat(node, path)
        else:
            self.seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR else self._construct(node, path)
        if kind is yaml.SequenceNode:
            if node.tag != _SEQ:
                self._refuse_tag(node, path)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if kind is not yaml.MappingNode:
            return self._construct(node, path)
        if node.tag != _MAP:
            self._refuse_tag(node, path)
        for key_node, _ in node.value:
            if key_node.tag in (_MERGE, _VALUE):  # merge keys (<<) and '=', as SafeLoader does
                self.loader.flatten_mapping(node)
                break
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is yaml.ScalarNode and key_node.tag == _STR:
                key_text = key_node.value
            else:
                key_text = self._key(key_node, path)
            child = (*path, key_text)
            if key_text in result:
                raise InputError.single(
                    self.doc.file, key_node.start_mark.line + 1, path_str(child), "duplicate key"
                )
            result[key_text] = self.convert(value_node, child)
            self.lines[child] = key_node.start_mark.line + 1
        return result

    def _key(self, node: yaml.Node, path: PathKey) -> str:
        key = self._construct(node, path)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise InputError.single(
                self.doc.file, node.start_mark.line + 1, path_str(path), "keys must be text"
            )
        return str(key)

    def _refuse_tag(self, node: yaml.Node, path: PathKey) -> None:
        # safe_load refuses tags it does not know (such as !!python/object); so do we, for the
        # lists and mappings built here (scalars go through SafeLoader's own constructors).
        raise InputError.single(
            self.doc.file,
            node.start_mark.line + 1,
            path_str(path),
            f"invalid YAML: the tag '{node.tag}' is not allowed; write plain values",
        )

    def _construct(self, node: yaml.Node, path: PathKey) -> Any:
        """A scalar through SafeLoader's constructors; a bad date such as 2026-02-30 is an
        error."""
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise InputError.single(
                self.doc.file,
                node.start_mark.line + 1,
                path_str(path),
                f"invalid YAML: {exc.problem}",
            ) from exc
        except (ValueError, OverflowError) as exc:
            raise InputError.single(
                self.doc.file, node.start_mark.line + 1, path_str(path), f"invalid value: {exc}"
            ) from exc
