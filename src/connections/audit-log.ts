/**
 * The audit trail of Zoom connections: who connected, disconnected, what broke and when.
 * Rows say who and what, never a token, code or secret: `detail` holds plain facts only
 * (a reason, a Zoom error name, missing scope names).
 */
import type { Queryable } from '../db/database.js';

/** What happened. Other modules add their own kinds here (the webhook writes `deauthorized`). */
export type AuditKind =
  | 'connected'
  | 'connect_refused'
  | 'refreshed'
  | 'refresh_failed'
  | 'disconnected'
  | 'revoke_failed'
  | 'deauthorized'
  | 'tokens_rotated';

/** One event to record. */
export interface AuditEvent {
  readonly kind: AuditKind;
  /** The signed-in person who caused it; null for the system or Zoom. */
  readonly actorUserId?: number | null;
  readonly instructorId?: number | null;
  readonly zoomUserId?: string | null;
  /** Plain facts; never a token, code or secret. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** An event as read back, newest first on the audit page. */
export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly kind: string;
  readonly actorUserId: number | null;
  readonly actorName: string | null;
  readonly instructorId: number | null;
  readonly instructorName: string | null;
  readonly instructorEmail: string | null;
  readonly zoomUserId: string | null;
  readonly detail: Record<string, unknown>;
}

/** Writes one audit event; pass the open transaction when the event belongs to one. */
export async function recordAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (kind, actor_user_id, instructor_id, zoom_user_id, detail)
     VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [
      event.kind,
      event.actorUserId ?? null,
      event.instructorId ?? null,
      event.zoomUserId ?? null,
      JSON.stringify(event.detail ?? {}),
    ],
  );
}

interface AuditRow {
  id: number;
  at: Date;
  kind: string;
  actor_user_id: number | null;
  actor_name: string | null;
  instructor_id: number | null;
  instructor_name: string | null;
  instructor_email: string | null;
  zoom_user_id: string | null;
  detail: Record<string, unknown> | string;
}

/** The latest events, newest first, optionally of one instructor. */
export async function listAudit(
  db: Queryable,
  options: { limit?: number; instructorId?: number } = {},
): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT e.id, e.at, e.kind, e.actor_user_id, a.name AS actor_name, e.instructor_id,
            i.name AS instructor_name, i.email AS instructor_email, e.zoom_user_id, e.detail
       FROM audit_events e
       LEFT JOIN users a ON a.id = e.actor_user_id
       LEFT JOIN users i ON i.id = e.instructor_id
      WHERE ($1::bigint IS NULL OR e.instructor_id = $1)
      ORDER BY e.at DESC, e.id DESC
      LIMIT $2`,
    [options.instructorId ?? null, options.limit ?? 200],
  );

  return rows.map(toEntry);
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at),
    kind: row.kind,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    instructorId: row.instructor_id,
    instructorName: row.instructor_name,
    instructorEmail: row.instructor_email,
    zoomUserId: row.zoom_user_id,
    detail:
      typeof row.detail === 'string'
        ? (JSON.parse(row.detail) as Record<string, unknown>)
        : row.detail,
  };
}
