/**
 * Server-side browser sessions. The cookie carries a random token; the database keeps only its
 * SHA-256, so a copy of the table signs nobody in. Each session has its own CSRF token.
 */
import type { Queryable } from '../db/database.js';
import { randomToken, sha256Hex } from '../support/random-token.js';
import type { User } from './user-store.js';

/** How long a session lasts without signing in again. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** A live session and its user. */
export interface WebSession {
  readonly tokenHash: string;
  readonly csrfToken: string;
  readonly user: User;
}

/** Starts a session for `userId`; returns the cookie token, shown nowhere else. */
export async function createWebSession(db: Queryable, userId: number, now: Date): Promise<string> {
  const token = randomToken();
  await db.query(
    `INSERT INTO web_sessions (token_hash, user_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4)`,
    [sha256Hex(token), userId, randomToken(), new Date(now.getTime() + SESSION_LIFETIME_MS)],
  );
  return token;
}

/** The unexpired session for a cookie token, or undefined. */
export async function findWebSession(
  db: Queryable,
  token: string,
  now: Date,
): Promise<WebSession | undefined> {
  const { rows } = await db.query<{
    token_hash: string;
    csrf_token: string;
    id: number;
    email: string;
    name: string;
    role: User['role'];
  }>(
    `SELECT s.token_hash, s.csrf_token, u.id, u.email, u.name, u.role
       FROM web_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [sha256Hex(token), now],
  );
  const row = rows[0];
  if (!row) return undefined;
  const user = { id: row.id, email: row.email, name: row.name, role: row.role };
  return { tokenHash: row.token_hash, csrfToken: row.csrf_token, user };
}

/** Ends a session. */
export async function deleteWebSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM web_sessions WHERE token_hash = $1', [tokenHash]);
}
