"""Content checks for deck files: the defects an audit finds in cards that parse fine.

A deck file can be valid YAML with every field filled and still teach badly: a cloze whose answer
stands next to its blank, a front that asks two things, a definition that names its own term on the
reverse card. Each rule here is one such defect, checked mechanically so that the bundled decks stay
at zero findings (docs/decks.md, *Content checks*). An item may waive a rule with a reason
(``waive: {rule: reason}``) where the rule misfires; the waiver is counted, never silent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from studytui.core.decks import cloze
from studytui.core.decks.cards import ConceptItem, HandCardItem, Notes, StatementItem
from studytui.core.decks.parser import DeckFile

# The longest definition a concept card should carry (Anki's minimum-information principle: a
# definition a learner can recall in one go), and the longest answer of any other card.
MAX_DEFINITION = 200
MAX_ANSWER = 300

RULES: dict[str, str] = {
    "cloze-shows-answer": "the cloze's answer is written elsewhere in its own question",
    "cloze-in-brackets": "the blank [...] stands inside square brackets, which reads as part of it",
    "two-questions": "the front asks more than one question",
    "long-definition": f"the definition is over {MAX_DEFINITION} characters",
    "long-answer": f"the answer is over {MAX_ANSWER} characters",
    "reverse-gives-answer": "the reverse card's prompt contains the answer it asks for",
    "answer-in-question": "the answer is contained in its question",
    "duplicate-front": "another card asks the same front",
    "code-minus": "code written with the minus sign − (U+2212), which Python rejects; use -",
}

# Text that reads as Python code ("np.", "[:", "**", ".sum(") and a minus sign − between two of
# its operands: typed or pasted, it is a SyntaxError (math, "‖Xw − y‖", keeps its minus sign).
_CODE = re.compile(r"\b(?:np|torch|tf|df|pd|jnp)\.|\[:|\*\*|\.\w+\(")
_CODE_MINUS = re.compile(r"[\w\])] ?− ?[\w(\[]")


def _code_minus(*texts: str) -> bool:
    return any(_CODE.search(t) and _CODE_MINUS.search(t) and re.search(r"[\])] ?−", t)
               for t in texts)  # fmt: skip


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    item: str  # "concepts[3] (id)" — where in the file
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.item}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    waived: int


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _front_key(text: str) -> str:
    return _norm(text).rstrip(" ?.!:")


def _contains_phrase(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, ignoring case and spacing."""
    n = _norm(needle)
    if len(n) < 3 and not n.isdigit():
        return False
    if len(n) < 2:
        return False
    pattern = r"(?<!\w)" + re.escape(n) + r"(?!\w)"
    return re.search(pattern, _norm(haystack)) is not None


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_./-]")


def _word_seq(text: str) -> list[str]:
    """The words of ``text`` with compound names taken apart ("CUDAExecutionProvider" → cuda,
    execution, provider) and a plural "s" dropped, to see an answer inside an identifier."""
    words = []
    for token in re.findall(r"[A-Za-z0-9_./-]+", text):
        for part in _CAMEL.split(token):
            w = part.lower()
            if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
                w = w[:-1]
            if w:
                words.append(w)
    return words


def _inside_a_name(haystack: str, needle: str) -> bool:
    """Whether an answer is spelled out inside a compound name of the question: its words run
    together ("CUDAExecutionProvider" for "execution providers"), or the answer, a name, glued
    into a longer one ("StratifiedGroupKFold" for "GroupKFold")."""
    name = needle.strip()
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{5,}", name) and re.search(
        rf"[A-Za-z0-9_]{re.escape(name)}|{re.escape(name)}[A-Za-z0-9_]", haystack
    ):
        return True  # "GroupKFold" inside "StratifiedGroupKFold"
    want = _word_seq(needle)
    if len(want) < 2 or not all(w.isalpha() and len(w) >= 3 for w in want):
        return False  # formulas and one-letter parts ("O(n)", "2 / fan_in") are not names
    have = _word_seq(haystack)
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def _term_heads(term: str) -> list[str]:
    """The term and, for "Name (label)", the name without its label.

    A parenthesis is often a label that tells like terms apart ("Generator (Python)"); a
    definition may well name that context, so the label alone is not the answer.
    """
    heads = [term]
    bare = re.sub(r"\s*\([^)]*\)", "", term).strip()
    if bare and bare != term:
        heads.append(bare)
    return [h for h in heads if len(h.strip()) >= 3]


class _Collector:
    def __init__(self, deck: DeckFile) -> None:
        self.deck = deck
        self.findings: list[Finding] = []
        self.waived = 0

    def add(self, item: str, line: int | None, notes: Notes, rule: str, message: str) -> None:
        if notes.waived(rule):
            self.waived += 1
            return
        self.findings.append(Finding(self.deck.path, line, item, rule, message))


def _label(section: str, index: int, item_id: str) -> str:
    return f"{section}[{index}] ({item_id})"


def _check_concept(out: _Collector, i: int, c: ConceptItem) -> None:
    label = _label("concepts", i, c.id)
    if _code_minus(c.definition):
        out.add(label, c.line, c.notes, "code-minus", "write code with the ASCII minus '-'")
    if len(" ".join(c.definition.split())) > MAX_DEFINITION:
        n = len(" ".join(c.definition.split()))
        out.add(label, c.line, c.notes, "long-definition", f"{n} characters; split the concept")
    for head in _term_heads(c.term):
        if _contains_phrase(c.definition, head):
            out.add(
                label,
                c.line,
                c.notes,
                "reverse-gives-answer",
                f"the definition says '{head}', which its reverse card asks for",
            )
            break


def _check_statement(out: _Collector, i: int, s: StatementItem) -> None:
    label = _label("statements", i, s.id)
    if _code_minus(s.text, s.extra or ""):
        out.add(label, s.line, s.notes, "code-minus", "write code with the ASCII minus '-'")
    for card in cloze.expand(s.text):
        asked = cloze.answers(s.text, card.number)
        for answer in asked:
            if _contains_phrase(card.question, answer) or _inside_a_name(card.question, answer):
                out.add(
                    label,
                    s.line,
                    s.notes,
                    "cloze-shows-answer",
                    f"c{card.number}'s answer '{answer}' is written in its question",
                )
                break
        if _inside_brackets(s.text, card.number):
            out.add(
                label,
                s.line,
                s.notes,
                "cloze-in-brackets",
                f"c{card.number}'s blank stands inside [ ]; use parentheses or reword",
            )
    if len(" ".join((s.extra or "").split())) > MAX_ANSWER:
        out.add(label, s.line, s.notes, "long-answer", "the extra text is too long")


def _inside_brackets(text: str, number: int) -> bool:
    """Whether a deletion numbered ``number`` sits inside an unclosed ``[`` of the text."""
    depth = 0
    pos = 0
    for m in cloze.CLOZE.finditer(text):
        depth += text.count("[", pos, m.start()) - text.count("]", pos, m.start())
        if int(m.group(1)) == number and depth > 0:
            return True
        pos = m.end()
    return False


def _check_card(out: _Collector, i: int, h: HandCardItem) -> None:
    label = _label("cards", i, h.id)
    if _code_minus(h.front, h.back):
        out.add(label, h.line, h.notes, "code-minus", "write code with the ASCII minus '-'")
    if h.front.count("?") > 1:
        out.add(label, h.line, h.notes, "two-questions", "ask one thing per card")
    if len(" ".join(h.back.split())) > MAX_ANSWER:
        n = len(" ".join(h.back.split()))
        out.add(label, h.line, h.notes, "long-answer", f"{n} characters; split the card")
    if _contains_phrase(h.front, h.back):
        out.add(label, h.line, h.notes, "answer-in-question", "the front contains the back")
    if h.reversed and _contains_phrase(h.back, h.front):
        out.add(
            label,
            h.line,
            h.notes,
            "reverse-gives-answer",
            "the back contains the front, which its reverse card asks for",
        )


def _term_key(term: str) -> tuple[str, str]:
    """(the term without its label, the label): "Autograd (PyTorch)" -> ("autograd", "pytorch").

    Plurals and spacing fold ("Vanishing gradients" is "vanishing gradient"), so near-copies of
    a term are found; two terms with different labels ("Generator (Python)", "Generator (GAN)")
    are told apart by them.
    """
    labels = " ".join(re.findall(r"\(([^)]*)\)", term)).casefold().strip()
    bare = re.sub(r"\([^)]*\)", " ", term).casefold()
    words = re.sub(r"[^\w]+", " ", bare).split()
    folded = [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    ]
    return " ".join(w for w in folded if w not in ("the", "a", "an")), labels


def _same_term(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0] == b[0] and (a[1] == b[1] or not a[1] or not b[1])


def lint_decks(decks: Sequence[DeckFile]) -> LintResult:
    """Every content finding in these decks, duplicates looked for across all of them."""
    findings: list[Finding] = []
    waived = 0
    first_seen: dict[str, tuple[str, str]] = {}  # front → (deck topic, item label)
    terms: dict[str, list[tuple[tuple[str, str], str, str]]] = {}  # bare term → (key, deck, item)
    for deck in decks:
        out = _Collector(deck)
        for i, c in enumerate(deck.concepts):
            _check_concept(out, i, c)
        for i, s in enumerate(deck.statements):
            _check_statement(out, i, s)
        for i, h in enumerate(deck.hand_cards):
            _check_card(out, i, h)
        for i, c in enumerate(deck.concepts):
            label, key = _label("concepts", i, c.id), _term_key(c.term)
            same = [(t, o) for k, t, o in terms.get(key[0], []) if _same_term(k, key)]
            if same:
                topic, other = same[0]
                where = other if topic == deck.topic else f"deck '{topic}' {other}"
                out.add(label, c.line, c.notes, "duplicate-front", f"also asked by {where}")
            terms.setdefault(key[0], []).append((key, deck.topic, label))
        for i, h in enumerate(deck.hand_cards):
            label, front = _label("cards", i, h.id), _front_key(h.front)
            if front in first_seen:
                topic, other = first_seen[front]
                where = other if topic == deck.topic else f"deck '{topic}' {other}"
                out.add(label, h.line, h.notes, "duplicate-front", f"also asked by {where}")
            else:
                first_seen[front] = (deck.topic, label)
        findings.extend(out.findings)
        waived += out.waived
    return LintResult(tuple(findings), waived)
