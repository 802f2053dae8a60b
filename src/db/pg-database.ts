/** The Database interface over a `pg` connection pool, for real PostgreSQL. */
import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.js';
import { translateDatabaseError } from './translate-error.js';

// BIGINT (int8) columns come back as strings by default; ids in this schema stay far below 2^53,
// and counts are compared as numbers, so parse them. Meeting ids are stored as text.
pg.types.setTypeParser(20, (value) => Number(value));

/** Opens a pool on `connectionString`. */
export function openPgDatabase(connectionString: string, maxConnections = 10): Database {
  const pool = new pg.Pool({ connectionString, max: maxConnections });
  // An idle client that loses its connection emits here; without a listener the process dies.
  pool.on('error', () => undefined);
  return new PgDatabase(pool);
}

class PgDatabase implements Database {
  readonly kind = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return runQuery<Row>(this.pool, text, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Queryable = { query: (text, params) => runQuery(client, text, params) };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function runQuery<Row>(
  target: pg.Pool | pg.PoolClient,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<Row>> {
  try {
    const result = await target.query(text, params as unknown[] | undefined);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
