import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import type { Database } from '../../src/db/database.js';
import { captureLogs } from '../support/log-capture.js';
import { spawnNode, waitFor, type Child } from '../support/processes.js';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  onPostgres,
} from '../support/test-database.js';

const workerScript = new URL('./fixtures/job-worker.mjs', import.meta.url).pathname;

describe.runIf(onPostgres)('job queue across processes', () => {
  let url: string;
  let db: Database;
  const children: Child[] = [];

  beforeAll(async () => {
    url = await createPostgresDatabase();
    db = openPgDatabase(url, 2);
    await db.query(
      'CREATE TABLE job_marks (job_id text, pid int, mark text, at timestamptz DEFAULT now())',
    );
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
