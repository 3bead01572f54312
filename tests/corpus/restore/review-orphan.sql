-- a review of a card that is gone
PRAGMA foreign_keys=OFF; UPDATE review_log SET card_id=999999;
