"""Print what the bundled curricula say about topics (for deck authors).

Usage: uv run python scripts/topic_info.py TOPIC_ID [TOPIC_ID ...]
"""

from __future__ import annotations

import sys

from studytui.core.curriculum.catalog import CurriculumCatalog
from studytui.resources import bundled_dir


def main(ids: list[str]) -> None:
    catalog = CurriculumCatalog(bundled_dir("curriculum"))
    for tid in ids:
        print(f"=== {tid}")
        for cur in catalog.all():
            topic = cur.topic(tid)
            if topic is None:
                continue
            print(f"-- in {cur.id}: {topic.title} (weeks {cur.weeks_of_topic(tid)})")
            if topic.summary:
                print(f"   summary: {topic.summary}")
            for depth, line in topic.subtopic_lines():
                print(f"   {'  ' * depth}- {line}")
            for r in topic.resources:
                print(f"   resource: {r.title}")


if __name__ == "__main__":
    main(sys.argv[1:])
