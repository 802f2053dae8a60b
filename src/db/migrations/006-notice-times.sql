-- A reschedule notice remembers the time it announces, so a message rendered after a later
-- change still tells students the time of its own change.
ALTER TABLE session_change_notices ADD COLUMN starts_at timestamptz;
ALTER TABLE session_change_notices ADD COLUMN duration_minutes integer;
