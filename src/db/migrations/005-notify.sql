-- Messages to students and staff. Every message is one row of the outbox, written before it is
-- sent; the unique keys below make "send once per student, channel and change" a database fact.
CREATE TABLE notify_outbox (
  id bigserial PRIMARY KEY,
  audience text NOT NULL CHECK (audience IN ('student', 'staff')),
  session_id bigint REFERENCES class_sessions (id) ON DELETE CASCADE,
  student_id bigint REFERENCES students (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  kind text NOT NULL,
  -- The session's revision the message announces; staff alerts use 0.
  version integer NOT NULL,
  -- Staff alerts have no student: their key is the alert's job and the recipient.
  alert_key text,
  recipient text NOT NULL,
  recipient_name text,
  subject text,
  text_body text NOT NULL,
  html_body text,
  ics text,
  ics_method text,
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sending', 'retry', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  claimed_at timestamptz,
  sent_at timestamptz,
  provider_message_id text,
  last_error_code text,
  last_error_message text,
  permanent_failure boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (audience = 'staff' OR (session_id IS NOT NULL AND student_id IS NOT NULL)),
  CHECK (audience = 'student' OR alert_key IS NOT NULL)
);
CREATE UNIQUE INDEX notify_outbox_message_key
  ON notify_outbox (session_id, student_id, channel, kind, version) WHERE audience = 'student';
CREATE UNIQUE INDEX notify_outbox_alert_key ON notify_outbox (alert_key) WHERE audience = 'staff';
CREATE INDEX notify_outbox_session_idx ON notify_outbox (session_id, id);
CREATE INDEX notify_outbox_open_idx ON notify_outbox (status, updated_at)
  WHERE status IN ('queued', 'sending', 'retry');

-- Every try to hand a message to SMTP, Twilio or the development outbox, and how it ended.
CREATE TABLE notify_delivery_attempts (
  id bigserial PRIMARY KEY,
  outbox_id bigint NOT NULL REFERENCES notify_outbox (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  transport text NOT NULL CHECK (transport IN ('smtp', 'twilio', 'dev')),
  outcome text NOT NULL CHECK (outcome IN ('sent', 'temporary_failure', 'permanent_failure')),
  error_code text,
  error_message text,
  provider_message_id text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notify_delivery_attempts_outbox_idx ON notify_delivery_attempts (outbox_id, id);

-- Where messages land when no SMTP or Twilio settings are given (development only).
CREATE TABLE notify_dev_outbox (
  id bigserial PRIMARY KEY,
  outbox_id bigint REFERENCES notify_outbox (id) ON DELETE SET NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  sender text NOT NULL,
  recipient text NOT NULL,
  subject text,
  text_body text NOT NULL,
  html_body text,
  ics text,
  created_at timestamptz NOT NULL DEFAULT now()
);
