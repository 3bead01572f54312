-- paused longer than it lasted
UPDATE study_session SET paused_seconds=100000;
