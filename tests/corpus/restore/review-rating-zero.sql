-- a rating of 0
UPDATE review_log SET rating=0;
