"""Bundled curricula are complete and valid; broken files get file:line: field messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from studytui.core.curriculum.catalog import CurriculumCatalog
from studytui.core.curriculum.loader import load_curriculum_file
from studytui.core.errors import InputError
from studytui.resources import bundled_dir

BUNDLED = sorted(bundled_dir("curriculum").glob("*.yaml"))
EXPECTED_IDS = {
    "ml-ai-senior-12w", "ai-engineer-2025", "ai-ml-2025", "ml-ai-expert", "senior-ai-ml-48w",
}  # fmt: skip


def test_five_bundled_roadmaps() -> None:
    catalog = CurriculumCatalog(bundled_dir("curriculum"))
    assert {c.id for c in catalog.all()} == EXPECTED_IDS


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_curriculum_is_valid_and_planned_every_week(path: Path) -> None:
    cur = load_curriculum_file(path, origin="bundled")
    assert cur.id == path.stem
    for week in range(cur.first_week, cur.last_week + 1):
        plan = cur.plan(week)
        assert plan is not None, f"week {week} has no plan"
        assert plan.entries, f"week {week} has no entry"
    used = {t for p in cur.phases for e in p.weeks for t in e.topics}
    assert used, "no topics in the plan"
    for topic in cur.topics:
        assert topic.title.strip()
    text = path.read_text(encoding="utf-8")
    for garbage in ("Ã", "â€", "âœ", "ðŸ", "√©"):
        assert garbage not in text, f"mis-encoded text {garbage!r} left in {path.name}"


def test_default_roadmap_week_one_matches_source() -> None:
    cur = load_curriculum_file(bundled_dir("curriculum") / "ml-ai-senior-12w.yaml")
    assert cur.week_count == 12
    assert cur.time_split is not None
    assert str(cur.time_split) == "70/20/10"
    plan = cur.plan(1)
    assert plan is not None
    assert "Math review, Python setup, NumPy/Pandas" in plan.title
    assert "Build solid foundation, complete first ML project" in plan.goals
    assert len(cur.projects) == 12
    assert [m.due for m in cur.milestones] == [4, 8, 12]
    assert len(cur.milestones[0].items) == 4


def test_48_week_roadmap_keeps_every_resource_column() -> None:
    cur = load_curriculum_file(bundled_dir("curriculum") / "senior-ai-ml-48w.yaml")
    assert cur.first_week == 0
    assert cur.last_week == 48
    resources = [r for p in cur.phases for e in p.weeks for r in e.resources]
    assert len(resources) == 19
    full = [r for r in resources if r.pros and r.cons and r.difficulty and r.recommendation]
    assert len(full) >= 15


def test_shared_topic_ids_across_roadmaps() -> None:
    catalog = CurriculumCatalog(bundled_dir("curriculum"))
    owners: dict[str, set[str]] = {}
    for cur in catalog.all():
        for topic in cur.topics:
            owners.setdefault(topic.id, set()).add(cur.id)
    for shared in ("transformers", "rag", "mlops", "pytorch", "neural-networks"):
        assert len(owners.get(shared, set())) >= 3, shared


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
schema: 1
id: mine
title: My roadmap
phases:
  - id: p1
    title: Start
    span: 1-2
    weeks:
      - span: "1"
        title: One
        topics: [rag]
      - span: 2
        title: Two
        topics: [rag]
topics:
  - id: rag
    title: "RAG [basics]"
    concepts:
      - term: Chunking
        definition: Splitting documents into retrievable pieces.
"""


def test_minimal_user_curriculum(tmp_path: Path) -> None:
    cur = load_curriculum_file(write(tmp_path, GOOD))
    assert cur.week_count == 2
    topic = cur.topic("rag")
    assert topic is not None
    assert topic.title == "RAG [basics]"
    assert topic.concepts[0].term == "Chunking"


@pytest.mark.parametrize(
    ("broken", "line", "field", "words"),
    [
        (GOOD.replace("topics: [rag]\n      - span: 2", "topics: [rags]\n      - span: 2"),
         11, "phases[0].weeks[0].topics[0]", "unknown topic 'rags'"),
        (GOOD.replace("title: Start", "title: Start\n    colour: red"),
         7, "phases[0].colour", "unknown key"),
        (GOOD.replace("span: 1-2", "span: 1-3"), 8, "phases[0].weeks", "week(s) 3"),
        (GOOD.replace("schema: 1", "schema: 7"), 1, "schema", "unsupported"),
        (GOOD.replace("id: mine", "id: Mine Roadmap"), 2, "id", "not an id"),
        (GOOD.replace("  - span: 2\n", "  - span: x\n"), 12, "phases[0].weeks[1].span", "week"),
        (GOOD + "  - id: rag\n    title: again\n", 21, "topics[1]", "duplicate topic id"),
        (GOOD.replace("title: My roadmap", "title: [unclosed"), 4, "", "invalid YAML"),
        (GOOD.replace("title: My roadmap", "title: a\ntitle: b"), 4, "title", "duplicate key"),
        ("", None, "", "expected a mapping"),
        ("- just\n- a list\n", 1, "", "expected a mapping"),
    ],
)  # fmt: skip
def test_broken_curriculum_reports_file_line_field(
    tmp_path: Path, broken: str, line: int | None, field: str, words: str
) -> None:
    path = write(tmp_path, broken)
    with pytest.raises(InputError) as info:
        load_curriculum_file(path)
    messages = [str(p) for p in info.value.problems]
    match = [p for p in info.value.problems if words in p.message]
    assert match, messages
    assert match[0].file == str(path)
    assert match[0].line == line, messages
    assert match[0].field == field, messages


def test_binary_and_bad_encoding_files(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(InputError, match="not a text file"):
        load_curriculum_file(path)
    path.write_bytes("title: café".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        load_curriculum_file(path)


def test_user_curriculum_folder_is_listed_and_broken_files_skipped(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.yaml").write_text(GOOD, encoding="utf-8")
    (user / "broken.yaml").write_text("schema: 1\nid: [\n", encoding="utf-8")
    catalog = CurriculumCatalog(bundled_dir("curriculum"), user)
    ids = {e.id for e in catalog.entries()}
    assert "mine" in ids
    assert len(ids) == 6
    assert len(catalog.errors) == 1
    assert "broken.yaml" in str(catalog.errors[0])
