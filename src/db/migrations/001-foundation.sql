-- People who sign in: instructors (Zoom hosts), scheduling staff and admins.
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'staff', 'instructor')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Server-side browser sessions. The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE web_sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);

-- API tokens for staff and admins, shown once and stored as a SHA-256 hash.
CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

-- Failed sign-in attempts, counted per account and per client address over a sliding window.
CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  address text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), at);
CREATE INDEX login_failures_address_idx ON login_failures (address, at);

-- What happened to Zoom connections and other sensitive state; never holds a token.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  actor_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  instructor_id bigint REFERENCES users (id) ON DELETE SET NULL,
  zoom_user_id text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC);

-- One instructor's link to one Zoom user. Only the fields the product needs are kept; the
-- tokens are Fernet token text bound to this row, never plaintext.
CREATE TABLE zoom_connections (
  id bigserial PRIMARY KEY,
  instructor_id bigint NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('connected', 'broken', 'deauthorized', 'disconnected')),
  status_reason text,
  zoom_user_id text,
  zoom_account_id text,
  zoom_email text,
  zoom_display_name text,
  zoom_plan_type integer,
  scopes text,
  access_token_enc text,
  refresh_token_enc text,
  access_expires_at timestamptz,
  access_issued_at timestamptz,
  connected_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- A Zoom user may be linked to at most one instructor at a time.
CREATE UNIQUE INDEX zoom_connections_zoom_user_key ON zoom_connections (zoom_user_id)
  WHERE status = 'connected';

-- A class an instructor teaches on Zoom, and the one Zoom meeting it may have.
CREATE TABLE class_sessions (
  id bigserial PRIMARY KEY,
  instructor_id bigint NOT NULL REFERENCES users (id),
  title text NOT NULL,
  starts_at timestamptz NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
  timezone text NOT NULL DEFAULT 'America/Los_Angeles',
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  zoom_meeting_id text UNIQUE,
  zoom_join_url text,
  -- Where the Zoom meeting stands; see the API contract for the meaning of each state.
  sync_state text NOT NULL DEFAULT 'none' CHECK (sync_state IN
    ('none', 'pending', 'ready', 'failed', 'needs_check', 'host_disconnected', 'cancelled')),
  sync_error_code text,
  sync_error_message text,
  -- Rises with every change staff make (title, time, duration, cancel); messages and the sync
  -- engine key their work on it.
  revision integer NOT NULL DEFAULT 1,
  host_link_lost_at timestamptz,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX class_sessions_instructor_idx ON class_sessions (instructor_id, starts_at);
CREATE INDEX class_sessions_starts_idx ON class_sessions (starts_at);

-- Students of court-ordered classes and their enrolment in sessions.
CREATE TABLE students (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  phone text,
  sms_opt_in boolean NOT NULL DEFAULT false,
  sms_opt_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX students_email_key ON students (lower(email));

CREATE TABLE enrollments (
  id bigserial PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES class_sessions (id) ON DELETE CASCADE,
  student_id bigint NOT NULL REFERENCES students (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (session_id, student_id)
);
