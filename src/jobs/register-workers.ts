/**
 * Every queue of the product and its worker, declared in one place so each process that starts
 * work starts all of it.
 */
import type { AppContext } from '../app/app-context.js';
import { registerConnectionWorkers } from '../connections/register-connection-workers.js';
import { registerWebhookWorkers } from '../webhooks/webhook-workers.js';
import { registerSchedulingWorkers } from '../scheduling/sync-queue.js';
import { registerNotifyWorkers } from '../notify/register-notify-workers.js';

/** What the workers hold beyond the job queue, released after the queue has stopped. */
export interface Workers {
  /** Closes long-lived connections of the workers (the SMTP pool). */
  close(): void;
}

/** Declares the queues and starts their workers. */
export async function registerWorkers(ctx: AppContext): Promise<Workers> {
  await registerConnectionWorkers(ctx);
  await registerWebhookWorkers(ctx);
  await registerSchedulingWorkers(ctx);
  const notify = await registerNotifyWorkers(ctx);
  return { close: () => notify.close() };
}
