-- negative stability
UPDATE card SET stability=-3.5, difficulty=5, state=2 WHERE id=(SELECT min(id) FROM card);
