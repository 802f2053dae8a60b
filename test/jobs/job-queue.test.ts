import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { captureLogs } from '../support/log-capture.js';
import { waitFor } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

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

  it('enqueues inside a transaction only when that transaction commits', async () => {
    await jobs.declare('test.tx');
    const count = async () =>
      (
        await database.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'test.tx'",
        )
      ).rows[0]?.n;

    await database.db
      .transaction(async (tx) => {
        await jobs.send('test.tx', { n: 1 }, { tx });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await count()).toBe(0);

    await database.db.transaction(async (tx) => {
      await jobs.send('test.tx', { n: 2 }, { tx });
    });
    expect(await count()).toBe(1);
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

  it('runs a batch side by side and retries only the job of the batch that failed', async () => {
    const runs = new Map<number, number>();
    let inFlight = 0;
    let mostInFlight = 0;
    await jobs.declare('test.batch', { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false });
    await jobs.work<{ n: number }>(
      'test.batch',
      async (job) => {
        const count = (runs.get(job.data.n) ?? 0) + 1;
        runs.set(job.data.n, count);
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 50));
        inFlight -= 1;
        if (job.data.n === 3 && count === 1) throw new Error('first try of job 3 fails');
      },
      1,
      5,
    );
    for (let n = 1; n <= 5; n += 1)
      await jobs.send('test.batch', { n }, { startAfter: new Date(Date.now() + 1000) });

    await waitFor(() => runs.get(3) === 2, 20_000, 'the retry of job 3');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(Object.fromEntries(runs)).toEqual({ 1: 1, 2: 1, 3: 2, 4: 1, 5: 1 });
    expect(mostInFlight).toBeGreaterThan(1);
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
