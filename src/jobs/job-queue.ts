/**
 * Durable background work on the product's own PostgreSQL, through pg-boss. Several server
 * processes share one queue safely: a job is fetched by one worker with `SKIP LOCKED`, and a job
 * whose worker died is expired and retried by whichever process runs maintenance next.
 *
 * On PGlite pg-boss talks through the embedded database's single connection instead of its own
 * pool; scripts without parameters go to `exec`, which accepts several statements.
 */
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';

/** A job as a handler sees it. */
export interface Job<Data> {
  readonly id: string;
  readonly name: string;
  readonly data: Data;
  readonly retryCount: number;
}

/** How a queue retries and serialises its jobs. */
export interface QueueOptions {
  /**
   * `standard` runs jobs in parallel; `stately` keeps at most one queued and one active job per
   * `singletonKey` (a second send while one waits is dropped), which serialises work per key.
   */
  readonly policy?: 'standard' | 'stately' | 'singleton' | 'short';
  readonly retryLimit?: number;
  readonly retryDelaySeconds?: number;
  readonly retryBackoff?: boolean;
  /** How long a job may run before it counts as lost and is retried elsewhere. */
  readonly expireInSeconds?: number;
}

/** Per-send options. */
export interface SendOptions {
  readonly singletonKey?: string;
  readonly startAfter?: Date | number;
  readonly retryLimit?: number;
  /**
   * An open transaction to enqueue in: the job exists only if that transaction commits, so a
   * change and the work it calls for are recorded together or not at all.
   */
  readonly tx?: Queryable;
}

/** Settings of the queue as a whole. */
export interface JobQueueOptions {
  readonly db: Database;
  readonly databaseUrl: string | undefined;
  readonly log: Logger;
  /** How often a worker looks for work when idle; pg-boss allows 0.5 s at the least. */
  readonly pollingIntervalSeconds?: number;
  /** How often expired jobs are found and retried. */
  readonly maintenanceIntervalSeconds?: number;
}

/** The product's job queue. */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly log: Logger;
  private readonly pollingIntervalSeconds: number;
  private started = false;

  constructor(options: JobQueueOptions) {
    this.log = options.log;
    this.pollingIntervalSeconds = options.pollingIntervalSeconds ?? 0.5;
    this.boss = new PgBoss({
      ...connectionOptions(options),
      schema: 'pgboss',
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      monitorStateIntervalSeconds: 60,
    });
    this.boss.on('error', (error: Error) => this.log.error({ err: error }, 'job queue error'));
  }

  /** Creates pg-boss's schema if needed and starts maintenance. */
  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  /** Declares a queue; safe to call on every start and from several processes. */
  async declare(name: string, options: QueueOptions = {}): Promise<void> {
    const existing = await this.boss.getQueue(name);
    const queue = {
      name,
      policy: options.policy ?? 'standard',
      retryLimit: options.retryLimit ?? 5,
      retryDelay: options.retryDelaySeconds ?? 2,
      retryBackoff: options.retryBackoff ?? true,
      expireInSeconds: options.expireInSeconds ?? 120,
    };
    if (existing) await this.boss.updateQueue(name, queue);
    else await this.boss.createQueue(name, queue).catch(() => this.boss.updateQueue(name, queue));
  }

  /** Enqueues a job; null when a `stately` queue already holds one for the key. */
  async send<Data extends object>(name: string, data: Data, options: SendOptions = {}) {
    const { tx, ...rest } = options;
    if (!tx) return this.boss.send(name, data, rest);
    const db = { executeSql: (text: string, values: unknown[]) => tx.query(text, values) };
    return this.boss.send(name, data, { ...rest, db });
  }

  /**
   * Starts `concurrency` workers for `name`. Each fetches up to `batchSize` jobs at once and runs
   * them side by side; a job that throws is failed (and retried) alone, the others complete.
   * Batches save a fetch and a completion round trip per job, which is what limits short jobs.
   */
  async work<Data>(
    name: string,
    handler: (job: Job<Data>) => Promise<void>,
    concurrency = 1,
    batchSize = 1,
  ): Promise<void> {
    for (let i = 0; i < concurrency; i += 1) await this.startWorker(name, handler, batchSize);
  }

  /**
   * One pg-boss worker. pg-boss sleeps a whole polling interval after every batch that took less
   * than that, which caps a worker at two short batches a second; waking the worker as soon as a
   * batch ends makes it fetch the next one at once while there is work, and poll only when idle.
   */
  private async startWorker<Data>(
    name: string,
    handler: (job: Job<Data>) => Promise<void>,
    batchSize: number,
  ): Promise<void> {
    let workerId = '';
    workerId = await this.boss.work<Data>(
      name,
      { batchSize, pollingIntervalSeconds: this.pollingIntervalSeconds },
      async (jobs) => {
        if (jobs.length === 0) return;
        try {
          await this.runBatch(name, jobs, handler);
        } finally {
          if (this.started) this.boss.notifyWorker(workerId);
        }
      },
    );
  }

  /** Runs a fetched batch; fails the jobs that threw so pg-boss completes only the others. */
  private async runBatch<Data>(
    name: string,
    jobs: PgBoss.Job<Data>[],
    handler: (job: Job<Data>) => Promise<void>,
  ): Promise<void> {
    const outcomes = await Promise.allSettled(
      jobs.map((job) => handler({ id: job.id, name: job.name, data: job.data, retryCount: 0 })),
    );
    if (jobs.length === 1 && outcomes[0]?.status === 'rejected') throw outcomes[0].reason;

    for (const [index, outcome] of outcomes.entries()) {
      const job = jobs[index];
      if (outcome.status === 'fulfilled' || !job) continue;
      await this.boss.fail(name, job.id, failureOutput(outcome.reason));
    }
  }

  /** State of one job, for tests and pages. */
  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id);
  }

  /** Stops fetching, waits up to `timeoutMs` for running jobs, then closes pg-boss's pool. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
  }
}

/** What a failed job keeps as its output: the message only, never data that could hold secrets. */
function failureOutput(reason: unknown): object {
  return { message: reason instanceof Error ? reason.message : String(reason) };
}

function connectionOptions(options: JobQueueOptions): PgBoss.DatabaseOptions {
  if (options.databaseUrl !== undefined) {
    return { connectionString: options.databaseUrl, max: 8, application_name: 'safedriver-jobs' };
  }
  const { db } = options;
  return {
    db: {
      executeSql: async (text: string, values?: unknown[]) => {
        if (values === undefined || values.length === 0) {
          if (looksLikeScript(text)) {
            await db.exec(text);
            return { rows: [] };
          }
        }
        return db.query(text, values ?? []);
      },
    },
  };
}

/** pg-boss sends its migrations as one text of many statements, without parameters. */
function looksLikeScript(text: string): boolean {
  return text.trim().replace(/;\s*$/, '').includes(';');
}
