/**
 * Turns one change of a class session into messages: one outbox row per enrolled student and
 * channel (email always, SMS with consent and a phone), inserted with `ON CONFLICT DO NOTHING`
 * on the message key, then one delivery job per row still waiting. A fan-out that runs twice
 * (a retried or duplicated job) inserts nothing new and only re-sends delivery jobs, which the
 * claim in the delivery worker makes harmless.
 */
import type { AppContext } from '../app/app-context.js';
import { renderStudentMessage, type ChangeDetails } from './message-templates.js';
import { DELIVER_QUEUE } from './notify-queues.js';
import { insertOutboxRows, queuedIdsOfChange, type NewOutboxRow } from './outbox-store.js';
import { recipientsOf, type Recipient } from './recipients.js';
import { mailFromOf, smsEnabled, uidDomainOf } from './sender-identity.js';
import { hasJoinLink, loadSessionFacts, type SessionFacts } from './session-facts.js';

const INSERT_CHUNK = 500;
const JOB_SEND_PARALLEL = 25;

/** Writes the outbox rows of `change` and queues their delivery; returns the rows queued. */
export async function fanOutChange(
  ctx: AppContext,
  sessionId: number,
  change: ChangeDetails,
  onlyStudentIds?: readonly number[],
): Promise<number> {
  const log = ctx.log.child({ sessionId, kind: change.kind, revision: change.revision });
  const latest = await loadSessionFacts(ctx.db, sessionId);
  const skip = latest ? reasonToSkip(latest, change) : 'session not found';
  if (!latest || skip) {
    log.info({ reason: skip }, 'session change not announced');
    return 0;
  }
  const session = asAnnounced(latest, change);

  const recipients = await recipientsOf(ctx.db, sessionId, change, onlyStudentIds);
  const rows = recipients.flatMap((recipient) => rowsFor(ctx, session, change, recipient));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await insertOutboxRows(ctx.db, rows.slice(i, i + INSERT_CHUNK), ctx.clock.now());
  }

  const ids = await queuedIdsOfChange(ctx.db, sessionId, change.kind, change.revision);
  await queueDeliveries(ctx, ids);
  log.info({ students: recipients.length, queued: ids.length }, 'session change fanned out');
  return ids.length;
}

/** Sends one delivery job per outbox row. */
export async function queueDeliveries(ctx: AppContext, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += JOB_SEND_PARALLEL) {
    const batch = ids.slice(i, i + JOB_SEND_PARALLEL);
    await Promise.all(batch.map((outboxId) => ctx.jobs.send(DELIVER_QUEUE, { outboxId })));
  }
}

/**
 * The session as this change left it: a reschedule fanned out after a later one still tells
 * students the time of its own change (the later change sends its own message).
 */
function asAnnounced(session: SessionFacts, change: ChangeDetails): SessionFacts {
  return {
    ...session,
    startsAt: change.startsAt ?? session.startsAt,
    durationMinutes: change.durationMinutes ?? session.durationMinutes,
  };
}

/** Why a change is not announced, or undefined when it is. */
function reasonToSkip(session: SessionFacts, change: ChangeDetails): string | undefined {
  if (change.kind === 'cancelled') return undefined;
  if (session.status === 'cancelled') return 'session is cancelled';
  if (!hasJoinLink(session)) return 'meeting has no join link yet';
  return undefined;
}

function rowsFor(
  ctx: AppContext,
  session: SessionFacts,
  change: ChangeDetails,
  recipient: Recipient,
): NewOutboxRow[] {
  const message = renderStudentMessage(session, change, {
    student: { name: recipient.name, email: recipient.email },
    mailFrom: mailFromOf(ctx.config),
    uidDomain: uidDomainOf(ctx.config),
    now: ctx.clock.now(),
  });
  const key = {
    audience: 'student' as const,
    sessionId: session.id,
    studentId: recipient.studentId,
    kind: change.kind,
    version: change.revision,
    recipientName: recipient.name,
  };

  const email: NewOutboxRow = {
    ...key,
    channel: 'email',
    recipient: recipient.email,
    subject: message.email.subject,
    textBody: message.email.text,
    htmlBody: message.email.html,
    ics: message.email.ics,
    icsMethod: message.email.icsMethod,
  };
  if (!recipient.smsOptIn || !recipient.phone || !smsEnabled(ctx.config)) return [email];
  const sms: NewOutboxRow = {
    ...key,
    channel: 'sms',
    recipient: recipient.phone,
    subject: null,
    textBody: message.sms,
    htmlBody: null,
    ics: null,
    icsMethod: null,
  };
  return [email, sms];
}

/** Students enrolled after the meeting is ready get the current join message at once. */
export async function sendCurrentJoinMessage(
  ctx: AppContext,
  sessionId: number,
  studentIds: readonly number[],
): Promise<number> {
  const session = await loadSessionFacts(ctx.db, sessionId);
  if (!session || !hasJoinLink(session)) return 0;
  const change: ChangeDetails = { kind: 'meeting_ready', revision: session.revision };
  return fanOutChange(ctx, sessionId, change, studentIds);
}
