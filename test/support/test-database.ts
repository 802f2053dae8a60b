/**
 * A database of its own for each test file: a fresh PostgreSQL database on the server named by
 * TEST_DATABASE_URL when set (CI sets it), otherwise an in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import type { Database } from '../../src/db/database.js';

/** The server tests may create databases on, if any. */
export const testServerUrl = process.env['TEST_DATABASE_URL'];

/** True when the tests run against a real PostgreSQL server. */
export const onPostgres = testServerUrl !== undefined && testServerUrl !== '';

/** A fresh database and how to remove it. */
export interface TestDatabase {
  readonly db: Database;
  /** Connection string of the fresh database (PostgreSQL only). */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/** Creates an empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!onPostgres) {
    const db = await openPgliteDatabase('memory://');
    return { db, url: undefined, drop: () => db.close() };
  }
  const url = await createPostgresDatabase();
  const db = openPgDatabase(url, 10);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await dropPostgresDatabase(url);
    },
  };
}

/** Creates an empty PostgreSQL database and returns its URL (PostgreSQL only). */
export async function createPostgresDatabase(): Promise<string> {
  const name = `sdz_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(testServerUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by `createPostgresDatabase`. */
export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
