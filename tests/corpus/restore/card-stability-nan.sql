-- NaN stability (0.0/0.0 is NULL in SQLite, so a huge value overflowing to inf)
UPDATE card SET stability=9e999, difficulty=5, state=2 WHERE id=(SELECT min(id) FROM card);
