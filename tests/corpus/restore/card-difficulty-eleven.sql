-- difficulty 11
UPDATE card SET stability=3, difficulty=11, state=2 WHERE id=(SELECT min(id) FROM card);
