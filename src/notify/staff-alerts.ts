/**
 * Alerts to staff about instructors' Zoom connections, sent through the same outbox as
 * messages to students. Recipients are every staff and admin user plus `STAFF_NOTIFY_EMAILS`;
 * a broken connection also goes to the instructor. Each row's key is the alert's job id and
 * the recipient, so a retried alert job adds nothing.
 */
import type { AppContext } from '../app/app-context.js';
import { findUserById, listUsersByRole } from '../auth/user-store.js';
import { queueDeliveries } from './fan-out.js';
import type { StaffAlertJob } from './notify-queues.js';
import { insertOutboxRows, type NewOutboxRow } from './outbox-store.js';
import {
  connectionBrokenAlert,
  deauthorizedAlert,
  type AffectedSession,
  type AlertEmail,
} from './staff-alert-templates.js';

/** Writes and queues the emails of one staff alert; returns how many were queued. */
export async function sendStaffAlert(
  ctx: AppContext,
  jobId: string,
  alert: StaffAlertJob,
): Promise<number> {
  const instructor = await findUserById(ctx.db, alert.instructorId);
  if (!instructor) {
    ctx.log.warn(
      { instructorId: alert.instructorId, kind: alert.kind },
      'staff alert for unknown instructor',
    );
    return 0;
  }

  const email =
    alert.kind === 'instructor_deauthorized'
      ? deauthorizedAlert(
          instructor,
          await upcomingSessions(ctx, alert.sessionIds),
          ctx.config.publicUrl,
        )
      : connectionBrokenAlert(instructor);
  const recipients = await alertRecipients(
    ctx,
    alert.kind === 'connection_broken' ? instructor.email : undefined,
  );
  const rows = recipients.map((recipient) => alertRow(jobId, alert.kind, recipient, email));

  await insertOutboxRows(ctx.db, rows, ctx.clock.now());
  const ids = await alertRowIds(ctx, jobId);
  await queueDeliveries(ctx, ids);
  ctx.log.info(
    { kind: alert.kind, instructorId: instructor.id, recipients: ids.length },
    'staff alert queued',
  );
  return ids.length;
}

async function alertRecipients(
  ctx: AppContext,
  instructorEmail: string | undefined,
): Promise<string[]> {
  const staff = await listUsersByRole(ctx.db, ['staff', 'admin']);
  const all = [...staff.map((user) => user.email), ...ctx.config.staffNotifyEmails];
  if (instructorEmail) all.push(instructorEmail);
  const seen = new Map(all.map((address) => [address.toLowerCase(), address]));
  return [...seen.values()];
}

async function upcomingSessions(
  ctx: AppContext,
  ids: readonly number[],
): Promise<AffectedSession[]> {
  if (ids.length === 0) return [];
  const { rows } = await ctx.db.query<{
    id: number;
    title: string;
    starts_at: string;
    timezone: string;
  }>(
    `SELECT id, title, starts_at, timezone FROM class_sessions
      WHERE id = ANY($1::bigint[]) AND starts_at > $2 AND status = 'scheduled' ORDER BY starts_at`,
    [[...ids], ctx.clock.now()],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    title: row.title,
    startsAt: new Date(row.starts_at),
    timezone: row.timezone,
  }));
}

function alertRow(jobId: string, kind: string, recipient: string, email: AlertEmail): NewOutboxRow {
  return {
    audience: 'staff',
    sessionId: null,
    studentId: null,
    channel: 'email',
    kind,
    version: 0,
    alertKey: `${jobId}:${recipient.toLowerCase()}`,
    recipient,
    recipientName: null,
    subject: email.subject,
    textBody: email.text,
    htmlBody: email.html,
    ics: null,
    icsMethod: null,
  };
}

async function alertRowIds(ctx: AppContext, jobId: string): Promise<number[]> {
  const { rows } = await ctx.db.query<{ id: number }>(
    `SELECT id FROM notify_outbox WHERE audience = 'staff' AND alert_key LIKE $1 AND status = 'queued'`,
    [`${jobId}:%`],
  );
  return rows.map((row) => Number(row.id));
}
