/**
 * The writes of the sync engine, one per outcome of a Zoom call. Each is fenced by the lease
 * token, so a worker that lost its lease writes nothing, with one deliberate exception: a
 * created meeting is always stored when the session has none, because Zoom has made it and
 * forgetting it is the one thing that would lead to a second meeting.
 */
import type { Database, Queryable } from '../db/database.js';
import type { ClassSession } from './session-store.js';
import type { SyncLease } from './sync-lease.js';

/** A change students hear about, recorded with the result that caused it. */
export interface NoticeInput {
  readonly kind: 'meeting_ready' | 'rescheduled' | 'cancelled';
  readonly revision: number;
  readonly previousStartsAt?: Date | undefined;
  readonly previousDurationMinutes?: number | undefined;
  /** On `rescheduled`: the start and length this change announces. */
  readonly startsAt?: Date | undefined;
  readonly durationMinutes?: number | undefined;
}

/** A problem to show as `lastError`. */
export interface SyncProblem {
  readonly code: string;
  readonly message: string;
}

// Ready when the session has not changed since the values just sent; otherwise another pass
// (or the job already queued by the change) sends the newer values.
const stateAfterSync = `CASE WHEN status = 'cancelled' THEN 'pending'
  WHEN revision = $3 THEN 'ready' ELSE 'pending' END`;

/** Records "a create is in flight" and commits it before the create is sent. */
export async function markCreateAttempt(db: Queryable, lease: SyncLease): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE class_sessions SET create_attempt_at = now(), sync_state = 'pending', updated_at = now()
      WHERE id = $1 AND sync_lease_token = $2 AND zoom_meeting_id IS NULL`,
    [lease.sessionId, lease.token],
  );
  return rowCount === 1;
}

/** Stores a meeting Zoom made from `sent` and clears the attempt marker. */
export async function storeCreatedMeeting(
  db: Database,
  sent: ClassSession,
  meeting: { id: string; joinUrl: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE class_sessions
          SET zoom_meeting_id = $2, zoom_join_url = $4, create_attempt_at = NULL,
              sync_state = ${stateAfterSync}, sync_error_code = NULL, sync_error_message = NULL,
              ${syncedAssignments(5)}, synced_revision = $3, synced_at = now(), updated_at = now()
        WHERE id = $1 AND zoom_meeting_id IS NULL`,
      [sent.id, meeting.id, sent.revision, meeting.joinUrl, ...syncedValues(sent)],
    );
    if (rowCount === 1)
      await insertNotice(tx, sent.id, { kind: 'meeting_ready', revision: sent.revision });
    return rowCount === 1;
  });
}

/** Stores that the meeting now shows `sent`'s values, with the notice the change calls for. */
export async function storePatchedMeeting(
  db: Database,
  lease: SyncLease,
  sent: ClassSession,
  notice: NoticeInput | undefined,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE class_sessions
          SET sync_state = ${stateAfterSync}, sync_error_code = NULL, sync_error_message = NULL,
              ${syncedAssignments(4)}, synced_revision = $3, synced_at = now(), updated_at = now()
        WHERE id = $1 AND sync_lease_token = $2`,
      [lease.sessionId, lease.token, sent.revision, ...syncedValues(sent)],
    );
    if (rowCount === 1 && notice) await insertNotice(tx, sent.id, notice);
    return rowCount === 1;
  });
}

/** Stores that the session is cancelled and its meeting (if any) gone at Zoom. */
export async function storeCancelled(
  db: Database,
  lease: SyncLease,
  sent: ClassSession,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE class_sessions
          SET zoom_meeting_id = NULL, zoom_join_url = NULL, create_attempt_at = NULL,
              sync_state = 'cancelled', sync_error_code = NULL, sync_error_message = NULL,
              synced_revision = $3, synced_at = now(), updated_at = now()
        WHERE id = $1 AND sync_lease_token = $2 AND status = 'cancelled'`,
      [lease.sessionId, lease.token, sent.revision],
    );
    if (rowCount === 1)
      await insertNotice(tx, sent.id, { kind: 'cancelled', revision: sent.revision });
    return rowCount === 1;
  });
}

/** Marks a scheduled session whose meeting is in step as ready again (e.g. after a reconnect). */
export async function storeReady(db: Queryable, lease: SyncLease): Promise<void> {
  await db.query(
    `UPDATE class_sessions SET sync_state = 'ready', sync_error_code = NULL, sync_error_message = NULL,
            updated_at = now()
      WHERE id = $1 AND sync_lease_token = $2 AND status = 'scheduled' AND zoom_meeting_id IS NOT NULL`,
    [lease.sessionId, lease.token],
  );
}

/** Outcome of a failed step: the state to show and whether the attempt marker goes. */
export interface FailureWrite {
  readonly state: 'pending' | 'failed' | 'needs_check' | 'host_disconnected';
  readonly problem: SyncProblem;
  /** True when Zoom surely made nothing, so the attempt marker is cleared. */
  readonly clearAttempt: boolean;
  /** True when the meeting is known to be gone at Zoom, so its id is forgotten. */
  readonly forgetMeeting?: boolean;
}

/** Stores a failed step. */
export async function storeFailure(
  db: Queryable,
  lease: SyncLease,
  failure: FailureWrite,
): Promise<void> {
  await db.query(
    `UPDATE class_sessions
        SET sync_state = $3, sync_error_code = $4, sync_error_message = $5,
            create_attempt_at = CASE WHEN $6 THEN NULL ELSE create_attempt_at END,
            zoom_meeting_id = CASE WHEN $7 THEN NULL ELSE zoom_meeting_id END,
            zoom_join_url = CASE WHEN $7 THEN NULL ELSE zoom_join_url END,
            updated_at = now()
      WHERE id = $1 AND sync_lease_token = $2`,
    [
      lease.sessionId,
      lease.token,
      failure.state,
      failure.problem.code,
      failure.problem.message,
      failure.clearAttempt,
      failure.forgetMeeting ?? false,
    ],
  );
}

async function insertNotice(tx: Queryable, sessionId: number, notice: NoticeInput): Promise<void> {
  await tx.query(
    `INSERT INTO session_change_notices
       (session_id, kind, revision, previous_starts_at, previous_duration_minutes, starts_at,
        duration_minutes)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [
      sessionId,
      notice.kind,
      notice.revision,
      notice.previousStartsAt ?? null,
      notice.previousDurationMinutes ?? null,
      notice.startsAt ?? null,
      notice.durationMinutes ?? null,
    ],
  );
}

function syncedAssignments(first: number): string {
  return `synced_title = $${first}, synced_starts_at = $${first + 1},
          synced_duration_minutes = $${first + 2}, synced_timezone = $${first + 3}`;
}

function syncedValues(sent: ClassSession): unknown[] {
  return [sent.title, sent.startsAt, sent.durationMinutes, sent.timezone];
}
