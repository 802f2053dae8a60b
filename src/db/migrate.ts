/**
 * Applies the numbered SQL files of `src/db/migrations` in order, each once. All pending files
 * run in one transaction that first takes a transaction-scoped advisory lock, so processes that
 * start together migrate once: the others wait on the lock, then find nothing left to do.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Database, Queryable } from './database.js';
import { packageRoot } from '../support/package-root.js';

// Any fixed number works; it only has to differ from other advisory locks the product takes.
const MIGRATION_LOCK_KEY = 7_240_311;

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Reads the migration files, sorted by their number. */
export async function readMigrations(
  dir = path.join(packageRoot(), 'src/db/migrations'),
): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{3}-[\w-]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(path.join(dir, file), 'utf8'),
    })),
  );
}

/** Applies pending migrations; returns the names applied by this call. */
export async function migrate(db: Database, log: Logger): Promise<string[]> {
  const migrations = await readMigrations();

  const applied = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    return applyPending(tx, migrations);
  });

  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  return applied;
}

async function applyPending(tx: Queryable, migrations: Migration[]): Promise<string[]> {
  const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((row) => row.version));
  const applied: string[] = [];

  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of splitStatements(migration.sql)) await tx.query(statement);
    await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    applied.push(migration.name);
  }

  return applied;
}

/**
 * Splits a migration into statements so each runs through the parameterised path, which both
 * engines share inside a transaction. Migrations therefore keep to plain statements separated
 * by semicolons at line ends; function bodies, if ever needed, go between `$$` quotes, which
 * this split respects.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inDollarQuote = false;

  for (const line of sql.split('\n')) {
    if (line.trim().startsWith('--') && current.trim() === '') continue;
    current += `${line}\n`;
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inDollarQuote = !inDollarQuote;
    if (!inDollarQuote && line.trimEnd().endsWith(';')) {
      statements.push(current.trim());
      current = '';
    }
  }

  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}
