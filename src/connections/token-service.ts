/**
 * The only way any code gets a Zoom access token for an instructor.
 *
 * Zoom's refresh tokens rotate on every refresh, and an old one is dead the moment a new one is
 * issued. Two refreshes racing with the same refresh token therefore lose the connection. So a
 * refresh is serialized per connection across every process by `SELECT … FOR UPDATE` on the
 * connection's row, inside one transaction that:
 *   1. locks the row and re-reads it (another process may have refreshed while we waited; then
 *      its token is used and Zoom is not called);
 *   2. checks the row is still `connected` with tokens and no `app_deauthorized` is pending
 *      for its Zoom user (a deauthorization deletes the tokens under the same lock; nothing is
 *      ever written back onto such a row);
 *   3. refreshes at Zoom and writes the rotated pair, sealed by the vault, then commits;
 *   4. only after the commit hands the new access token to the caller, so a crash can never
 *      leave a token in use whose refresh token we did not keep.
 * Within one process, callers needing the same refresh share one in-flight promise, so fifty
 * callers wait on one pool connection instead of holding fifty. The in-flight map is kept per
 * AppContext, so every TokenService built from one context shares it.
 *
 * Failures of the refresh call:
 * - `invalid_grant` (terminal): the row is re-read in case another writer won; otherwise the
 *   connection is marked `broken` with a plain-words reason, its tokens deleted, an audit event
 *   written and staff and the instructor alerted (job `notify.staff-alert`).
 * - lost answer (timeout or dropped connection after the request left): Zoom may have rotated
 *   the refresh token and the new one exists only in the reply we never read. The grant cannot
 *   be recovered from here; sending the old token again can at best be answered
 *   `invalid_grant`, and repeating it on a schedule would look like token replay to Zoom and
 *   hide the problem for hours. So the connection goes straight to the same `broken` state,
 *   logged at error level, and the instructor is asked to reconnect once. Never a retry loop.
 * - anything else (Zoom 5xx, a request that never left this host): nothing is changed and the
 *   error goes to the caller, whose job may retry later with the same, still valid, tokens.
 *
 * Known limit: on PGlite (one process only) the transaction pauses every other query of the
 * process while Zoom answers the refresh; PostgreSQL has no such pause.
 */
import type { AppContext } from '../app/app-context.js';
import { secretContext } from '../crypto/secret-box.js';
import type { Queryable } from '../db/database.js';
import { AppError, isAppError } from '../errors/app-error.js';
import type { ZoomOAuthClient, ZoomTokenSet } from '../zoom/oauth-client.js';
import { isDeauthorizationPending } from '../webhooks/deauthorization-store.js';
import { recordAudit } from './audit-log.js';
import { needsRefresh } from './refresh-rule.js';
import { zoomOAuthFor } from './zoom-oauth-for.js';

/** The queue that tells staff and the instructor a connection broke. */
export const STAFF_ALERT_QUEUE = 'notify.staff-alert';

/** The job data sent to STAFF_ALERT_QUEUE when a connection breaks. */
export interface ConnectionBrokenAlert {
  readonly kind: 'connection_broken';
  readonly instructorId: number;
}

/** Options of one token request. */
export interface AccessTokenOptions {
  /** Zoom refused the token we handed out (401 code 124): renew it unless someone just did. */
  readonly forceRefresh?: boolean;
}

/** Plain words shown on the card and to staff. */
const REASON_INVALID_GRANT =
  'Zoom no longer accepts our access to this Zoom account (the app may have been removed or ' +
  'authorized again elsewhere).';
const REASON_ANSWER_LOST =
  'Zoom did not answer while we were renewing access, so the renewed access was lost.';

interface TokenRow {
  id: number;
  instructor_id: number;
  status: string;
  status_reason: string | null;
  zoom_user_id: string | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_expires_at: Date | string | null;
  access_issued_at: Date | string | null;
}

type RefreshOutcome =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'broken'; readonly row: TokenRow };

const TOKEN_COLUMNS = `id, instructor_id, status, status_reason, zoom_user_id, access_token_enc,
  refresh_token_enc, access_expires_at, access_issued_at`;

const inFlightByContext = new WeakMap<AppContext, Map<number, Promise<string>>>();

/** Hands out instructors' Zoom access tokens, refreshing them ahead of expiry. */
export class TokenService {
  readonly #ctx: AppContext;
  readonly #oauth: ZoomOAuthClient;
  readonly #inFlight: Map<number, Promise<string>>;

  constructor(ctx: AppContext, options: { oauth?: ZoomOAuthClient } = {}) {
    this.#ctx = ctx;
    this.#oauth = options.oauth ?? zoomOAuthFor(ctx);
    this.#inFlight = inFlightMapOf(ctx);
  }

  /**
   * A usable access token for the instructor. Throws `ZOOM_NOT_CONNECTED` (detail names the
   * instructor and their email) or `ZOOM_CONNECTION_BROKEN`, or the Zoom error of a transient
   * refresh failure.
   */
  async getAccessToken(instructorId: number, options: AccessTokenOptions = {}): Promise<string> {
    const row = await readUsableRow(this.#ctx.db, instructorId);
    const force = options.forceRefresh === true;

    if (!force && !isStale(row, this.#ctx.clock.now())) return this.#openAccess(row);

    return this.#refreshShared(row, force);
  }

  #refreshShared(row: TokenRow, force: boolean): Promise<string> {
    const running = this.#inFlight.get(row.id);
    if (running) return running;

    const stale = force ? (row.access_token_enc ?? undefined) : undefined;
    const started = this.#refreshLocked(row.id, stale).finally(() => this.#inFlight.delete(row.id));
    this.#inFlight.set(row.id, started);
    return started;
  }

  async #refreshLocked(connectionId: number, staleAccessEnc: string | undefined): Promise<string> {
    const outcome = await this.#ctx.db.transaction(async (tx) => {
      const found = await lockRow(tx, connectionId);
      await assertUsable(tx, found);
      const locked = found as TokenRow;

      if (this.#stillGood(locked, staleAccessEnc)) {
        return { kind: 'token', token: this.#openAccess(locked) } satisfies RefreshOutcome;
      }
      return this.#refreshInTransaction(tx, locked);
    });

    if (outcome.kind === 'token') return outcome.token;

    throw await brokenError(this.#ctx.db, outcome.row.instructor_id, outcome.row.status_reason);
  }

  /** After the lock: a token another process renewed (or one that needs nothing) is used as is. */
  #stillGood(locked: TokenRow, staleAccessEnc: string | undefined): boolean {
    const fresh = !isStale(locked, this.#ctx.clock.now());
    if (staleAccessEnc === undefined) return fresh;

    return fresh && locked.access_token_enc !== staleAccessEnc;
  }

  async #refreshInTransaction(tx: Queryable, locked: TokenRow): Promise<RefreshOutcome> {
    await assertNotBeingRemoved(tx, locked);
    const refreshToken = this.#openRefresh(locked);

    let tokens: ZoomTokenSet;
    try {
      tokens = await this.#oauth.refresh(refreshToken);
    } catch (error) {
      return this.#onRefreshFailure(tx, locked, error);
    }

    await this.#storeRotated(tx, locked, tokens);
    this.#ctx.log.info(
      { connectionId: locked.id, instructorId: locked.instructor_id },
      'zoom token refreshed',
    );
    return { kind: 'token', token: tokens.accessToken };
  }

  async #storeRotated(tx: Queryable, locked: TokenRow, tokens: ZoomTokenSet): Promise<void> {
    await assertNotBeingRemoved(tx, locked);
    const now = this.#ctx.clock.now();
    const { rowCount } = await tx.query(
      `UPDATE zoom_connections
          SET access_token_enc = $2, refresh_token_enc = $3, access_expires_at = $4,
              access_issued_at = $5, refreshed_at = $5, scopes = $6, updated_at = $5
        WHERE id = $1 AND status = 'connected'`,
      [
        locked.id,
        this.#ctx.vault.seal(tokens.accessToken, accessContext(locked.id)),
        this.#ctx.vault.seal(tokens.refreshToken, refreshContext(locked.id)),
        tokens.expiresAt,
        now,
        tokens.scopes.join(' '),
      ],
    );
    // The row is locked and was connected after the lock, so this cannot miss; if it ever
    // did, rolling back is right: the tokens must not land on a row that changed state.
    if (rowCount !== 1) throw new AppError('INTERNAL', 'zoom connection changed under its lock');

    await recordAudit(tx, {
      kind: 'refreshed',
      instructorId: locked.instructor_id,
      zoomUserId: locked.zoom_user_id,
      detail: { expiresAt: tokens.expiresAt.toISOString() },
    });
  }

  async #onRefreshFailure(
    tx: Queryable,
    locked: TokenRow,
    error: unknown,
  ): Promise<RefreshOutcome> {
    const lost = isAppError(error) && error.extra?.['answerLost'] === true;
    const terminal = isAppError(error, 'ZOOM_REFRESH_FAILED') && error.extra?.['terminal'] === true;
    const ids = { connectionId: locked.id, instructorId: locked.instructor_id };

    if (!lost && !terminal) {
      this.#ctx.log.warn(
        { ...ids, code: isAppError(error) ? error.code : 'unknown' },
        'zoom token refresh failed; will retry later',
      );
      throw error;
    }
    if (terminal) {
      const winner = await this.#winnerToken(tx, locked);
      if (winner !== undefined) return { kind: 'token', token: winner };
    }

    if (lost)
      this.#ctx.log.error(
        ids,
        'zoom refresh answer lost; connection marked broken, instructor must reconnect',
      );
    else this.#ctx.log.warn(ids, 'zoom refused the refresh token; connection marked broken');

    const reason = lost ? REASON_ANSWER_LOST : REASON_INVALID_GRANT;
    return { kind: 'broken', row: await this.#markBroken(tx, locked, reason, lost) };
  }

  /** Re-reads the row: when its refresh token changed, another writer won and its token works. */
  async #winnerToken(tx: Queryable, locked: TokenRow): Promise<string | undefined> {
    const { rows } = await tx.query<TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM zoom_connections WHERE id = $1`,
      [locked.id],
    );
    const row = rows[0];
    if (!row || row.status !== 'connected' || row.refresh_token_enc === null) return undefined;
    if (row.refresh_token_enc === locked.refresh_token_enc) return undefined;
    if (isStale(row, this.#ctx.clock.now())) return undefined;

    return this.#openAccess(row);
  }

  async #markBroken(
    tx: Queryable,
    locked: TokenRow,
    reason: string,
    lost: boolean,
  ): Promise<TokenRow> {
    const now = this.#ctx.clock.now();
    await tx.query(
      `UPDATE zoom_connections
          SET status = 'broken', status_reason = $2, broken_at = $3, updated_at = $3,
              access_token_enc = NULL, refresh_token_enc = NULL, access_expires_at = NULL
        WHERE id = $1 AND status = 'connected'`,
      [locked.id, reason, now],
    );
    await recordAudit(tx, {
      kind: 'refresh_failed',
      instructorId: locked.instructor_id,
      zoomUserId: locked.zoom_user_id,
      detail: { outcome: 'broken', cause: lost ? 'answer_lost' : 'invalid_grant', reason },
    });
    // Enqueued in the same transaction: the alert goes out if and only if the break is recorded.
    const alert: ConnectionBrokenAlert = {
      kind: 'connection_broken',
      instructorId: locked.instructor_id,
    };
    await this.#ctx.jobs.send(STAFF_ALERT_QUEUE, alert, { tx });
    return { ...locked, status: 'broken', status_reason: reason };
  }

  #openAccess(row: TokenRow): string {
    return this.#ctx.vault.open(row.access_token_enc ?? '', accessContext(row.id));
  }

  #openRefresh(row: TokenRow): string {
    return this.#ctx.vault.open(row.refresh_token_enc ?? '', refreshContext(row.id));
  }
}

/** The vault context of a connection's access token. */
export function accessContext(connectionId: number): string {
  return secretContext('zoom_connections', connectionId, 'access_token');
}

/** The vault context of a connection's refresh token. */
export function refreshContext(connectionId: number): string {
  return secretContext('zoom_connections', connectionId, 'refresh_token');
}

function inFlightMapOf(ctx: AppContext): Map<number, Promise<string>> {
  let map = inFlightByContext.get(ctx);
  if (!map) {
    map = new Map();
    inFlightByContext.set(ctx, map);
  }
  return map;
}

function isStale(row: TokenRow, now: Date): boolean {
  return needsRefresh(dateOrNull(row.access_issued_at), dateOrNull(row.access_expires_at), now);
}

async function readUsableRow(db: Queryable, instructorId: number): Promise<TokenRow> {
  const { rows } = await db.query<TokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM zoom_connections WHERE instructor_id = $1`,
    [instructorId],
  );
  const row = rows[0];
  if (row?.status === 'connected' && hasTokens(row)) return row;

  return assertUsable(db, row, instructorId).then(() => row as TokenRow);
}

async function lockRow(tx: Queryable, connectionId: number): Promise<TokenRow | undefined> {
  const { rows } = await tx.query<TokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM zoom_connections WHERE id = $1 FOR UPDATE`,
    [connectionId],
  );
  return rows[0];
}

/** Throws the error that says why this row gives no token; returns when it does. */
async function assertUsable(
  db: Queryable,
  row: TokenRow | undefined,
  instructorId = row?.instructor_id,
): Promise<void> {
  if (row?.status === 'connected' && hasTokens(row)) return;
  if (instructorId === undefined) throw new AppError('ZOOM_NOT_CONNECTED', 'zoom is not connected');

  if (row?.status === 'broken') throw await brokenError(db, instructorId, row.status_reason);
  throw await notConnectedError(db, instructorId);
}

/**
 * An `app_deauthorized` that could not take this row's lock in time is recorded as pending and
 * finished by a job; while it waits, the app counts as removed and no token is written back.
 * Throwing rolls the transaction back, so nothing of this refresh is kept.
 */
async function assertNotBeingRemoved(tx: Queryable, row: TokenRow): Promise<void> {
  if (row.zoom_user_id === null || !(await isDeauthorizationPending(tx, row.zoom_user_id))) return;

  throw await notConnectedError(tx, row.instructor_id);
}

function hasTokens(row: TokenRow): boolean {
  return row.access_token_enc !== null && row.refresh_token_enc !== null;
}

async function instructorOf(db: Queryable, instructorId: number) {
  const { rows } = await db.query<{ name: string; email: string; role: string }>(
    'SELECT name, email, role FROM users WHERE id = $1',
    [instructorId],
  );
  const user = rows[0];
  if (!user || user.role !== 'instructor') {
    throw new AppError('NOT_FOUND', 'instructor not found', { extra: { instructorId } });
  }
  return user;
}

async function notConnectedError(db: Queryable, instructorId: number): Promise<AppError> {
  const user = await instructorOf(db, instructorId);

  return new AppError('ZOOM_NOT_CONNECTED', 'instructor has not connected zoom', {
    detail: `${user.name} (${user.email}) has not connected a Zoom account. Ask them to click "Connect Zoom" on their dashboard.`,
    extra: { instructorId },
  });
}

async function brokenError(
  db: Queryable,
  instructorId: number,
  reason: string | null,
): Promise<AppError> {
  const user = await instructorOf(db, instructorId);
  const why = reason ?? 'Zoom no longer accepts our access.';

  return new AppError('ZOOM_CONNECTION_BROKEN', 'zoom connection is broken', {
    detail: `The Zoom connection of ${user.name} (${user.email}) is broken: ${why} Ask them to click "Reconnect Zoom" on their dashboard.`,
    extra: { instructorId },
  });
}

function dateOrNull(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}
