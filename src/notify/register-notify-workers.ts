/**
 * The queues and workers of messages:
 *
 * - `notify.session-changed` (from scheduling): fan a change out into outbox rows;
 * - `notify.staff-alert` (from connections): email staff about an instructor's Zoom link;
 * - `notify.deliver`: send one outbox row, retried with backoff on temporary failures;
 * - `notify.sweep`: every minute, re-queue rows whose delivery job was lost (a dead worker's
 *   stale claim, a fan-out that died before queuing its jobs).
 */
import type { AppContext } from '../app/app-context.js';
import type { Job } from '../jobs/job-queue.js';
import type { EmailSender, SmsSender } from './channel-senders.js';
import { deliverOutboxRow, MAX_ATTEMPTS, STALE_CLAIM_MS, type Senders } from './deliver-message.js';
import { DevEmailSender, DevSmsSender } from './dev-outbox.js';
import { fanOutChange, queueDeliveries } from './fan-out.js';
import { parseSessionChanged, parseStaffAlert } from './job-data.js';
import {
  DELIVER_QUEUE,
  SESSION_CHANGED_QUEUE,
  STAFF_ALERT_QUEUE,
  SWEEP_QUEUE,
  type DeliverJob,
} from './notify-queues.js';
import { findAbandonedRows } from './outbox-store.js';
import { SmtpEmailSender } from './smtp-email-sender.js';
import { sendStaffAlert } from './staff-alerts.js';
import { TwilioSmsSender } from './twilio-sms-sender.js';

const SWEEP_EVERY_SECONDS = 60;
// Queued rows untouched this long have lost their delivery job (retries keep `updated_at` fresh).
const IDLE_QUEUED_MS = 30 * 60_000;

/** Tuning for tools such as the fan-out benchmark. */
export interface NotifyWorkerOptions {
  /** Delivery workers in this process (default 10). */
  readonly deliveryConcurrency?: number;
  readonly smtpMaxConnections?: number;
}

/**
 * Delivery jobs each worker fetches at once: a fan-out to a whole roster is many short jobs, and
 * fetching them together saves two queue round trips per message.
 */
const DELIVERY_BATCH = 10;

/** The running message workers of a process. */
export interface NotifyWorkers {
  readonly senders: Senders;
  /** Closes the SMTP pool; the job queue stops the workers themselves. */
  close(): void;
}

/** Declares the message queues and starts their workers. */
export async function registerNotifyWorkers(
  ctx: AppContext,
  options: NotifyWorkerOptions = {},
): Promise<NotifyWorkers> {
  const senders = createSenders(ctx, options);
  await declareQueues(ctx);

  await ctx.jobs.work<unknown>(SESSION_CHANGED_QUEUE, (job) => onSessionChanged(ctx, job), 2);
  await ctx.jobs.work<unknown>(STAFF_ALERT_QUEUE, (job) => onStaffAlert(ctx, job), 1);
  await ctx.jobs.work<DeliverJob>(
    DELIVER_QUEUE,
    async (job) => void (await deliverOutboxRow(ctx, senders, Number(job.data.outboxId))),
    options.deliveryConcurrency ?? 8,
    DELIVERY_BATCH,
  );
  await ctx.jobs.work(SWEEP_QUEUE, () => sweep(ctx, true), 1);

  await sweep(ctx, false);
  await ctx.jobs.send(SWEEP_QUEUE, {}, { singletonKey: 'notify-sweep' });
  return { senders, close: () => senders.email.close() };
}

/** The queues other modules send to; safe to call from every process. */
export async function declareQueues(ctx: AppContext): Promise<void> {
  await ctx.jobs.declare(SESSION_CHANGED_QUEUE, {
    policy: 'standard',
    retryLimit: 5,
    retryDelaySeconds: 2,
  });
  await ctx.jobs.declare(STAFF_ALERT_QUEUE, {
    policy: 'standard',
    retryLimit: 5,
    retryDelaySeconds: 2,
  });
  await ctx.jobs.declare(DELIVER_QUEUE, {
    policy: 'standard',
    retryLimit: MAX_ATTEMPTS - 1,
    retryDelaySeconds: 3,
    retryBackoff: true,
    expireInSeconds: 120,
  });
  await ctx.jobs.declare(SWEEP_QUEUE, { policy: 'stately', retryLimit: 0, expireInSeconds: 60 });
}

function createSenders(ctx: AppContext, options: NotifyWorkerOptions): Senders {
  const { config } = ctx;
  const email: EmailSender = config.smtpUrl
    ? new SmtpEmailSender({
        smtpUrl: config.smtpUrl,
        maxConnections: options.smtpMaxConnections,
        exitAfterSendForTests: config.exitAfterSmtpSendForTests && !config.production,
      })
    : new DevEmailSender(ctx.db);
  const sms: SmsSender | undefined = config.twilio
    ? new TwilioSmsSender(config.twilio)
    : config.production
      ? undefined
      : new DevSmsSender(ctx.db);
  return { email, sms };
}

async function onSessionChanged(ctx: AppContext, job: Job<unknown>): Promise<void> {
  const change = parseSessionChanged(job.data);
  if (!change) {
    ctx.log.warn({ jobId: job.id }, 'session change job malformed, dropped');
    return;
  }
  await fanOutChange(ctx, change.sessionId, change);
}

async function onStaffAlert(ctx: AppContext, job: Job<unknown>): Promise<void> {
  const alert = parseStaffAlert(job.data);
  if (!alert) {
    ctx.log.warn({ jobId: job.id }, 'staff alert job malformed, dropped');
    return;
  }
  await sendStaffAlert(ctx, job.id, alert);
}

async function sweep(ctx: AppContext, scheduleNext: boolean): Promise<void> {
  const now = ctx.clock.now().getTime();
  const ids = await findAbandonedRows(
    ctx.db,
    new Date(now - STALE_CLAIM_MS),
    new Date(now - IDLE_QUEUED_MS),
  );
  if (ids.length > 0) {
    ctx.log.info({ rows: ids.length }, 'abandoned outbox rows queued again');
    await queueDeliveries(ctx, ids);
  }
  if (scheduleNext) {
    await ctx.jobs.send(
      SWEEP_QUEUE,
      {},
      { singletonKey: 'notify-sweep', startAfter: SWEEP_EVERY_SECONDS },
    );
  }
}
