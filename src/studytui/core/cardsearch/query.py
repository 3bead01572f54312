"""Anki's search syntax for cards, parsed into a tree: ``deck:nlp is:due -is:suspended``.

What Anki users type in its browser works here in the same way:

- words match the front or back anywhere, ignoring case; ``*`` is any run of characters and
  ``_`` any one character; ``"two words"`` is one phrase; ``re:PATTERN`` a regular expression;
- ``field:value`` narrows by ``deck:`` (``*`` wildcards), ``topic:``, ``tag:``, ``key:``,
  ``kind:`` (concept, cloze, basic), ``front:`` and ``back:`` (text in that side), ``cid:`` ids;
- ``is:new``, ``is:learn``, ``is:review``, ``is:due``, ``is:suspended``, ``is:buried``,
  ``is:leech``;
- ``prop:ivl>30`` (interval in days), ``prop:due<=1`` (days until due, negative when overdue),
  ``prop:reps``, ``prop:lapses``, ``prop:s`` (stability, days), ``prop:d`` (difficulty, 0 to 1 as
  Anki shows it) with ``< <= = != >= >``;
- ``rated:N`` (answered in the last N study days, today being 1), ``rated:N:R`` (with rating R,
  1 Again … 4 Easy), ``added:N`` (created in the last N days);
- ``-`` negates a term or a group, juxtaposition is AND, ``or`` (any case) is OR and binds
  looser than AND, as in Anki (its terms become SQL joined by AND and OR), and ``( … )`` groups.

A query that cannot be read is refused with what is wrong and where, never half-applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studytui.core.errors import ArgumentError

STATES = ("new", "learn", "review", "due", "suspended", "buried", "leech")
PROPS = ("ivl", "due", "reps", "lapses", "s", "d")
KINDS = ("concept", "cloze", "basic")
FIELDS = ("deck", "topic", "tag", "key", "kind", "front", "back", "cid", "re")
MAX_QUERY = 2000
_PROP = re.compile(r"(?P<name>[a-z]+)(?P<op><=|>=|!=|<|>|=)(?P<value>-?\d+(?:\.\d+)?)")


class SearchError(ArgumentError):
    """A query that cannot be read; the message names the term at fault."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "QUERY")


@dataclass(frozen=True)
class Term:
    """One search term: ``kind`` is "text", a field name, "is", "prop", "rated" or "added"."""

    kind: str
    value: str = ""
    op: str = ""
    number: float = 0.0
    rating: int | None = None


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    children: tuple[Node, ...]


Node = Term | Not | All | Any_


def _tokens(text: str) -> list[str]:
    """Words, ``"quoted phrases"`` (kept with their quotes), ``(`` and ``)``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(ch)
            i += 1
        else:
            j = i
            buf = []
            while j < len(text) and not text[j].isspace() and text[j] not in "()":
                if text[j] == '"':
                    end = text.find('"', j + 1)
                    if end < 0:
                        raise SearchError(f"an unclosed quote in {text[i:][:40]!r}")
                    buf.append(text[j : end + 1])
                    j = end + 1
                else:
                    buf.append(text[j])
                    j += 1
            out.append("".join(buf))
            i = j
    return out


def _unquote(text: str) -> str:
    return text.replace('"', "")


def _term(token: str) -> Term:
    raw = _unquote(token)
    name, sep, value = raw.partition(":")
    if not sep or name.lower() not in (*FIELDS, "is", "prop", "rated", "added"):
        return Term("text", raw)
    name = name.lower()
    if not value:
        raise SearchError(f"'{raw}': nothing after '{name}:'")
    if name == "is":
        if value.lower() not in STATES:
            raise SearchError(f"'{raw}': not a state; use is:{', is:'.join(STATES)}")
        return Term("is", value.lower())
    if name == "prop":
        m = _PROP.fullmatch(value.lower())
        if m is None or m.group("name") not in PROPS:
            raise SearchError(
                f"'{raw}': use prop:NAME<op>NUMBER, NAME one of {', '.join(PROPS)} "
                "(e.g. prop:ivl>30)"
            )
        return Term("prop", m.group("name"), m.group("op"), float(m.group("value")))
    if name in ("rated", "added"):
        days, _, rating = value.partition(":")
        if not days.isdigit() or not 1 <= int(days) <= 36500:
            raise SearchError(f"'{raw}': {name}:N takes N from 1 to 36500 days")
        if rating and (name == "added" or rating not in ("1", "2", "3", "4")):
            raise SearchError(f"'{raw}': the rating is 1 (Again) to 4 (Easy): rated:7:1")
        return Term(name, number=int(days), rating=int(rating) if rating else None)
    if name == "kind" and value.lower() not in KINDS:
        raise SearchError(f"'{raw}': kind is one of {', '.join(KINDS)}")
    if name == "cid" and not all(p.isdigit() for p in value.split(",")):
        raise SearchError(f"'{raw}': cid: takes card ids, e.g. cid:12,40")
    if name == "re":
        try:
            re.compile(value)
        except re.error as exc:
            raise SearchError(f"'{raw}': not a regular expression ({exc})") from None
    return Term(name, value)


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def any_(self) -> Node:
        parts = [self.all_()]
        while (t := self.peek()) is not None and t.lower() == "or":
            self.take()
            if self.peek() in (None, ")"):
                raise SearchError("'or' needs a term after it")
            parts.append(self.all_())
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def all_(self) -> Node:
        parts: list[Node] = []
        while (t := self.peek()) is not None and t != ")" and t.lower() != "or":
            if t.lower() == "and":
                self.take()
                if self.peek() in (None, ")") or not parts:
                    raise SearchError("'and' needs a term on each side")
                continue
            parts.append(self.unary())
        if not parts:
            raise SearchError("'or' needs a term before it" if self.peek() else "an empty group")
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self) -> Node:
        token = self.take()
        if token == "(":
            inner = self.any_()
            if self.peek() != ")":
                raise SearchError("a '(' without its ')'")
            self.take()
            return inner
        if token.startswith("-") and len(token) > 1:
            return Not(_term(token[1:]))
        if token == "-":
            if self.peek() != "(":
                raise SearchError("a '-' with nothing to negate")
            self.take()
            inner = self.any_()
            if self.peek() != ")":
                raise SearchError("a '(' without its ')'")
            self.take()
            return Not(inner)
        return _term(token)


def parse_query(text: str) -> Node | None:
    """The query's tree; None for an empty query (every card)."""
    if len(text) > MAX_QUERY:
        raise SearchError(f"the query is over {MAX_QUERY} characters")
    tokens = _tokens(text)
    if not tokens:
        return None
    parser = _Parser(tokens)
    node = parser.any_()
    if parser.peek() is not None:
        raise SearchError(f"a ')' without its '(' near {' '.join(tokens[parser.pos :])[:40]!r}")
    return node


def terms_of(node: Node | None) -> list[Term]:
    """Every term of the tree (to see which data a query needs)."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms_of(node.child)
    return [t for child in node.children for t in terms_of(child)]
