import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { generateFernetKey, KeyRing } from '../../src/crypto/key-ring.js';
import { rotateSecrets, type ColumnRotation } from '../../src/crypto/rotate-secrets.js';
import { SecretBox, secretContext } from '../../src/crypto/secret-box.js';
import type { Database, Queryable, QueryResult } from '../../src/db/database.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import { captureLogs } from '../support/log-capture.js';
import { onPostgres, testServerUrl } from '../support/test-database.js';

// Rotation only touches the sealed columns, so each engine gets a table with just those; the
// full schema and its migrations are covered by the database layer's own tests. The PostgreSQL
// cases run when TEST_DATABASE_URL names a server (CI's PostgreSQL pass); without one, only PGlite.
const adminUrl = testServerUrl ?? '';
const schema = `
  CREATE TABLE zoom_connections (
    id bigserial PRIMARY KEY,
    access_token_enc text,
    refresh_token_enc text
  )`;

/** A Database that lets a test act just before each UPDATE rotation sends. */
class HookedDatabase implements Database {
  beforeUpdate: (() => Promise<void>) | undefined;

  constructor(readonly inner: Database) {}

  get kind(): Database['kind'] {
    return this.inner.kind;
  }

  query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return this.inner.query<Row>(text, params);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      work({
        query: async (text, params) => {
          if (text.trimStart().startsWith('UPDATE')) await this.beforeUpdate?.();
          return tx.query(text, params);
        },
      }),
    );
  }

  exec(script: string): Promise<void> {
    return this.inner.exec(script);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

async function withAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

const oldKey = generateFernetKey();
const newKey = generateFernetKey();
const oldBox = new SecretBox(new KeyRing([oldKey]));
const rotatingBox = new SecretBox(new KeyRing([newKey, oldKey]));
const newOnlyBox = new SecretBox(new KeyRing([newKey]));
const rowCount = 25;
const silent = captureLogs('silent').log;

type Row = { id: number | string; access: string; refresh: string | null };

/**
 * Row i gets an access token under the old key; every third row has no refresh token, and
 * every fifth row's refresh token is already under the new key. Returns context → secret.
 */
async function seedRows(db: Database): Promise<Map<string, string>> {
  await db.exec('TRUNCATE zoom_connections RESTART IDENTITY');
  const stored = new Map<string, string>();
  for (let i = 1; i <= rowCount; i += 1) {
    const accessContext = secretContext('zoom_connections', i, 'access_token');
    const refreshContext = secretContext('zoom_connections', i, 'refresh_token');
    const access = `access-${i}-${randomBytes(8).toString('hex')}`;
    const refresh = i % 3 === 0 ? null : `refresh-${i}-${randomBytes(8).toString('hex')}`;
    const refreshBox = i % 5 === 0 ? newOnlyBox : oldBox;

    stored.set(accessContext, access);
    if (refresh !== null) stored.set(refreshContext, refresh);
    await db.query(
      'INSERT INTO zoom_connections (id, access_token_enc, refresh_token_enc) VALUES ($1, $2, $3)',
      [i, oldBox.seal(access, accessContext), refresh && refreshBox.seal(refresh, refreshContext)],
    );
  }
  return stored;
}

/** Every stored secret opened with `box`; throws if one does not open. */
async function readAll(db: Database, box: SecretBox): Promise<Map<string, string>> {
  const { rows } = await db.query<Row>(
    'SELECT id, access_token_enc AS access, refresh_token_enc AS refresh FROM zoom_connections',
  );
  const opened = new Map<string, string>();
  for (const row of rows) {
    const access = secretContext('zoom_connections', row.id, 'access_token');
    const refresh = secretContext('zoom_connections', row.id, 'refresh_token');
    opened.set(access, box.open(row.access, access));
    if (row.refresh !== null) opened.set(refresh, box.open(row.refresh, refresh));
  }
  return opened;
}

async function accessTokensUnderNewKey(db: Database): Promise<number> {
  const { rows } = await db.query<Row>(
    'SELECT id, access_token_enc AS access FROM zoom_connections',
  );
  return rows.filter((row) => {
    const context = secretContext('zoom_connections', row.id, 'access_token');
    return rotatingBox.openWithKey(row.access, context).keyIndex === 0;
  }).length;
}

function counts(results: ColumnRotation[]): Record<string, unknown> {
  return Object.fromEntries(
    results.map(({ table, column, ...count }) => [`${table}.${column}`, count]),
  );
}

const postgresName = `rot_${randomBytes(6).toString('hex')}`;
let postgres: HookedDatabase;
let pglite: HookedDatabase;

beforeAll(async () => {
  if (onPostgres) {
    await withAdmin(`CREATE DATABASE ${postgresName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${postgresName}`;
    postgres = new HookedDatabase(openPgDatabase(url.toString(), 4));
    await postgres.exec(schema);
  }
  pglite = new HookedDatabase(await openPgliteDatabase('memory://'));
  await pglite.exec(schema);
});

afterAll(async () => {
  await pglite?.close();
  await postgres?.close();
  if (onPostgres) await withAdmin(`DROP DATABASE IF EXISTS ${postgresName} WITH (FORCE)`);
});

/** The behaviour every engine must show; `setUp` gives a database holding the table. */
function describeRotation(engine: string, database: () => HookedDatabase): void {
  describe(`rotateSecrets on ${engine}`, () => {
    let db: HookedDatabase;
    let secrets: Map<string, string>;

    beforeEach(async () => {
      db = database();
      db.beforeUpdate = undefined;
      secrets = await seedRows(db);
    });

    it('re-encrypts every secret under the first key in batches; a second run rotates nothing', async () => {
      const logs = captureLogs();

      const first = await rotateSecrets({
        db,
        secretBox: rotatingBox,
        log: logs.log,
        batchSize: 10,
      });
      const second = await rotateSecrets({
        db,
        secretBox: rotatingBox,
        log: silent,
        batchSize: 10,
      });

      expect(await readAll(db, newOnlyBox)).toEqual(secrets);
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
        expect(result).toMatchObject({ rotated: 0, alreadyCurrent: result.scanned });
      }
      const batches = logs.lines.filter((line) => line.includes('secret rotation batch committed'));
      expect(batches.length).toBe(5);
    });

    it('leaves every row readable when a run dies midway, and the next run finishes', async () => {
      let updates = 0;
      db.beforeUpdate = async () => {
        updates += 1;
        if (updates === 13) throw new Error('process killed during the second batch');
      };

      const interrupted = rotateSecrets({ db, secretBox: rotatingBox, log: silent, batchSize: 10 });

      await expect(interrupted).rejects.toThrow('process killed');
      expect(await readAll(db, rotatingBox)).toEqual(secrets);
      expect(await accessTokensUnderNewKey(db)).toBe(10);

      db.beforeUpdate = undefined;
      const resumed = await rotateSecrets({
        db,
        secretBox: rotatingBox,
        log: silent,
        batchSize: 10,
      });

      expect(await readAll(db, newOnlyBox)).toEqual(secrets);
      expect(resumed[0]).toMatchObject({ scanned: 25, rotated: 15, alreadyCurrent: 10 });
    });

    it('leaves an unreadable value in place, counts it and never logs it or any secret', async () => {
      const stray = new SecretBox(new KeyRing([generateFernetKey()])).seal('lost', 'x');
      await db.query('UPDATE zoom_connections SET refresh_token_enc = $1 WHERE id = 1', [stray]);
      const logs = captureLogs();

      const results = await rotateSecrets({
        db,
        secretBox: rotatingBox,
        log: logs.log,
        batchSize: 7,
      });

      const { rows } = await db.query<Row>(
        'SELECT refresh_token_enc AS refresh FROM zoom_connections WHERE id = 1',
      );
      expect(rows[0]?.refresh).toBe(stray);
      expect(results[1]).toMatchObject({ scanned: 17, unreadable: 1, rotated: 12 });
      expect(logs.text()).toContain('stored secret opens under no token key');
      expect(logs.text()).not.toContain(stray.slice(0, 30));
      for (const secret of secrets.values()) expect(logs.text()).not.toContain(secret);
    });
  });
}

if (onPostgres) describeRotation('PostgreSQL', () => postgres);
describeRotation('PGlite', () => pglite);

// Only PostgreSQL has a second writer: PGlite serialises every statement of its one process.
if (onPostgres)
  describe('rotateSecrets beside a concurrent writer on PostgreSQL', () => {
    it('never overwrites a value another writer stored between read and write', async () => {
      const db = postgres;
      db.beforeUpdate = undefined;
      const secrets = await seedRows(db);
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

      secrets.set(context, 'refreshed-meanwhile');
      expect(await readAll(db, newOnlyBox)).toEqual(secrets);
      expect(results[0]).toMatchObject({ scanned: 25, rotated: 24, changedMeanwhile: 1 });
    });
  });
