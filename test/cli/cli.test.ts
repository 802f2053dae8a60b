import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing, generateFernetKey } from '../../src/crypto/key-ring.js';
import { SecretBox, secretContext } from '../../src/crypto/secret-box.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import type { Database } from '../../src/db/database.js';
import { sha256Hex } from '../../src/support/random-token.js';
import { spawnNode } from '../support/processes.js';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  onPostgres,
} from '../support/test-database.js';

const cli = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;
const oldKey = generateFernetKey();
const newKey = generateFernetKey();

let env: Record<string, string>;
let databaseUrl: string | undefined;

/** Opens the CLI's database from the test (PGlite allows one process at a time). */
async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = databaseUrl
    ? openPgDatabase(databaseUrl, 1)
    : await openPgliteDatabase(path.join(env['DATA_DIR'] as string, 'pglite'));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function run(args: string[], stdin = '', extraEnv: Record<string, string> = {}) {
  const child = spawnNode(cli, args, { ...env, ...extraEnv });
  child.process.stdin?.end(stdin);
  const code = await child.exited;
  return { code, output: child.output() };
}

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sdz-cli-'));
  databaseUrl = onPostgres ? await createPostgresDatabase() : undefined;
  env = {
    DATA_DIR: dataDir,
    TOKEN_KEYS: oldKey,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
});

afterAll(async () => {
  if (databaseUrl) await dropPostgresDatabase(databaseUrl);
});

describe('command line', () => {
  it('migrates the database', async () => {
    const { code } = await run(['migrate']);
    expect(code).toBe(0);
    const tables = await withDb((db) => db.query("SELECT to_regclass('users') AS t"));
    expect(tables.rows[0]).toEqual({ t: 'users' });
  });

  it('creates a user with the password from the first line of standard input', async () => {
    const created = await run(
      ['create-user', '--email', 'sam@example.test', '--name', 'Sam Staff', '--role', 'staff'],
      'a long enough password\nsecond line ignored\n',
    );
    expect(created.code).toBe(0);
    expect(created.output).toContain('created staff sam@example.test');
    const rows = await withDb((db) =>
      db.query<{ password_hash: string }>('SELECT password_hash FROM users'),
    );
    expect(rows.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a password shorter than 12 characters and creates nothing', async () => {
    const refused = await run(
      ['create-user', '--email', 'short@example.test', '--name', 'Short', '--role', 'staff'],
      'too short\n',
    );
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('password');
    const rows = await withDb((db) =>
      db.query("SELECT 1 FROM users WHERE email = 'short@example.test'"),
    );
    expect(rows.rows).toHaveLength(0);
  });

  it('refuses an unknown role and a taken email', async () => {
    expect(
      (
        await run(
          ['create-user', '--email', 'x@example.test', '--name', 'X', '--role', 'boss'],
          'long enough password\n',
        )
      ).code,
    ).toBe(1);
    const taken = await run(
      ['create-user', '--email', 'SAM@example.test', '--name', 'Again', '--role', 'staff'],
      'a long enough password\n',
    );
    expect(taken.code).toBe(1);
    expect(taken.output).toContain('taken');
  });

  it('prints an API token alone on the last line and stores only its hash', async () => {
    const { code, output } = await run(['create-api-token', '--email', 'sam@example.test']);
    expect(code).toBe(0);
    const token = output.trim().split('\n').at(-1) as string;
    expect(token).toMatch(/^sdz_[\w-]{40,}$/);
    const rows = await withDb((db) =>
      db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens'),
    );
    expect(rows.rows.map((row) => row.token_hash)).toEqual([sha256Hex(token)]);
  });

  it('gives no API token to an instructor', async () => {
    await run(
      ['create-user', '--email', 'ida@example.test', '--name', 'Ida', '--role', 'instructor'],
      'a long enough password\n',
    );
    const { code } = await run(['create-api-token', '--email', 'ida@example.test']);
    expect(code).toBe(1);
  });

  it('re-encrypts every stored token under the first key and says what it did', async () => {
    const oldBox = new SecretBox(new KeyRing([oldKey]));
    await withDb(async (db) => {
      const { rows } = await db.query<{ id: number }>(
        "SELECT id FROM users WHERE email = 'ida@example.test'",
      );
      const instructorId = rows[0]?.id;
      const inserted = await db.query<{ id: number }>(
        "INSERT INTO zoom_connections (instructor_id, status) VALUES ($1, 'connected') RETURNING id",
        [instructorId],
      );
      const id = inserted.rows[0]?.id as number;
      await db.query(
        'UPDATE zoom_connections SET access_token_enc = $2, refresh_token_enc = $3 WHERE id = $1',
        [
          id,
          oldBox.seal('access-secret', secretContext('zoom_connections', id, 'access_token')),
          oldBox.seal('refresh-secret', secretContext('zoom_connections', id, 'refresh_token')),
        ],
      );
    });

    const first = await run(['rotate-keys'], '', { TOKEN_KEYS: `${newKey},${oldKey}` });
    expect(first.code).toBe(0);
    expect(first.output).toContain('zoom_connections.access_token_enc: 1 scanned, 1 re-encrypted');
    const again = await run(['rotate-keys'], '', { TOKEN_KEYS: `${newKey},${oldKey}` });
    expect(again.output).toContain('0 re-encrypted, 1 already under the first key');

    const newOnly = new SecretBox(new KeyRing([newKey]));
    const row = await withDb(
      async (db) =>
        (
          await db.query<{ id: number; access_token_enc: string }>(
            'SELECT id, access_token_enc FROM zoom_connections',
          )
        ).rows[0],
    );
    expect(
      newOnly.open(
        row?.access_token_enc as string,
        secretContext('zoom_connections', row?.id as number, 'access_token'),
      ),
    ).toBe('access-secret');
  });

  it('explains its commands and rejects unknown ones', async () => {
    const help = await run([]);
    expect(help.code).toBe(0);
    expect(help.output).toContain('create-api-token');
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
