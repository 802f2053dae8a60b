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
