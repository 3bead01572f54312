"""Flashcard decks: the deck file format, card generation and loading decks into the database."""
