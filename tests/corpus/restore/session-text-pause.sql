-- paused seconds as text
UPDATE study_session SET paused_seconds='ten';
