/**
 * An instructor's "Disconnect": the grant is revoked at Zoom and our tokens are deleted.
 *
 * The tokens are deleted under the connection's row lock, so a refresh running in another
 * process either finishes first (and its tokens are deleted here) or finds the row
 * disconnected and writes nothing. Revoking happens after the commit with the token read
 * under the lock, best effort: Zoom being down must not keep tokens here that the instructor
 * asked us to drop. A failed revoke is logged and audited; the grant then stays live at Zoom
 * until the instructor removes the app in Zoom's Marketplace (the card says nothing false: we
 * hold no token any more).
 *
 * An access token that has already expired may be refused by Zoom's revoke, so a live token is
 * fetched first through the token service (refreshing if due); when that fails, the revoke is
 * tried with what is stored.
 */
import type { AppContext } from '../app/app-context.js';
import { isAppError } from '../errors/app-error.js';
import { recordAudit } from './audit-log.js';
import { accessContext, TokenService } from './token-service.js';
import { zoomOAuthFor } from './zoom-oauth-for.js';

/** What disconnecting did. */
export interface DisconnectOutcome {
  /** False when there was no live connection to drop. */
  readonly disconnected: boolean;
  /** True when Zoom confirmed the revoke. */
  readonly revokedAtZoom: boolean;
}

interface LockedRow {
  id: number;
  status: string;
  zoom_user_id: string | null;
  access_token_enc: string | null;
}

/** Disconnects the instructor's Zoom account; `actorUserId` is who clicked. */
export async function disconnectZoom(
  ctx: AppContext,
  instructorId: number,
  actorUserId: number,
): Promise<DisconnectOutcome> {
  await new TokenService(ctx).getAccessToken(instructorId).catch(() => undefined);

  const dropped = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<LockedRow>(
      `SELECT id, status, zoom_user_id, access_token_enc FROM zoom_connections
        WHERE instructor_id = $1 FOR UPDATE`,
      [instructorId],
    );
    const row = rows[0];
    if (!row || row.status === 'disconnected') return undefined;

    await tx.query(
      `UPDATE zoom_connections
          SET status = 'disconnected', status_reason = NULL, access_token_enc = NULL,
              refresh_token_enc = NULL, access_expires_at = NULL, updated_at = $2
        WHERE id = $1`,
      [row.id, ctx.clock.now()],
    );
    return row;
  });
  if (!dropped) return { disconnected: false, revokedAtZoom: false };

  const revokedAtZoom = await revokeAtZoom(ctx, dropped, instructorId);
  await recordAudit(ctx.db, {
    kind: 'disconnected',
    actorUserId,
    instructorId,
    zoomUserId: dropped.zoom_user_id,
    detail: { revokedAtZoom },
  });
  return { disconnected: true, revokedAtZoom };
}

async function revokeAtZoom(ctx: AppContext, row: LockedRow, instructorId: number) {
  if (row.access_token_enc === null) return false;

  try {
    const token = ctx.vault.open(row.access_token_enc, accessContext(row.id));
    return (await zoomOAuthFor(ctx).revoke(token)).revoked;
  } catch (error) {
    const code = isAppError(error) ? error.code : 'unknown';
    ctx.log.warn({ instructorId, code }, 'zoom revoke failed; tokens deleted anyway');
    await recordAudit(ctx.db, {
      kind: 'revoke_failed',
      instructorId,
      zoomUserId: row.zoom_user_id,
      detail: { code },
    });
    return false;
  }
}
