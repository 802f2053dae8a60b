/**
 * The one query interface the product uses, over either a PostgreSQL pool (`pg`) or the
 * embedded PGlite. SQL is written for PostgreSQL 15 and runs unchanged on both.
 */

/** Rows and count of one statement. */
export interface QueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

/** Anything that runs one parameterised statement: the database or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
}

/** Which engine is behind a Database. */
export type DatabaseKind = 'postgres' | 'pglite';

/** A connected database. */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;

  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back
   * when it throws. On PGlite transactions are serialised with every other statement.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;

  /** Runs a script of several statements without parameters (migrations, pg-boss set-up). */
  exec(script: string): Promise<void>;

  /** Closes the pool or the embedded database. */
  close(): Promise<void>;
}
