-- 48 hours of focus
UPDATE study_session SET ended_at=datetime(started_at, '+48 hours') || '.000000', started_at = datetime(started_at, '-47 hours') || '.000000';
