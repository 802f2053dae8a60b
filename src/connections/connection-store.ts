/**
 * Reads of `zoom_connections` for pages, the API and other modules. What comes out is the
 * connection as people see it; the sealed tokens never leave the table through this module
 * (only the token service opens them).
 */
import type { Queryable } from '../db/database.js';
import { missingScopes, parseScopeString } from '../zoom/scopes.js';

/** Where a link to Zoom stands. */
export type ConnectionStatus = 'connected' | 'broken' | 'deauthorized' | 'disconnected';

/** One instructor's link to one Zoom user, without its tokens. */
export interface ZoomConnection {
  readonly id: number;
  readonly instructorId: number;
  readonly status: ConnectionStatus;
  /** Plain words on why the connection is not connected (broken, deauthorized). */
  readonly statusReason: string | null;
  readonly zoomUserId: string | null;
  readonly zoomAccountId: string | null;
  readonly zoomEmail: string | null;
  readonly zoomDisplayName: string | null;
  /** Zoom's user `type`: 1 Basic, 2 Licensed, 3 On-Prem. */
  readonly zoomPlanType: number | null;
  readonly scopes: string[];
  /** Required scopes Zoom did not grant. */
  readonly missingScopes: string[];
  readonly hasTokens: boolean;
  readonly accessExpiresAt: Date | null;
  readonly connectedAt: Date | null;
  readonly refreshedAt: Date | null;
  readonly brokenAt: Date | null;
  readonly updatedAt: Date;
}

/** The columns every read selects; tokens only as a yes/no. */
export const CONNECTION_COLUMNS = `id, instructor_id, status, status_reason, zoom_user_id,
  zoom_account_id, zoom_email, zoom_display_name, zoom_plan_type, scopes,
  (access_token_enc IS NOT NULL AND refresh_token_enc IS NOT NULL) AS has_tokens,
  access_expires_at, connected_at, refreshed_at, broken_at, updated_at`;

/** A row as selected with CONNECTION_COLUMNS. */
export interface ConnectionRow {
  id: number;
  instructor_id: number;
  status: ConnectionStatus;
  status_reason: string | null;
  zoom_user_id: string | null;
  zoom_account_id: string | null;
  zoom_email: string | null;
  zoom_display_name: string | null;
  zoom_plan_type: number | null;
  scopes: string | null;
  has_tokens: boolean;
  access_expires_at: Date | string | null;
  connected_at: Date | string | null;
  refreshed_at: Date | string | null;
  broken_at: Date | string | null;
  updated_at: Date | string;
}

/** Turns a selected row into a ZoomConnection. */
export function toConnection(row: ConnectionRow): ZoomConnection {
  const scopes = row.scopes === null ? [] : parseScopeString(row.scopes);

  return {
    id: row.id,
    instructorId: row.instructor_id,
    status: row.status,
    statusReason: row.status_reason,
    zoomUserId: row.zoom_user_id,
    zoomAccountId: row.zoom_account_id,
    zoomEmail: row.zoom_email,
    zoomDisplayName: row.zoom_display_name,
    zoomPlanType: row.zoom_plan_type,
    scopes,
    missingScopes: row.scopes === null ? [] : missingScopes(row.scopes),
    hasTokens: row.has_tokens,
    accessExpiresAt: dateOrNull(row.access_expires_at),
    connectedAt: dateOrNull(row.connected_at),
    refreshedAt: dateOrNull(row.refreshed_at),
    brokenAt: dateOrNull(row.broken_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The connection of an instructor, in whatever state, or undefined when never connected. */
export async function findConnectionByInstructor(
  db: Queryable,
  instructorId: number,
): Promise<ZoomConnection | undefined> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${CONNECTION_COLUMNS} FROM zoom_connections WHERE instructor_id = $1`,
    [instructorId],
  );
  return rows[0] ? toConnection(rows[0]) : undefined;
}

/**
 * The connection linked to a Zoom user id (as in `app_deauthorized.payload.user_id`): the
 * connected one when there is one, otherwise the most recently changed.
 */
export async function findConnectionByZoomUser(
  db: Queryable,
  zoomUserId: string,
): Promise<ZoomConnection | undefined> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${CONNECTION_COLUMNS} FROM zoom_connections WHERE zoom_user_id = $1
      ORDER BY (status = 'connected') DESC, updated_at DESC LIMIT 1`,
    [zoomUserId],
  );
  return rows[0] ? toConnection(rows[0]) : undefined;
}

/** The connections of the given instructors, keyed by instructor id (absent: never connected). */
export async function listConnectionsForInstructors(
  db: Queryable,
  instructorIds: readonly number[],
): Promise<Map<number, ZoomConnection>> {
  if (instructorIds.length === 0) return new Map();

  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${CONNECTION_COLUMNS} FROM zoom_connections WHERE instructor_id = ANY($1::bigint[])`,
    [instructorIds],
  );
  return new Map(rows.map((row) => [row.instructor_id, toConnection(row)]));
}

/** Zoom's plan type in words: 1 Basic, 2 Licensed, 3 On-Prem, others by number. */
export function planName(planType: number | null): string {
  if (planType === 1) return 'Basic';
  if (planType === 2) return 'Licensed';
  if (planType === 3) return 'On-Prem';
  return planType === null ? 'Unknown' : `Type ${planType}`;
}

function dateOrNull(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}
