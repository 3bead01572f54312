"""One screen per product area."""
