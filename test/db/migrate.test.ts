import { describe, expect, it } from 'vitest';
import { migrate, readMigrations, splitStatements } from '../../src/db/migrate.js';
import { captureLogs } from '../support/log-capture.js';
import { createTestDatabase } from '../support/test-database.js';

describe('migrations', () => {
  it('apply every numbered file once and then nothing', async () => {
    const { db, drop } = await createTestDatabase();
    try {
      const files = await readMigrations();
      const first = await migrate(db, captureLogs().log);
      const second = await migrate(db, captureLogs().log);
      expect(first).toEqual(files.map((file) => file.name));
      expect(second).toEqual([]);
      const { rows } = await db.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((row) => row.version)).toEqual(files.map((file) => file.version));
    } finally {
      await drop();
    }
  });

  it('splits scripts on line-ending semicolons but not inside dollar quotes', () => {
    const statements = splitStatements(
      '-- note\nCREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n$$ LANGUAGE sql;\n',
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
