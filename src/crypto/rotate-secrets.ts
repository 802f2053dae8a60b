/**
 * Re-encrypts every stored secret under the first token key, so that older keys can then be
 * removed from `TOKEN_KEYS`.
 *
 * Work goes column by column in batches of rows ordered by id, each batch in its own
 * transaction. A row is rewritten only if it still holds the token that was read
 * (`WHERE column = $old`), so a concurrent writer (a token refresh, a disconnect) is never
 * overwritten: its row is counted as changed meanwhile and left as that writer made it. A run
 * that is killed loses nothing: committed batches hold tokens under the new key, the rest still
 * hold tokens under an old key that is still configured, and the next run skips what is done.
 */
import type { Logger } from 'pino';

import type { Database, Queryable } from '../db/database.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { secretContext, type OpenedSecret, type SecretBox } from './secret-box.js';

/** One column holding sealed secrets, and how its contexts are named. */
export interface EncryptedColumn {
  readonly table: string;
  /** The primary key column; its value is part of the context. */
  readonly idColumn: string;
  readonly column: string;
  /** The last part of the context: `<table>:<id>:<contextName>`. */
  readonly contextName: string;
}

/** Every column of the schema that holds a sealed secret. A new one must be added here. */
export const encryptedColumns: readonly EncryptedColumn[] = [
  {
    table: 'zoom_connections',
    idColumn: 'id',
    column: 'access_token_enc',
    contextName: 'access_token',
  },
  {
    table: 'zoom_connections',
    idColumn: 'id',
    column: 'refresh_token_enc',
    contextName: 'refresh_token',
  },
];

/** What a rotation did to one column. */
export interface ColumnRotation {
  readonly table: string;
  readonly column: string;
  /** Rows with a value in the column. */
  scanned: number;
  /** Rows rewritten under the first key. */
  rotated: number;
  /** Rows already under the first key. */
  alreadyCurrent: number;
  /** Rows whose value changed between read and write; left as the other writer made it. */
  changedMeanwhile: number;
  /** Rows whose value opens under no configured key (or not at its context); left untouched. */
  unreadable: number;
}

/** What `rotateSecrets` needs. */
export interface RotateSecretsOptions {
  readonly db: Database;
  /** Holds the new key first and every key still in use behind it. */
  readonly secretBox: SecretBox;
  readonly log: Logger;
  /** Rows per transaction; 100 unless given. */
  readonly batchSize?: number;
  /** The columns to rotate; all of `encryptedColumns` unless given. */
  readonly columns?: readonly EncryptedColumn[];
}

interface StoredRow {
  readonly id: string | number;
  readonly token: string;
}

/** Rotates every encrypted column and returns one count per column. */
export async function rotateSecrets(options: RotateSecretsOptions): Promise<ColumnRotation[]> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AppError('VALIDATION_FAILED', 'rotation batch size must be a positive integer');
  }

  const results: ColumnRotation[] = [];
  for (const column of options.columns ?? encryptedColumns) {
    results.push(await rotateColumn(options, column, batchSize));
  }

  return results;
}

async function rotateColumn(
  options: RotateSecretsOptions,
  column: EncryptedColumn,
  batchSize: number,
): Promise<ColumnRotation> {
  const count = emptyCount(column);
  const log = options.log.child({ table: column.table, column: column.column });

  let after: string | number | null = null;
  for (;;) {
    const lastId = await options.db.transaction((tx) =>
      rotateBatch(tx, options.secretBox, column, { after, batchSize, count, log }),
    );
    if (lastId === null) break;
    after = lastId;
    log.info({ ...count, lastId }, 'secret rotation batch committed');
  }

  const level = count.unreadable > 0 || count.changedMeanwhile > 0 ? 'warn' : 'info';
  log[level]({ ...count }, 'secret column rotated');
  return count;
}

interface BatchState {
  readonly after: string | number | null;
  readonly batchSize: number;
  readonly count: ColumnRotation;
  readonly log: Logger;
}

/** Rotates the rows after `after`; returns the last id seen, or null when none was left. */
async function rotateBatch(
  tx: Queryable,
  box: SecretBox,
  column: EncryptedColumn,
  state: BatchState,
): Promise<string | number | null> {
  const rows = await readBatch(tx, column, state.after, state.batchSize);

  for (const row of rows) {
    state.count.scanned += 1;
    const outcome = await rotateRow(tx, box, column, row);
    state.count[outcome] += 1;
    if (outcome === 'unreadable') {
      state.log.error({ id: row.id }, 'stored secret opens under no token key');
    }
  }

  return rows.at(-1)?.id ?? null;
}

type RowOutcome = 'rotated' | 'alreadyCurrent' | 'changedMeanwhile' | 'unreadable';

async function rotateRow(
  tx: Queryable,
  box: SecretBox,
  column: EncryptedColumn,
  row: StoredRow,
): Promise<RowOutcome> {
  const context = secretContext(column.table, row.id, column.contextName);

  const opened = openOrUndefined(box, row.token, context);
  if (opened === undefined) return 'unreadable';
  if (opened.keyIndex === 0) return 'alreadyCurrent';

  const sealed = box.seal(opened.secret, context);
  const written = await tx.query(
    `UPDATE ${quote(column.table)} SET ${quote(column.column)} = $1
      WHERE ${quote(column.idColumn)} = $2 AND ${quote(column.column)} = $3`,
    [sealed, row.id, row.token],
  );
  return written.rowCount === 1 ? 'rotated' : 'changedMeanwhile';
}

async function readBatch(
  tx: Queryable,
  column: EncryptedColumn,
  after: string | number | null,
  batchSize: number,
): Promise<StoredRow[]> {
  const id = quote(column.idColumn);
  const result = await tx.query<StoredRow>(
    `SELECT ${id} AS id, ${quote(column.column)} AS token FROM ${quote(column.table)}
      WHERE ${quote(column.column)} IS NOT NULL AND ($1::bigint IS NULL OR ${id} > $1::bigint)
      ORDER BY ${id} LIMIT $2`,
    [after, batchSize],
  );
  return result.rows;
}

function openOrUndefined(box: SecretBox, token: string, context: string): OpenedSecret | undefined {
  try {
    return box.openWithKey(token, context);
  } catch (error) {
    if (isAppError(error, 'FERNET_TOKEN_INVALID')) return undefined;
    throw error;
  }
}

/** Names come from `encryptedColumns`, never from input; the check keeps it that way. */
function quote(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) {
    throw new AppError('INTERNAL', 'encrypted column name is not a plain identifier');
  }
  return `"${identifier}"`;
}

function emptyCount(column: EncryptedColumn): ColumnRotation {
  return {
    table: column.table,
    column: column.column,
    scanned: 0,
    rotated: 0,
    alreadyCurrent: 0,
    changedMeanwhile: 0,
    unreadable: 0,
  };
}
