import { afterAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations, splitStatements } from '../../src/db/migrate.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { captureLogs } from '../support/log-capture.js';
import { spawnNode } from '../support/processes.js';
import {
  createPostgresDatabase,
  createTestDatabase,
  dropPostgresDatabase,
  onPostgres,
} from '../support/test-database.js';

const cli = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

describe('migrations', () => {
  it('apply every numbered file once and then nothing', async () => {
    const { db, drop } = await createTestDatabase();
    try {
      const files = await readMigrations();
      const first = await migrate(db, captureLogs().log);
      const second = await migrate(db, captureLogs().log);
      expect(first).toEqual(files.map((file) => file.name));
      expect(second).toEqual([]);
      const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual(files.map((file) => file.version));
    } finally {
      await drop();
    }
  });

  it('splits scripts on line-ending semicolons but not inside dollar quotes', () => {
    const statements = splitStatements(
      "-- note\nCREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n$$ LANGUAGE sql;\n",
    );
    expect(statements).toHaveLength(2);
    expect(statements[1]).toContain('SELECT 1;');
  });

  it('roll back a failing migration whole', async () => {
    const { db, drop } = await createTestDatabase();
    try {
      await expect(
        db.transaction(async (tx) => {
          await tx.query('CREATE TABLE half_done (x int)');
          await tx.query('SELECT * FROM no_such_table');
        }),
      ).rejects.toThrow();
      const { rows } = await db.query("SELECT to_regclass('half_done') AS t");
      expect(rows[0]).toEqual({ t: null });
    } finally {
      await drop();
    }
  });
});

describe.runIf(onPostgres)('migrations across processes', () => {
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropPostgresDatabase(url);
  });

  it('run once when three processes start together', async () => {
    const url = await createPostgresDatabase();
    urls.push(url);
    const children = [1, 2, 3].map(() => spawnNode(cli, ['migrate'], { DATABASE_URL: url, LOG_LEVEL: 'info' }));
    const codes = await Promise.all(children.map((child) => child.exited));
    expect(codes).toEqual([0, 0, 0]);

    const applied = children.filter((child) => child.output().includes('database migrated'));
    expect(applied).toHaveLength(1);
    const db = openPgDatabase(url, 1);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    await db.close();
    expect(rows[0]?.n).toBe((await readMigrations()).length);
  });
});
