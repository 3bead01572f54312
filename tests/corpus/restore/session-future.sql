-- a session next year
UPDATE study_session SET started_at='2030-01-01 10:00:00.000000', ended_at='2030-01-01 10:25:00.000000';
