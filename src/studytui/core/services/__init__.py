"""Use-cases: each opens one unit of work, commits once and returns frozen dataclasses."""
