/** The queues of the webhook module and the worker that finishes deferred deauthorizations. */
import type { AppContext } from '../app/app-context.js';
import { finishPendingDeauthorization } from './handle-deauthorization.js';
import {
  FINISH_DEAUTHORIZATION_QUEUE,
  STAFF_ALERT_QUEUE,
  type FinishDeauthorizationJob,
} from './webhook-queues.js';

/** Declares the webhook queues and starts the finishing worker. */
export async function registerWebhookWorkers(ctx: AppContext): Promise<void> {
  // Stately: one queued and one running job per deauthorization, however often it is sent.
  // Retries are quick and many: each attempt already waits up to 20 s for the row lock.
  await ctx.jobs.declare(FINISH_DEAUTHORIZATION_QUEUE, {
    policy: 'stately',
    retryLimit: 30,
    retryDelaySeconds: 1,
    retryBackoff: false,
    expireInSeconds: 60,
  });
  await ctx.jobs.declare(STAFF_ALERT_QUEUE, { policy: 'standard' });

  await ctx.jobs.work<FinishDeauthorizationJob>(FINISH_DEAUTHORIZATION_QUEUE, (job) =>
    finishPendingDeauthorization(ctx, job.data.deauthorizationId),
  );
}
