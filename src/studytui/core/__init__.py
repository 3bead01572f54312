"""Domain rules, scheduling, timer state, statistics and storage.

Nothing in this package imports Textual: the UI calls services that return frozen dataclasses.
"""
