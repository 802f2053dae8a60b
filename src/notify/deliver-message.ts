/**
 * Sends one outbox row. The row is claimed first (`queued`/`retry` → `sending`, or a stale
 * `sending` claim), so retried and duplicated jobs find nothing to do once a worker holds or
 * has finished the row. After the send, one statement records the attempt and the new status.
 *
 * A worker that dies after the server accepted a message and before that statement leaves the
 * row `sending`. After `STALE_CLAIM_MS` the row is claimed again and sent again: at most one
 * repeat, never a lost message. No mail protocol lets a client learn whether such a message
 * went out, so this window cannot be closed, only kept to one repeat.
 */
import type { Logger } from 'pino';
import type { AppContext } from '../app/app-context.js';
import type { EmailSender, SendReceipt, SmsSender } from './channel-senders.js';
import { deliveryFailure, failureFacts } from './delivery-failure.js';
import { claimOutboxRow, recordFailure, recordSent, type OutboxRow } from './outbox-store.js';
import { maskRecipient } from './personal-data.js';
import { mailFromOf } from './sender-identity.js';

/** A claim older than this belongs to a dead worker; longer than any send may take. */
export const STALE_CLAIM_MS = 5 * 60_000;

/** Tries per message before a temporary failure counts as final. */
export const MAX_ATTEMPTS = 8;

/** The channels a process sends through. */
export interface Senders {
  readonly email: EmailSender;
  readonly sms: SmsSender | undefined;
}

/** What became of one delivery job. */
export type DeliveryOutcome = 'sent' | 'failed' | 'retry' | 'skipped';

/**
 * Delivers outbox row `outboxId`. Throws the sender's error on a temporary failure so the job
 * queue retries with backoff; permanent failures are recorded and end the job.
 */
export async function deliverOutboxRow(
  ctx: AppContext,
  senders: Senders,
  outboxId: number,
): Promise<DeliveryOutcome> {
  const now = ctx.clock.now();
  const row = await claimOutboxRow(ctx.db, outboxId, now, new Date(now.getTime() - STALE_CLAIM_MS));
  if (!row) return 'skipped';

  const log = ctx.log.child({
    outboxId,
    channel: row.channel,
    kind: row.kind,
    attempt: row.attempts,
  });
  const transport =
    row.channel === 'email' ? senders.email.transport : (senders.sms?.transport ?? 'dev');
  const attempt = { outboxId, attempt: row.attempts, transport };

  let receipt: SendReceipt;
  try {
    receipt = await sendRow(ctx, senders, row);
  } catch (error) {
    return handleFailure(ctx, log, row, attempt, error);
  }

  await recordSent(ctx.db, {
    ...attempt,
    at: ctx.clock.now(),
    providerMessageId: receipt.providerMessageId,
  });
  log.info({ to: maskRecipient(row.channel, row.recipient), transport }, 'message sent');
  return 'sent';
}

async function sendRow(ctx: AppContext, senders: Senders, row: OutboxRow): Promise<SendReceipt> {
  if (row.channel === 'sms') {
    if (!senders.sms) {
      throw deliveryFailure('sms', 'sms is off', { permanent: true, providerCode: 'sms_off' });
    }
    return senders.sms.send({ outboxId: row.id, to: row.recipient, body: row.textBody });
  }
  return senders.email.send({
    outboxId: row.id,
    from: mailFromOf(ctx.config),
    to: row.recipient,
    toName: row.recipientName,
    subject: row.subject ?? '',
    text: row.textBody,
    html: row.htmlBody,
    ics: row.ics,
    icsMethod: row.icsMethod,
  });
}

async function handleFailure(
  ctx: AppContext,
  log: Logger,
  row: OutboxRow,
  attempt: { outboxId: number; attempt: number; transport: 'smtp' | 'twilio' | 'dev' },
  error: unknown,
): Promise<DeliveryOutcome> {
  const facts = failureFacts(error);
  const final = !facts.permanent && row.attempts >= MAX_ATTEMPTS;
  await recordFailure(
    ctx.db,
    { ...attempt, at: ctx.clock.now(), errorCode: facts.providerCode, errorMessage: facts.message },
    { permanent: facts.permanent, final },
  );

  const fields = {
    to: maskRecipient(row.channel, row.recipient),
    providerCode: facts.providerCode,
  };
  if (facts.permanent || final) {
    log.warn({ ...fields, permanent: facts.permanent }, 'message failed for good');
    return 'failed';
  }
  log.info(fields, 'message send failed, will retry');
  throw error;
}
