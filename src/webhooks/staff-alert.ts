/**
 * Tells staff that an instructor removed the app, once per deauthorization and instructor,
 * listing the upcoming sessions that lost their host link. Sent after the commit (the job queue
 * has its own connection), then noted in the deauthorization's row, so a redelivery of the
 * webhook or a retry of the finishing job sends only what was not sent.
 *
 * Known gap: a crash between the send and the note would send the alert again on the next
 * redelivery. Sending inside the transaction would close it, which needs the job queue to
 * accept the caller's transaction.
 */
import type { AppContext } from '../app/app-context.js';
import { markStaffAlertSent, type DeauthorizationRecord } from './deauthorization-store.js';
import { STAFF_ALERT_QUEUE, type InstructorDeauthorizedAlert } from './webhook-queues.js';

/** Enqueues the staff alerts of a finished deauthorization unless already sent. */
export async function sendStaffAlerts(
  ctx: AppContext,
  record: Pick<DeauthorizationRecord, 'id' | 'affected' | 'staffAlertSent'>,
): Promise<void> {
  if (record.staffAlertSent || record.affected.length === 0) return;

  for (const cleared of record.affected) {
    const alert: InstructorDeauthorizedAlert = {
      kind: 'instructor_deauthorized',
      instructorId: cleared.instructorId,
      sessionIds: cleared.sessionIds,
    };
    await ctx.jobs.send(STAFF_ALERT_QUEUE, alert, {
      singletonKey: `deauthorized:${record.id}:${cleared.instructorId}`,
    });
  }

  await markStaffAlertSent(ctx.db, record.id);
}
