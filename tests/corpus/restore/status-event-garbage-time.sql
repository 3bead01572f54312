-- a topic status change at no time
UPDATE topic_status_event SET at=12;
