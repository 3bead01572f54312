-- stability 0
UPDATE card SET stability=0, difficulty=5, state=2 WHERE id=(SELECT min(id) FROM card);
