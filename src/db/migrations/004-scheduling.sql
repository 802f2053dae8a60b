-- What the sync engine last made Zoom show for a session, so a job can tell what differs
-- between the session's desired state (title, start, duration, zone) and its meeting.
ALTER TABLE class_sessions ADD COLUMN zoom_wanted boolean NOT NULL DEFAULT false;
ALTER TABLE class_sessions ADD COLUMN synced_title text;
ALTER TABLE class_sessions ADD COLUMN synced_starts_at timestamptz;
ALTER TABLE class_sessions ADD COLUMN synced_duration_minutes integer;
ALTER TABLE class_sessions ADD COLUMN synced_timezone text;
ALTER TABLE class_sessions ADD COLUMN synced_revision integer;
ALTER TABLE class_sessions ADD COLUMN synced_at timestamptz;

-- The attempt marker: set and committed before a create is sent to Zoom, cleared when Zoom's
-- answer (success or a refusal that surely made nothing) has been stored. A marker found by a
-- later job means an earlier create's answer never arrived; see README "Zoom meeting sync".
ALTER TABLE class_sessions ADD COLUMN create_attempt_at timestamptz;

-- The lease that serialises sync work per session across workers and processes. A worker
-- claims it with one conditional UPDATE and every write of its result checks the token.
ALTER TABLE class_sessions ADD COLUMN sync_lease_token text;
ALTER TABLE class_sessions ADD COLUMN sync_lease_until timestamptz;

CREATE INDEX class_sessions_sync_state_idx ON class_sessions (sync_state);

-- Meeting creates and updates sent to Zoom per host (instructor) and UTC day: Zoom allows 100.
CREATE TABLE zoom_host_daily_writes (
  instructor_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  day date NOT NULL,
  creates integer NOT NULL DEFAULT 0,
  updates integer NOT NULL DEFAULT 0,
  PRIMARY KEY (instructor_id, day)
);

-- Changes students must hear about, written with the sync result that caused them and sent to
-- the message queue afterwards (an outbox), so a crash between the two loses nothing and a
-- retry sends nothing twice.
CREATE TABLE session_change_notices (
  session_id bigint NOT NULL REFERENCES class_sessions (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('meeting_ready', 'rescheduled', 'cancelled')),
  revision integer NOT NULL,
  previous_starts_at timestamptz,
  previous_duration_minutes integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (session_id, kind, revision)
);
CREATE INDEX session_change_notices_unsent_idx ON session_change_notices (session_id)
  WHERE sent_at IS NULL;
