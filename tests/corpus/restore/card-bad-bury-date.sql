-- a bury date that is not a date
UPDATE card SET buried_until='2026-02-30' WHERE id=(SELECT min(id) FROM card);
