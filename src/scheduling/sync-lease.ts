/**
 * The per-session lease that serialises sync work for real, beyond the queue's own rule of one
 * active job per key: a job that pg-boss expired and retried elsewhere, the one-click running
 * inline, and a second server process all go through this one conditional UPDATE, so only one
 * of them talks to Zoom about a session at a time.
 *
 * A row lease rather than `SELECT … FOR UPDATE` or an advisory lock because the holder talks to
 * Zoom for seconds while holding it: a lock needs an open transaction (or a session-level lock)
 * on a connection for that long, and PGlite has one connection for everything. The lease is a
 * committed value instead; a holder that dies simply lets it run out.
 */
import { randomUUID } from 'node:crypto';

import type { Queryable } from '../db/database.js';

/** How long a lease lasts; longer than the slowest sequence of Zoom calls one pass makes. */
export const SYNC_LEASE_SECONDS = 120;

/** A held lease on one session. */
export interface SyncLease {
  readonly sessionId: number;
  readonly token: string;
}

/** Takes the lease on a session; undefined when someone else holds it. */
export async function claimSyncLease(
  db: Queryable,
  sessionId: number,
): Promise<SyncLease | undefined> {
  const token = randomUUID();
  const { rowCount } = await db.query(
    `UPDATE class_sessions
        SET sync_lease_token = $2, sync_lease_until = now() + make_interval(secs => $3)
      WHERE id = $1 AND (sync_lease_until IS NULL OR sync_lease_until < now())`,
    [sessionId, token, SYNC_LEASE_SECONDS],
  );
  return rowCount === 1 ? { sessionId, token } : undefined;
}

/** Gives the lease back, if still ours. */
export async function releaseSyncLease(db: Queryable, lease: SyncLease): Promise<void> {
  await db.query(
    `UPDATE class_sessions SET sync_lease_token = NULL, sync_lease_until = NULL
      WHERE id = $1 AND sync_lease_token = $2`,
    [lease.sessionId, lease.token],
  );
}

/** Pushes the lease's end out again before a long step; false when it was lost. */
export async function renewSyncLease(db: Queryable, lease: SyncLease): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE class_sessions SET sync_lease_until = now() + make_interval(secs => $3)
      WHERE id = $1 AND sync_lease_token = $2`,
    [lease.sessionId, lease.token, SYNC_LEASE_SECONDS],
  );
  return rowCount === 1;
}
