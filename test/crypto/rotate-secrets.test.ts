import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

import pg from 'pg';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { generateFernetKey, KeyRing } from '../../src/crypto/key-ring.js';
import { rotateSecrets, type ColumnRotation } from '../../src/crypto/rotate-secrets.js';
import { SecretBox, secretContext } from '../../src/crypto/secret-box.js';
import type { Database, Queryable, QueryResult } from '../../src/db/database.js';

// A fresh database for this file, with just the columns rotation touches. The product's own
// database layer and migrations are exercised by their own tests.
const adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `rot_${randomBytes(6).toString('hex')}`;
const schema = `
  CREATE TABLE zoom_connections (
    id bigserial PRIMARY KEY,
    access_token_enc text,
    refresh_token_enc text
  )`;

/** The smallest Database over a pg pool; `beforeUpdate` lets a test act between read and write. */
class TestDatabase implements Database {
  readonly kind = 'postgres' as const;
  beforeUpdate: ((text: string) => Promise<void>) | undefined;

  constructor(readonly pool: pg.Pool) {}

  query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return runQuery<Row>(this.pool, text, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Queryable = {
      query: async (text, params) => {
        if (text.trimStart().startsWith('UPDATE')) await this.beforeUpdate?.(text);
        return runQuery(client, text, params);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

async function runQuery<Row>(
  target: pg.Pool | pg.PoolClient,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<Row>> {
  const result = await target.query(text, params as unknown[] | undefined);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

const oldKey = generateFernetKey();
const newKey = generateFernetKey();
const oldBox = new SecretBox(new KeyRing([oldKey]));
const rotatingBox = new SecretBox(new KeyRing([newKey, oldKey]));
const newOnlyBox = new SecretBox(new KeyRing([newKey]));
const rowCount = 25;
const silent = pino({ level: 'silent' });

let db: TestDatabase;
let secrets: Map<string, string>;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();

  db = new TestDatabase(
    new pg.Pool({ connectionString: adminUrl.replace(/postgres$/, databaseName) }),
  );
  await db.exec(schema);
});

afterAll(async () => {
  await db?.close();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
});

beforeEach(async () => {
  db.beforeUpdate = undefined;
  await db.exec('TRUNCATE zoom_connections RESTART IDENTITY');
  secrets = await seedRows();
});

/**
 * Row i gets an access token under the old key; every third row has no refresh token, and
 * every fifth row's refresh token is already under the new key.
 */
async function seedRows(): Promise<Map<string, string>> {
  const stored = new Map<string, string>();
  for (let i = 1; i <= rowCount; i += 1) {
    const access = `access-${i}-${randomBytes(8).toString('hex')}`;
    const refresh = i % 3 === 0 ? null : `refresh-${i}-${randomBytes(8).toString('hex')}`;
    const refreshBox = i % 5 === 0 ? newOnlyBox : oldBox;

    stored.set(secretContext('zoom_connections', i, 'access_token'), access);
    if (refresh !== null)
      stored.set(secretContext('zoom_connections', i, 'refresh_token'), refresh);
    await db.query(
      'INSERT INTO zoom_connections (id, access_token_enc, refresh_token_enc) VALUES ($1, $2, $3)',
      [
        i,
        oldBox.seal(access, secretContext('zoom_connections', i, 'access_token')),
        refresh && refreshBox.seal(refresh, secretContext('zoom_connections', i, 'refresh_token')),
      ],
    );
  }
  return stored;
}

/** Every stored secret, opened with a box holding only the new key (throws if one does not). */
async function readAllWithNewKeyOnly(): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; access: string; refresh: string | null }>(
    'SELECT id, access_token_enc AS access, refresh_token_enc AS refresh FROM zoom_connections',
  );
  const opened = new Map<string, string>();
  for (const row of rows) {
    const access = secretContext('zoom_connections', row.id, 'access_token');
    const refresh = secretContext('zoom_connections', row.id, 'refresh_token');
    opened.set(access, newOnlyBox.open(row.access, access));
    if (row.refresh !== null) opened.set(refresh, newOnlyBox.open(row.refresh, refresh));
  }
  return opened;
}

function counts(
  results: ColumnRotation[],
): Record<string, Omit<ColumnRotation, 'table' | 'column'>> {
  return Object.fromEntries(
    results.map(({ table, column, ...count }) => [`${table}.${column}`, count]),
  );
}

describe('rotateSecrets', () => {
  it('re-encrypts every secret under the first key, in batches, and a second run rotates nothing', async () => {
    const { log, lines } = capturingLogger();

    const first = await rotateSecrets({ db, secretBox: rotatingBox, log, batchSize: 10 });
    const second = await rotateSecrets({ db, secretBox: rotatingBox, log: silent, batchSize: 10 });

    expect(await readAllWithNewKeyOnly()).toEqual(secrets);
    expect(counts(first)).toEqual({
      'zoom_connections.access_token_enc': {
        scanned: 25,
        rotated: 25,
        alreadyCurrent: 0,
        changedMeanwhile: 0,
        unreadable: 0,
      },
      'zoom_connections.refresh_token_enc': {
        scanned: 17,
        rotated: 13,
        alreadyCurrent: 4,
        changedMeanwhile: 0,
        unreadable: 0,
      },
    });
    for (const result of second) {
      expect(result.rotated).toBe(0);
      expect(result.alreadyCurrent).toBe(result.scanned);
    }
    expect(lines.filter((line) => line.includes('secret rotation batch committed')).length).toBe(5);
  });

  it('leaves every row readable when a run dies midway and the next run finishes the work', async () => {
    let updates = 0;
    db.beforeUpdate = async () => {
      updates += 1;
      if (updates === 13) throw new Error('process killed during the second batch');
    };

    const interrupted = rotateSecrets({
      db,
      secretBox: rotatingBox,
      log: silent,
      batchSize: 10,
    });
    await expect(interrupted).rejects.toThrow('process killed');

    expect(await readAllWithOldOrNewKey()).toEqual(secrets);
    const { rows } = await db.query<{ id: string; access: string }>(
      'SELECT id, access_token_enc AS access FROM zoom_connections ORDER BY id',
    );
    const underNew = rows.filter((row) => opensUnderNewKey(row.access, row.id)).length;
    expect(underNew).toBe(10);

    db.beforeUpdate = undefined;
    const resumed = await rotateSecrets({
      db,
      secretBox: rotatingBox,
      log: silent,
      batchSize: 10,
    });

    expect(await readAllWithNewKeyOnly()).toEqual(secrets);
    expect(resumed[0]).toMatchObject({ scanned: 25, rotated: 15, alreadyCurrent: 10 });
  });

  it('never overwrites a value another writer stored between read and write', async () => {
    const context = secretContext('zoom_connections', 3, 'access_token');
    const written = newOnlyBox.seal('refreshed-meanwhile', context);
    let wrote = false;
    db.beforeUpdate = async () => {
      if (wrote) return;
      wrote = true;
      await db.query('UPDATE zoom_connections SET access_token_enc = $1 WHERE id = 3', [written]);
    };

    const results = await rotateSecrets({
      db,
      secretBox: rotatingBox,
      log: silent,
      batchSize: 10,
    });

    const { rows } = await db.query<{ access: string }>(
      'SELECT access_token_enc AS access FROM zoom_connections WHERE id = 3',
    );
    expect(rows[0]?.access).toBe(written);
    expect(results[0]).toMatchObject({ scanned: 25, rotated: 24, changedMeanwhile: 1 });
  });

  it('leaves an unreadable value in place, counts it and never logs it', async () => {
    const stray = new SecretBox(new KeyRing([generateFernetKey()])).seal('lost', 'x');
    await db.query('UPDATE zoom_connections SET refresh_token_enc = $1 WHERE id = 1', [stray]);
    const { log, lines } = capturingLogger();

    const results = await rotateSecrets({ db, secretBox: rotatingBox, log, batchSize: 7 });

    const { rows } = await db.query<{ refresh: string }>(
      'SELECT refresh_token_enc AS refresh FROM zoom_connections WHERE id = 1',
    );
    expect(rows[0]?.refresh).toBe(stray);
    expect(results[1]).toMatchObject({ scanned: 17, unreadable: 1, rotated: 12 });
    const logText = lines.join('');
    expect(logText).toContain('stored secret opens under no token key');
    expect(logText).not.toContain(stray.slice(0, 30));
    for (const secret of secrets.values()) expect(logText).not.toContain(secret);
  });
});

function opensUnderNewKey(token: string, id: string): boolean {
  try {
    newOnlyBox.open(token, secretContext('zoom_connections', id, 'access_token'));
    return true;
  } catch {
    return false;
  }
}

async function readAllWithOldOrNewKey(): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; access: string; refresh: string | null }>(
    'SELECT id, access_token_enc AS access, refresh_token_enc AS refresh FROM zoom_connections',
  );
  const opened = new Map<string, string>();
  for (const row of rows) {
    const access = secretContext('zoom_connections', row.id, 'access_token');
    const refresh = secretContext('zoom_connections', row.id, 'refresh_token');
    opened.set(access, rotatingBox.open(row.access, access));
    if (row.refresh !== null) opened.set(refresh, rotatingBox.open(row.refresh, refresh));
  }
  return opened;
}
