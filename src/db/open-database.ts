/** Opens PostgreSQL when a connection string is given, else the embedded PGlite under DATA_DIR. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from './database.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';

/** Where to find the database. */
export interface DatabaseLocation {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
}

/** Opens the configured database. */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.databaseUrl !== undefined) return openPgDatabase(location.databaseUrl);
  const dir = path.join(location.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  return openPgliteDatabase(dir);
}
