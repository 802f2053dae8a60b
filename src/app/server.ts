/**
 * One running server process: context, workers, HTTP, and an orderly stop on SIGTERM (stop
 * taking requests, let running jobs finish, close the database).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { registerWorkers, type Workers } from '../jobs/register-workers.js';
import { buildApp, type Mount } from '../web/build-app.js';
import { closeGracefully } from '../web/close-gracefully.js';

/** How long running requests may take to finish once the server is told to stop. */
const SHUTDOWN_GRACE_MS = 10_000;
import type { AppContext } from './app-context.js';
import { createContext, type ContextOptions } from './create-context.js';

/** A started server. */
export interface RunningServer {
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts everything; `mounts` add routes beside the product (the simulator). */
export async function startServer(
  config: Config,
  log: Logger,
  options: ContextOptions & { mounts?: (ctx: AppContext) => Mount[] } = {},
): Promise<RunningServer> {
  const ctx = await createContext(config, log, options);
  await ctx.jobs.start();
  const workers = await registerWorkers(ctx);

  const app = await buildApp(ctx, options.mounts?.(ctx) ?? []);
  const url = await app.listen({ port: config.port, host: config.host });

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll(ctx, app, workers));
  return { ctx, app, url, stop };
}

async function stopAll(ctx: AppContext, app: FastifyInstance, workers: Workers): Promise<void> {
  ctx.log.info('server stopping');
  await closeGracefully(app, SHUTDOWN_GRACE_MS);
  await ctx.jobs.stop();
  workers.close();
  await ctx.db.close();
  ctx.log.info('server stopped');
}
