-- ends before it starts
UPDATE study_session SET ended_at='2000-01-01 00:00:00.000000';
