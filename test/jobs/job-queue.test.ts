import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import type { Database } from '../../src/db/database.js';
import { captureLogs } from '../support/log-capture.js';
import { spawnNode, waitFor, type Child } from '../support/processes.js';
import {
  createPostgresDatabase,
  createTestDatabase,
  dropPostgresDatabase,
  onPostgres,
  type TestDatabase,
} from '../support/test-database.js';

const workerScript = new URL('./fixtures/job-worker.mjs', import.meta.url).pathname;

describe('job queue on this engine', () => {
  let database: TestDatabase;
  let jobs: JobQueue;

  beforeAll(async () => {
    database = await createTestDatabase();
    jobs = new JobQueue({
      db: database.db,
      databaseUrl: database.url,
      log: captureLogs().log,
      pollingIntervalSeconds: 0.5,
    });
    await jobs.start();
  });

  afterAll(async () => {
    await jobs.stop(2000);
    await database.drop();
  });

  it('runs a sent job once with its data', async () => {
    const seen: unknown[] = [];
    await jobs.declare('test.echo');
    await jobs.work<{ n: number }>('test.echo', async (job) => {
      seen.push(job.data);
    });
    await jobs.send('test.echo', { n: 7 });
    await waitFor(() => seen.length > 0, 10_000, 'the job');
    expect(seen).toEqual([{ n: 7 }]);
  });

  it('keeps one queued job per key on a stately queue', async () => {
    await jobs.declare('test.stately', { policy: 'stately' });
    const first = await jobs.send('test.stately', { n: 1 }, { singletonKey: 'session-1' });
    const second = await jobs.send('test.stately', { n: 2 }, { singletonKey: 'session-1' });
    const other = await jobs.send('test.stately', { n: 3 }, { singletonKey: 'session-2' });
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    expect(other).toBeTruthy();
  });

  it('retries a failing job until it succeeds', async () => {
    let attempts = 0;
    await jobs.declare('test.flaky', { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false });
    await jobs.work('test.flaky', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('not yet');
    });
    await jobs.send('test.flaky', {});
    await waitFor(() => attempts >= 3, 20_000, 'three attempts');
    expect(attempts).toBe(3);
  });
});

describe.runIf(onPostgres)('job queue across processes', () => {
  let url: string;
  let db: Database;
  const children: Child[] = [];

  beforeAll(async () => {
    url = await createPostgresDatabase();
    db = openPgDatabase(url, 2);
    await db.query('CREATE TABLE job_marks (job_id text, pid int, mark text, at timestamptz DEFAULT now())');
  });

  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await db.close();
    await dropPostgresDatabase(url);
  });

  const startWorker = async (holdMs: number) => {
    const child = spawnNode(workerScript, [], { DATABASE_URL: url, JOB_HOLD_MS: String(holdMs) });
    children.push(child);
    await waitFor(() => child.output().includes('ready'), 20_000, 'worker start');
    return child;
  };

  const marks = async (jobId: string) =>
    (
      await db.query<{ pid: number; mark: string }>(
        'SELECT pid, mark FROM job_marks WHERE job_id = $1 ORDER BY at',
        [jobId],
      )
    ).rows;

  it('finishes a job on another process, once, after its worker is killed mid-job', async () => {
    const doomed = await startWorker(60_000);
    const sender = new JobQueue({ db, databaseUrl: url, log: captureLogs().log });
    await sender.start();
    const jobId = (await sender.send('test.slow', { step: 'kill' })) as string;

    await waitFor(async () => (await marks(jobId)).length > 0, 20_000, 'the job to start');
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    const rescuer = await startWorker(0);

    const finished = await waitFor(
      async () => {
        const rows = (await marks(jobId)).filter((m) => m.mark === 'finished');
        return rows.length > 0 ? rows : undefined;
      },
      40_000,
      'the job to finish elsewhere',
    );
    await sender.stop(1000);
    rescuer.process.kill('SIGKILL');
    await rescuer.exited;

    expect(finished).toHaveLength(1);
    expect(finished?.[0]?.pid).toBe(rescuer.process.pid);
    expect((await marks(jobId)).filter((m) => m.pid === doomed.process.pid)).toEqual([
      { pid: doomed.process.pid, mark: 'started' },
    ]);
  });

  it('lets a running job finish when its process gets SIGTERM', async () => {
    const worker = await startWorker(1500);
    const sender = new JobQueue({ db, databaseUrl: url, log: captureLogs().log });
    await sender.start();
    const jobId = (await sender.send('test.slow', { step: 'term' })) as string;
    await waitFor(async () => (await marks(jobId)).length > 0, 20_000, 'the job to start');

    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await sender.stop(1000);

    const mine = (await marks(jobId)).filter((m) => m.pid === worker.process.pid);
    expect(mine.map((m) => m.mark)).toEqual(['started', 'finished']);
  });
});
