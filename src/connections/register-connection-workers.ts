/** Queues the connections module sends to; their workers belong to the modules that act. */
import type { AppContext } from '../app/app-context.js';
import { STAFF_ALERT_QUEUE } from './token-service.js';

/**
 * Declares `notify.staff-alert`, which tells staff and the instructor that a connection broke.
 * The messaging module registers the worker that sends the emails.
 */
export async function registerConnectionWorkers(ctx: AppContext): Promise<void> {
  await ctx.jobs.declare(STAFF_ALERT_QUEUE, { policy: 'standard', retryLimit: 5 });
}
