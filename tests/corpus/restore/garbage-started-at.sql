-- a session whose start time is not a time at all
UPDATE study_session SET started_at = 'garbage';
