/**
 * Demo accounts for the embedded default: one admin, one staff member and one instructor,
 * created when the database has no users yet, with random passwords kept in DATA_DIR so each
 * start can print how to sign in. Never used in production.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database.js';
import { createUser, type Role } from '../auth/user-store.js';
import { randomToken } from '../support/random-token.js';

/** One demo account and its password. */
export interface DemoAccount {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly password: string;
}

const people: readonly Omit<DemoAccount, 'password'>[] = [
  { email: 'admin@demo.safedriver.test', name: 'Avery Admin', role: 'admin' },
  { email: 'staff@demo.safedriver.test', name: 'Sam Scheduler', role: 'staff' },
  { email: 'instructor@demo.safedriver.test', name: 'Irene Instructor', role: 'instructor' },
];

/** Creates the demo accounts on an empty database; returns the accounts known to this data dir. */
export async function ensureDemoAccounts(db: Database, dataDir: string): Promise<DemoAccount[]> {
  const file = path.join(dataDir, 'demo-accounts.json');
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM users');
  if ((rows[0]?.count ?? 0) === 0) {
    const accounts = people.map((person) => ({ ...person, password: randomToken(12) }));
    for (const account of accounts) await createUser(db, account);
    await writeFile(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
    return accounts;
  }
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoAccount[];
  } catch {
    return [];
  }
}
