/**
 * The composition root: opens the database, migrates it, builds the vault, the job queue and
 * the Zoom app settings. Both the server and the command line start here.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { KeyRing } from '../crypto/key-ring.js';
import { SecretBox } from '../crypto/secret-box.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import type { Database } from '../db/database.js';
import { JobQueue } from '../jobs/job-queue.js';
import { systemClock, type Clock } from '../support/clock.js';
import type { AppContext } from './app-context.js';
import { loadDevSecrets } from './dev-defaults.js';
import { resolveZoomApp } from './zoom-app.js';

/** Options for tests and tools. */
export interface ContextOptions {
  readonly clock?: Clock;
  /** An already open database (tests); otherwise one is opened from the config. */
  readonly db?: Database;
  readonly jobs?: { pollingIntervalSeconds?: number; maintenanceIntervalSeconds?: number };
}

/** Opens and migrates everything a process needs. */
export async function createContext(
  config: Config,
  log: Logger,
  options: ContextOptions = {},
): Promise<AppContext> {
  const needsDev =
    config.tokenKeys === undefined || config.zoom.simulated || !config.zoom.webhookSecretToken;
  const dev = needsDev && !config.production ? await loadDevSecrets(config.dataDir) : undefined;
  const keys = config.tokenKeys ?? (dev ? [dev.tokenKey] : []);
  const vault = new SecretBox(new KeyRing(keys));
  const zoomApp = resolveZoomApp(config, dev);

  const db = options.db ?? (await openDatabase(config));
  await migrate(db, log);
  const databaseUrl = db.kind === 'postgres' ? config.databaseUrl : undefined;
  const jobs = new JobQueue({ db, databaseUrl, log, ...options.jobs });

  return { config, db, log, jobs, clock: options.clock ?? systemClock, vault, zoomApp };
}
