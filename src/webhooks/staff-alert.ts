/**
 * Tells staff that an instructor removed the app, once per deauthorization and instructor,
 * listing the upcoming sessions that lost their host link. The alert jobs are enqueued in the
 * same transaction that notes them as sent on the deauthorization's row, so a redelivery of the
 * webhook, a retry of the finishing job or a crash in between never sends an alert twice or
 * loses it.
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

  await ctx.db.transaction(async (tx) => {
    for (const cleared of record.affected) {
      const alert: InstructorDeauthorizedAlert = {
        kind: 'instructor_deauthorized',
        instructorId: cleared.instructorId,
        sessionIds: cleared.sessionIds,
      };
      await ctx.jobs.send(STAFF_ALERT_QUEUE, alert, {
        singletonKey: `deauthorized:${record.id}:${cleared.instructorId}`,
        tx,
      });
    }
    await markStaffAlertSent(tx, record.id);
  });
}
