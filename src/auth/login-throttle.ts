/**
 * Limits failed sign-ins per account and per client address over a sliding window, in the
 * database so that every server process counts the same attempts.
 */
import type { Queryable } from '../db/database.js';

/** Window and limits of the throttle. */
export const loginLimits = {
  windowMs: 15 * 60 * 1000,
  perAccount: 5,
  perAddress: 20,
} as const;

/** True when either count has reached its limit. */
export async function isLoginThrottled(
  db: Queryable,
  email: string,
  address: string,
  now: Date,
): Promise<boolean> {
  const since = new Date(now.getTime() - loginLimits.windowMs);
  const { rows } = await db.query<{ account: number; address: number }>(
    `SELECT
       (SELECT count(*)::int FROM login_failures WHERE lower(email) = lower($1) AND at > $3) AS account,
       (SELECT count(*)::int FROM login_failures WHERE address = $2 AND at > $3) AS address`,
    [email.trim(), address, since],
  );
  const counts = rows[0] ?? { account: 0, address: 0 };
  return counts.account >= loginLimits.perAccount || counts.address >= loginLimits.perAddress;
}

/** Records one failed attempt. */
export async function recordLoginFailure(
  db: Queryable,
  email: string,
  address: string,
  now: Date,
): Promise<void> {
  await db.query('INSERT INTO login_failures (email, address, at) VALUES ($1, $2, $3)', [
    email.trim().slice(0, 320),
    address,
    now,
  ]);
}

/** Forgets an account's failures after it signs in. */
export async function clearLoginFailures(db: Queryable, email: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE lower(email) = lower($1)', [email.trim()]);
}
