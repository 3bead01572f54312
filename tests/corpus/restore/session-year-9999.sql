-- a session in year 9999
UPDATE study_session SET started_at='9999-12-31 10:00:00.000000', ended_at='9999-12-31 10:25:00.000000';
