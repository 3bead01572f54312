-- a rating of 5
UPDATE review_log SET rating=5;
