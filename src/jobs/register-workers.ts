/**
 * Every queue of the product and its worker, declared in one place so each process that starts
 * work starts all of it.
 */
import type { AppContext } from '../app/app-context.js';
import { registerConnectionWorkers } from '../connections/register-connection-workers.js';
import { registerWebhookWorkers } from '../webhooks/webhook-workers.js';
import { registerSchedulingWorkers } from '../scheduling/sync-queue.js';
import { registerNotifyWorkers } from '../notify/register-notify-workers.js';

/** Declares the queues and starts their workers. */
export async function registerWorkers(ctx: AppContext): Promise<void> {
  await registerConnectionWorkers(ctx);
  await registerWebhookWorkers(ctx);
  await registerSchedulingWorkers(ctx);
  await registerNotifyWorkers(ctx);
}
