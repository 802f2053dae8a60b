/**
 * What removing the app means for our data, done inside the caller's transaction: every
 * connection of that Zoom user still holding a grant (connected or broken) is locked, loses its
 * tokens and its Zoom profile, and becomes `deauthorized`; an audit event records it; the
 * instructor's upcoming sessions are flagged as having lost their host link.
 *
 * The row itself stays, so the dashboard shows "not connected" and history stays readable. Of
 * the Zoom data only `zoom_user_id` is kept: the random id Zoom assigned, the same value the
 * audit trail holds, which lets a later event from that Zoom user be recognised. Meetings
 * already made stay on Zoom and their ids and join URLs stay on the sessions: students still
 * need them.
 */
import { recordAudit } from '../connections/audit-log.js';
import type { Queryable } from '../db/database.js';

/** One instructor whose connection was cleared, and the sessions that lost their host. */
export interface ClearedConnection {
  readonly connectionId: number;
  readonly instructorId: number;
  readonly sessionIds: number[];
}

/** The Zoom user to clear, from a verified `app_deauthorized`. */
export interface ZoomUserRef {
  readonly zoomUserId: string;
  /** Checked against the stored account id when given. */
  readonly zoomAccountId?: string;
}

/**
 * Locks (`SELECT … FOR UPDATE`) and clears every live connection of the Zoom user. The lock is
 * the one the token service refreshes under, so a refresh either finished before (and its
 * tokens are deleted here) or starts after and finds the row no longer connected.
 */
export async function clearZoomUser(
  tx: Queryable,
  user: ZoomUserRef,
  now: Date,
): Promise<ClearedConnection[]> {
  const rows = await lockLiveConnections(tx, user);
  const cleared: ClearedConnection[] = [];

  for (const row of rows) {
    await deleteTokensAndProfile(tx, row.id);
    await recordDeauthorizedAudit(tx, row.instructor_id, user);
    const sessionIds = await flagUpcomingSessions(tx, row.instructor_id, now);
    cleared.push({ connectionId: row.id, instructorId: row.instructor_id, sessionIds });
  }

  return cleared;
}

async function lockLiveConnections(tx: Queryable, user: ZoomUserRef) {
  // The account id is checked only where one is stored: Zoom user ids are unique on their own.
  const { rows } = await tx.query<{ id: number; instructor_id: number }>(
    `SELECT id, instructor_id FROM zoom_connections
      WHERE zoom_user_id = $1 AND status IN ('connected', 'broken')
        AND ($2::text IS NULL OR zoom_account_id IS NULL OR zoom_account_id = $2)
      ORDER BY id
      FOR UPDATE`,
    [user.zoomUserId, user.zoomAccountId ?? null],
  );
  return rows;
}

async function deleteTokensAndProfile(tx: Queryable, connectionId: number): Promise<void> {
  await tx.query(
    `UPDATE zoom_connections
        SET status = 'deauthorized', status_reason = 'app removed in zoom',
            access_token_enc = NULL, refresh_token_enc = NULL, access_expires_at = NULL,
            access_issued_at = NULL, zoom_account_id = NULL, zoom_email = NULL,
            zoom_display_name = NULL, zoom_plan_type = NULL, scopes = NULL, updated_at = now()
      WHERE id = $1`,
    [connectionId],
  );
}

async function recordDeauthorizedAudit(
  tx: Queryable,
  instructorId: number,
  user: ZoomUserRef,
): Promise<void> {
  await recordAudit(tx, {
    kind: 'deauthorized',
    instructorId,
    zoomUserId: user.zoomUserId,
    detail: { source: 'zoom app_deauthorized' },
  });
}

async function flagUpcomingSessions(tx: Queryable, instructorId: number, now: Date) {
  const { rows } = await tx.query<{ id: number }>(
    `UPDATE class_sessions
        SET sync_state = 'host_disconnected', host_link_lost_at = $2, updated_at = now()
      WHERE instructor_id = $1 AND status = 'scheduled' AND starts_at > $2
      RETURNING id`,
    [instructorId, now],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}
