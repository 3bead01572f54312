-- difficulty 0
UPDATE card SET stability=3, difficulty=0, state=2 WHERE id=(SELECT min(id) FROM card);
