-- an unknown status
UPDATE study_session SET status='done-ish';
