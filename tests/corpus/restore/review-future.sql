-- a review next year
UPDATE review_log SET reviewed_at='2030-06-01 10:00:00.000000';
