-- a session in year 1
UPDATE study_session SET started_at='0001-01-01 10:00:00.000000', ended_at='0001-01-01 10:25:00.000000';
