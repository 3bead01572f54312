-- a completed session that lasted no time
UPDATE study_session SET ended_at=started_at;
