/**
 * Stores a consent that came back from Zoom: the instructor's connection row gets the Zoom
 * profile fields of data-minimisation promise 6 (user id, login email, display name, plan type)
 * and the two tokens sealed by the vault; nothing else from Zoom is kept.
 *
 * Rules:
 * - a Zoom user may be linked to one instructor only: linking one already connected to
 *   someone else is refused with `ZOOM_USER_ALREADY_LINKED` (the partial unique index on
 *   `zoom_user_id` backs the check against a race). Zoom itself has by then made the new
 *   grant the only live one (a newer authorization invalidates the older, error 4741), so the
 *   other instructor's connection is marked broken at once instead of failing at its next use.
 * - a newer authorization replaces the instructor's own older one; when it is for another
 *   Zoom user, the old grant is revoked at Zoom (best effort) so no orphaned grant stays live.
 * The row is written under `SELECT … FOR UPDATE`, the same lock the token service refreshes
 * under.
 */
import type { AppContext } from '../app/app-context.js';
import type { Queryable } from '../db/database.js';
import { isUniqueViolation } from '../db/translate-error.js';
import { AppError } from '../errors/app-error.js';
import type { ZoomProfile } from '../zoom/users-api.js';
import type { ZoomTokenSet } from '../zoom/zoom-token-set.js';
import { recordAudit } from './audit-log.js';
import { findConnectionByZoomUser } from './connection-store.js';
import { accessContext, refreshContext, STAFF_ALERT_QUEUE } from './token-service.js';
import { zoomOAuthFor } from './zoom-oauth-for.js';

/** What the callback learned from Zoom. */
export interface ConsentResult {
  readonly instructorId: number;
  readonly tokens: ZoomTokenSet;
  readonly profile: ZoomProfile;
}

interface PreviousLink {
  id: number;
  status: string;
  zoom_user_id: string | null;
  access_token_enc: string | null;
}

const REASON_TAKEN_OVER =
  'This Zoom account was authorized again from another instructor account, which ended our access.';

/** Links the Zoom account to the instructor; returns the connection id. */
export async function linkZoomAccount(ctx: AppContext, result: ConsentResult): Promise<number> {
  const other = await findConnectionByZoomUser(ctx.db, result.profile.id);
  if (other && other.status === 'connected' && other.instructorId !== result.instructorId) {
    await refuseTakenAccount(ctx, result, other.id, other.instructorId);
  }

  let previous: PreviousLink;
  try {
    previous = await ctx.db.transaction((tx) => writeLink(ctx, tx, result));
  } catch (error) {
    if (!isUniqueViolation(error, 'zoom_connections_zoom_user_key')) throw error;
    throw alreadyLinked();
  }

  await revokeReplacedGrant(ctx, result, previous);
  return previous.id;
}

async function writeLink(
  ctx: AppContext,
  tx: Queryable,
  result: ConsentResult,
): Promise<PreviousLink> {
  const previous = await lockOwnRow(tx, result.instructorId);
  const now = ctx.clock.now();
  const { tokens, profile } = result;

  await tx.query(
    `UPDATE zoom_connections
        SET status = 'connected', status_reason = NULL, zoom_user_id = $2, zoom_account_id = NULL,
            zoom_email = $3, zoom_display_name = $4, zoom_plan_type = $5, scopes = $6,
            access_token_enc = $7, refresh_token_enc = $8, access_expires_at = $9,
            access_issued_at = $10, connected_at = $10, refreshed_at = NULL, broken_at = NULL,
            updated_at = $10
      WHERE id = $1`,
    [
      previous.id,
      profile.id,
      profile.email,
      profile.displayName,
      profile.planType,
      tokens.scopes.join(' '),
      ctx.vault.seal(tokens.accessToken, accessContext(previous.id)),
      ctx.vault.seal(tokens.refreshToken, refreshContext(previous.id)),
      tokens.expiresAt,
      now,
    ],
  );
  await recordAudit(tx, {
    kind: 'connected',
    actorUserId: result.instructorId,
    instructorId: result.instructorId,
    zoomUserId: profile.id,
    detail: { planType: profile.planType, scopes: tokens.scopes },
  });
  return previous;
}

/** The instructor's row, created empty if needed, locked for this transaction. */
async function lockOwnRow(tx: Queryable, instructorId: number): Promise<PreviousLink> {
  await tx.query(
    `INSERT INTO zoom_connections (instructor_id, status) VALUES ($1, 'disconnected')
     ON CONFLICT (instructor_id) DO NOTHING`,
    [instructorId],
  );
  const { rows } = await tx.query<PreviousLink>(
    `SELECT id, status, zoom_user_id, access_token_enc FROM zoom_connections
      WHERE instructor_id = $1 FOR UPDATE`,
    [instructorId],
  );
  return rows[0] as PreviousLink;
}

async function refuseTakenAccount(
  ctx: AppContext,
  result: ConsentResult,
  otherConnectionId: number,
  otherInstructorId: number,
): Promise<never> {
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE zoom_connections
          SET status = 'broken', status_reason = $2, broken_at = $3, updated_at = $3,
              access_token_enc = NULL, refresh_token_enc = NULL, access_expires_at = NULL
        WHERE id = $1 AND status = 'connected'`,
      [otherConnectionId, REASON_TAKEN_OVER, ctx.clock.now()],
    );
    await recordAudit(tx, {
      kind: 'connect_refused',
      actorUserId: result.instructorId,
      instructorId: result.instructorId,
      zoomUserId: result.profile.id,
      detail: { reason: 'zoom_user_already_linked', linkedInstructorId: otherInstructorId },
    });
  });
  await ctx.jobs
    .send(STAFF_ALERT_QUEUE, { kind: 'connection_broken', instructorId: otherInstructorId })
    .catch((error: unknown) => ctx.log.error({ err: error }, 'connection alert not queued'));
  ctx.log.warn(
    { instructorId: result.instructorId, linkedInstructorId: otherInstructorId },
    'zoom user already linked to another instructor',
  );
  throw alreadyLinked();
}

async function revokeReplacedGrant(ctx: AppContext, result: ConsentResult, previous: PreviousLink) {
  if (previous.access_token_enc === null || previous.zoom_user_id === result.profile.id) return;

  try {
    const token = ctx.vault.open(previous.access_token_enc, accessContext(previous.id));
    await zoomOAuthFor(ctx).revoke(token);
  } catch (error) {
    ctx.log.warn(
      {
        instructorId: result.instructorId,
        code: error instanceof AppError ? error.code : 'unknown',
      },
      'replaced zoom grant not revoked',
    );
  }
}

function alreadyLinked(): AppError {
  return new AppError('ZOOM_USER_ALREADY_LINKED', 'zoom user is linked to another instructor', {
    detail:
      'This Zoom account is already linked to another instructor. Each Zoom account can be ' +
      'linked to one instructor only; sign in to Zoom with your own account and try again.',
  });
}
