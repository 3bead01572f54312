"""What the year drivers share besides the year itself: the learner's own files and config,
the seeded keys of cards added in the app, and the summary of the database at the end.

Imported by ``drive.py`` (and so ``drive_oldest.py``) inside the old release's checkout; it uses
only the standard library.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path

MY_CURRICULUM = """\
schema: 1
id: my-evenings
title: My evening track
phases:
  - id: p1
    title: Retrieval in practice
    span: "1-2"
    weeks:
      - span: "1"
        title: Retrieval
        topics: [rag, my-vector-db]
      - span: "2"
        title: Serving
        topics: [model-deployment]
topics:
  - id: rag
    title: RAG
  - id: my-vector-db
    title: My vector database notes
  - id: model-deployment
    title: Model deployment
"""

MY_DECK = """\
schema: 1
topic: my-vector-db
title: My vector database notes
cards:
  - id: hnsw
    front: What does HNSW stand for?
    back: Hierarchical Navigable Small World graphs.
  - id: ivf
    front: "What does an IVF index do?"
    back: "Clusters the vectors and searches only the nearest clusters (the nprobe closest)."
  - id: pq
    front: Product quantization in one line
    back: Split a vector into sub-vectors and store each as the id of its nearest centroid.
    type: reversed
"""

EXTRA_CONFIG = """\
review:
  new_cards_per_day: 8
  desired_retention: 0.88
pomodoro:
  long_break_every: 3
"""


def table_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("deck", "card", "review_log", "study_session"):
            out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        out["reviewed_cards"] = conn.execute(
            "SELECT count(*) FROM card WHERE last_review IS NOT NULL"
        ).fetchone()[0]
        out["buried_cards"] = conn.execute(
            "SELECT count(*) FROM card WHERE buried_until IS NOT NULL"
        ).fetchone()[0]
        out["user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
        return out
    finally:
        conn.close()


def seeded_uuids() -> None:
    """Cards added in the app get a key from ``uuid.uuid4()``: drawn from a seeded generator
    here, so that two runs make the same keys (the only stand-in; the service runs as is)."""
    draws = random.Random(4)

    def uuid4() -> uuid.UUID:
        return uuid.UUID(int=draws.getrandbits(128), version=4)

    uuid.uuid4 = uuid4  # type: ignore[assignment]
