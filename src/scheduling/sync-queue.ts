/**
 * The queue of sync jobs, keyed by session: `stately`, so at most one job per session waits and
 * one runs, and each job reconciles the session as it is when the job runs (a job never carries
 * the values to send). The lease in sync-lease.ts adds the hard guarantee the queue alone does
 * not give (a job expired and retried while its first run still talks to Zoom).
 */
import type { AppContext } from '../app/app-context.js';
import type { Job } from '../jobs/job-queue.js';
import { SESSION_CHANGED_QUEUE } from './session-notices.js';
import { SessionSync } from './session-sync.js';

/** The sync queue's name. */
export const SYNC_QUEUE = 'scheduling.sync-session';

/** Data of a sync job. */
export interface SyncJobData {
  readonly sessionId: number;
  /** Earlier re-sends after transient Zoom failures, for the backoff and its limit. */
  readonly retries?: number;
}

// A job finding the lease taken looks again after this long.
const BUSY_RETRY_MS = 3_000;

/** Workers per process; Zoom calls are I/O, so several sessions sync at once. */
const SYNC_CONCURRENCY = 8;

/** Asks for a sync of one session, now or after `delayMs`. */
export async function enqueueSync(
  ctx: AppContext,
  sessionId: number,
  options: { delayMs?: number; retries?: number; at?: Date } = {},
): Promise<void> {
  const startAfter =
    options.at ?? (options.delayMs ? new Date(Date.now() + options.delayMs) : undefined);
  await ctx.jobs.send<SyncJobData>(
    SYNC_QUEUE,
    { sessionId, ...(options.retries ? { retries: options.retries } : {}) },
    { singletonKey: `session:${sessionId}`, ...(startAfter ? { startAfter } : {}) },
  );
}

/** Declares the scheduling queues (and the one its notices go to) and starts the sync workers. */
export async function registerSchedulingWorkers(ctx: AppContext): Promise<void> {
  await ctx.jobs.declare(SYNC_QUEUE, {
    policy: 'stately',
    retryLimit: 10,
    retryDelaySeconds: 5,
    retryBackoff: true,
    expireInSeconds: 300,
  });
  await ctx.jobs.declare(SESSION_CHANGED_QUEUE, { policy: 'standard' });

  const sync = new SessionSync(ctx);
  await ctx.jobs.work<SyncJobData>(
    SYNC_QUEUE,
    (job) => runSyncJob(ctx, sync, job),
    SYNC_CONCURRENCY,
  );
}

async function runSyncJob(
  ctx: AppContext,
  sync: SessionSync,
  job: Job<SyncJobData>,
): Promise<void> {
  const { sessionId } = job.data;
  const retries = job.data.retries ?? 0;
  const result = await sync.run(sessionId, retries);

  if (result.kind === 'busy')
    await enqueueSync(ctx, sessionId, { delayMs: BUSY_RETRY_MS, retries });
  if (result.kind === 'retry')
    await enqueueSync(ctx, sessionId, { at: result.at, retries: retries + 1 });
}
