import { afterAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/db/migrate.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { spawnNode } from '../support/processes.js';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  onPostgres,
} from '../support/test-database.js';

const cli = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

describe.runIf(onPostgres)('migrations across processes', () => {
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropPostgresDatabase(url);
  });

  it('run once when three processes start together', async () => {
    const url = await createPostgresDatabase();
    urls.push(url);
    const children = [1, 2, 3].map(() =>
      spawnNode(cli, ['migrate'], { DATABASE_URL: url, LOG_LEVEL: 'info' }),
    );
    const codes = await Promise.all(children.map((child) => child.exited));
    expect(codes).toEqual([0, 0, 0]);

    const applied = children.filter((child) => child.output().includes('database migrated'));
    expect(applied).toHaveLength(1);
    const db = openPgDatabase(url, 1);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM schema_migrations',
    );
    await db.close();
    expect(rows[0]?.n).toBe((await readMigrations()).length);
  });
});
