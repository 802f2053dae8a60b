/** Enrolled students a change goes to, read in one query per change. */
import type { Queryable } from '../db/database.js';
import type { ChangeKind } from './message-templates.js';

/** A student as the fan-out sees them. */
export interface Recipient {
  readonly studentId: number;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly smsOptIn: boolean;
}

/**
 * The students of `sessionId` (or only `onlyStudentIds`). For a reschedule, students whose
 * join message already announced this revision or a later one are left out: that message
 * carried the new time.
 */
export async function recipientsOf(
  db: Queryable,
  sessionId: number,
  change: { readonly kind: ChangeKind; readonly revision: number },
  onlyStudentIds?: readonly number[],
): Promise<Recipient[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT s.id, s.name, s.email, s.phone, s.sms_opt_in
       FROM enrollments e JOIN students s ON s.id = e.student_id
      WHERE e.session_id = $1
        AND ($2::bigint[] IS NULL OR s.id = ANY($2::bigint[]))
        AND NOT ($3 = 'rescheduled' AND EXISTS (
              SELECT 1 FROM notify_outbox o
               WHERE o.session_id = e.session_id AND o.student_id = s.id
                 AND o.kind = 'meeting_ready' AND o.version >= $4))
      ORDER BY s.id`,
    [sessionId, onlyStudentIds ? [...onlyStudentIds] : null, change.kind, change.revision],
  );
  return rows.map((row) => ({
    studentId: Number(row['id']),
    name: row['name'] as string,
    email: row['email'] as string,
    phone: row['phone'] as string | null,
    smsOptIn: row['sms_opt_in'] === true,
  }));
}
