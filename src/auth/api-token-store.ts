/** API tokens for staff and admins: random, shown once, stored as SHA-256. */
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { randomToken, sha256Hex } from '../support/random-token.js';
import type { User } from './user-store.js';

const TOKEN_PREFIX = 'sdz_';

/** Issues a token for a staff or admin user; returns the token text. */
export async function createApiToken(db: Queryable, user: User): Promise<string> {
  if (user.role === 'instructor') {
    throw new AppError('FORBIDDEN', 'api tokens are for staff and admins only');
  }
  const token = TOKEN_PREFIX + randomToken();
  await db.query('INSERT INTO api_tokens (user_id, token_hash) VALUES ($1, $2)', [
    user.id,
    sha256Hex(token),
  ]);
  return token;
}

/** The user owning `token`, or undefined. Lookup is by hash, so no timing leak on content. */
export async function findUserByApiToken(db: Queryable, token: string): Promise<User | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const { rows } = await db.query<User>(
    `UPDATE api_tokens t SET last_used_at = now() FROM users u
      WHERE t.token_hash = $1 AND u.id = t.user_id AND u.role IN ('staff', 'admin')
      RETURNING u.id, u.email, u.name, u.role`,
    [sha256Hex(token)],
  );
  return rows[0];
}
