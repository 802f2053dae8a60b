-- Consent requests in flight: one row per "Connect Zoom" click. The state itself travels only
-- through the browser and Zoom; the database keeps its SHA-256, bound to the web session and
-- the instructor that asked. The PKCE verifier is sealed by the vault, bound to this row.
CREATE TABLE oauth_states (
  state_hash text PRIMARY KEY,
  instructor_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_hash text NOT NULL,
  code_verifier_enc text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);

-- When the access token was last renewed, and when the connection broke, for the card.
ALTER TABLE zoom_connections ADD COLUMN refreshed_at timestamptz;
ALTER TABLE zoom_connections ADD COLUMN broken_at timestamptz;

CREATE INDEX audit_events_instructor_idx ON audit_events (instructor_id, at DESC);
