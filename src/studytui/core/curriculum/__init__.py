"""Roadmaps as week-by-week curricula: the model, the YAML loader and where files are found."""

from studytui.core.curriculum.model import (
    Concept,
    Curriculum,
    Link,
    Milestone,
    Phase,
    Project,
    Resource,
    Section,
    SectionItem,
    Span,
    Subtopic,
    Topic,
    WeekEntry,
    WeekPlan,
)

__all__ = [
    "Concept",
    "Curriculum",
    "Link",
    "Milestone",
    "Phase",
    "Project",
    "Resource",
    "Section",
    "SectionItem",
    "Span",
    "Subtopic",
    "Topic",
    "WeekEntry",
    "WeekPlan",
]
