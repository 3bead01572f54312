-- a due time that is not a time
UPDATE card SET due='soon' WHERE id=(SELECT min(id) FROM card);
