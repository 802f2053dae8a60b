/**
 * Sends the changes students must hear about to the message queue. Notices are written with
 * the sync result that caused them (see sync-writes.ts) and sent from here afterwards, marked
 * sent once the queue has them: a crash in between only delays a notice to the next sync of
 * the session, and the singleton key keeps a resend from making a second job.
 */
import type { Logger } from 'pino';

import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';

/** The queue the messaging module works. */
export const SESSION_CHANGED_QUEUE = 'notify.session-changed';

/** The data of a `notify.session-changed` job. */
export interface SessionChangedJob {
  readonly sessionId: number;
  readonly kind: 'meeting_ready' | 'rescheduled' | 'cancelled';
  readonly revision: number;
  /** ISO 8601 UTC; only on `rescheduled`. */
  readonly previousStartsAt?: string;
  readonly previousDurationMinutes?: number;
  /** ISO 8601 UTC; on `rescheduled`, the start this change announces. */
  readonly startsAt?: string;
  readonly durationMinutes?: number;
}

interface NoticeRow {
  session_id: string;
  kind: SessionChangedJob['kind'];
  revision: number;
  previous_starts_at: Date | string | null;
  previous_duration_minutes: number | null;
  starts_at: Date | string | null;
  duration_minutes: number | null;
}

/** Sends the unsent notices of one session. */
export async function sendSessionNotices(
  db: Database,
  jobs: JobQueue,
  log: Logger,
  sessionId: number,
): Promise<void> {
  const { rows } = await db.query<NoticeRow>(
    `SELECT session_id, kind, revision, previous_starts_at, previous_duration_minutes,
            starts_at, duration_minutes
       FROM session_change_notices WHERE session_id = $1 AND sent_at IS NULL
      ORDER BY revision, created_at`,
    [sessionId],
  );

  for (const row of rows) {
    const data = toJob(row);
    await jobs.send(SESSION_CHANGED_QUEUE, data, {
      singletonKey: `${data.sessionId}:${data.kind}:${data.revision}`,
    });
    await db.query(
      `UPDATE session_change_notices SET sent_at = now()
        WHERE session_id = $1 AND kind = $2 AND revision = $3`,
      [data.sessionId, data.kind, data.revision],
    );
    log.info({ sessionId, kind: data.kind, revision: data.revision }, 'session change notice sent');
  }
}

function toJob(row: NoticeRow): SessionChangedJob {
  return {
    sessionId: Number(row.session_id),
    kind: row.kind,
    revision: row.revision,
    ...(row.previous_starts_at === null
      ? {}
      : { previousStartsAt: new Date(row.previous_starts_at).toISOString() }),
    ...(row.previous_duration_minutes === null
      ? {}
      : { previousDurationMinutes: row.previous_duration_minutes }),
    ...(row.starts_at === null ? {} : { startsAt: new Date(row.starts_at).toISOString() }),
    ...(row.duration_minutes === null ? {} : { durationMinutes: row.duration_minutes }),
  };
}
