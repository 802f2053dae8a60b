-- Each app_deauthorized event the product has taken in, keyed by a hash of Zoom's identity of
-- the event (user, payload.signature, event_ts), so a redelivery is recognised and changes
-- nothing more. `pending` means the connection row was locked by a token refresh when the
-- event arrived: the tokens are deleted by the job `webhooks.finish-deauthorization` as soon as
-- the lock frees, and until then the token service refuses to write tokens for that Zoom user.
CREATE TABLE zoom_deauthorizations (
  id bigserial PRIMARY KEY,
  event_key text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('pending', 'done', 'no_connection')),
  -- Kept only while pending; cleared when the deletion is finished (data minimisation).
  zoom_user_id text,
  deauthorized_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- [{instructorId, sessionIds}] of the connections cleared, for the staff alert.
  affected jsonb NOT NULL DEFAULT '[]'::jsonb,
  staff_alert_sent_at timestamptz
);
CREATE INDEX zoom_deauthorizations_pending_idx ON zoom_deauthorizations (zoom_user_id)
  WHERE state = 'pending';
