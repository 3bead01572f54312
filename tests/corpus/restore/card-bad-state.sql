-- an FSRS state that does not exist
UPDATE card SET state=7 WHERE id=(SELECT min(id) FROM card);
