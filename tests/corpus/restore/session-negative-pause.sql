-- a negative pause
UPDATE study_session SET paused_seconds=-5;
