/**
 * What the web layer and the jobs are built from. The composition root (`create-services.ts`)
 * makes one per process; tests make their own with a test database and a clock they control.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../support/clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { ZoomApp } from './zoom-app.js';

/** The process's shared services. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly log: Logger;
  readonly jobs: JobQueue;
  readonly clock: Clock;
  /** Seals and opens the secrets stored in the database (OAuth tokens). */
  readonly vault: SecretBox;
  readonly zoomApp: ZoomApp;
}
