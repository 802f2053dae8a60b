/**
 * The product in the test's own process: a fresh database, captured logs, a clock the test
 * controls, real HTTP on 127.0.0.1 port 0. Settings come from `env` as they would in production.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/app/app-context.js';
import { createContext } from '../../src/app/create-context.js';
import { loadConfig } from '../../src/config/config.js';
import { registerWorkers } from '../../src/jobs/register-workers.js';
import { ManualClock, type Clock } from '../../src/support/clock.js';
import { buildApp, type Mount } from '../../src/web/build-app.js';
import { closeGracefully } from '../../src/web/close-gracefully.js';
import { captureLogs, type LogCapture } from './log-capture.js';
import { freePort } from './free-port.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A running test instance of the product. */
export interface TestApp {
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly url: string;
  readonly logs: LogCapture;
  readonly clock: Clock;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** Options of `startTestApp`. */
export interface TestAppOptions {
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  /** Start the job workers too (default true). */
  readonly workers?: boolean;
  readonly mounts?: (ctx: AppContext) => Mount[];
}

/** Starts the product for one test file. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sdz-test-'));
  const logs = captureLogs();
  const clock = options.clock ?? new ManualClock(new Date());
  const port = Number(options.env?.['PORT'] ?? (await freePort()));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const ctx = await createContext(config, logs.log, {
    clock,
    db: database.db,
    jobs: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 },
  });
  await ctx.jobs.start();
  const workers = options.workers !== false ? await registerWorkers(ctx) : undefined;

  const app = await buildApp(ctx, options.mounts?.(ctx) ?? []);
  const url = await app.listen({ port, host: '127.0.0.1' });

  return {
    ctx,
    app,
    url,
    logs,
    clock,
    database,
    close: async () => {
      await closeGracefully(app, 1000);
      await ctx.jobs.stop(2000);
      workers?.close();
      await database.drop();
    },
  };
}
