"""studytui: a terminal study companion for roadmap learners."""

__version__ = "0.1.0"
