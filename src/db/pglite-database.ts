/**
 * The Database interface over PGlite, PostgreSQL compiled to WebAssembly and run in process.
 * It serves one process only: every statement and transaction goes through PGlite's own lock,
 * so a transaction here also pauses every other query of the process until it ends.
 */
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';
import { translateDatabaseError } from './translate-error.js';

/** Opens (or creates) the embedded database in `dir`; `memory://` keeps it in memory. */
export async function openPgliteDatabase(dir: string): Promise<Database> {
  const db = await PGlite.create(dir, {
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  return new PgliteDatabase(db);
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  constructor(private readonly db: PGlite) {}

  query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return runQuery<Row>(this.db, text, params);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db
      .transaction((inner) => work({ query: (text, params) => runQuery(inner, text, params) }))
      .catch((error: unknown) => {
        throw translateDatabaseError(error);
      });
  }

  async exec(script: string): Promise<void> {
    try {
      await this.db.exec(script);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

interface PgliteQueryTarget {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
}

async function runQuery<Row>(
  target: PgliteQueryTarget,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<Row>> {
  try {
    const result = await target.query<Row>(text, params ? [...params] : undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
