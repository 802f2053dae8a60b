/**
 * Class sessions in the database: what staff asked for (title, start, duration, zone, status)
 * beside the state of its one Zoom meeting. Every staff change raises `revision` in the same
 * statement, which the sync engine and the messages key their work on.
 */
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/** The states of a session's Zoom meeting, exactly as the API names them. */
export const syncStates = [
  'none',
  'pending',
  'ready',
  'failed',
  'needs_check',
  'host_disconnected',
  'cancelled',
] as const;

/** One of `syncStates`. */
export type SyncState = (typeof syncStates)[number];

/** A class session as stored. */
export interface ClassSession {
  readonly id: number;
  readonly instructorId: number;
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly timezone: string;
  readonly status: 'scheduled' | 'cancelled';
  readonly revision: number;
  readonly zoomWanted: boolean;
  readonly zoomMeetingId: string | null;
  readonly zoomJoinUrl: string | null;
  readonly syncState: SyncState;
  readonly syncErrorCode: string | null;
  readonly syncErrorMessage: string | null;
  readonly synced: SyncedFields | null;
  readonly syncedRevision: number | null;
  readonly createAttemptAt: Date | null;
  readonly hostLinkLostAt: Date | null;
}

/** What the meeting at Zoom was last made to show. */
export interface SyncedFields {
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly timezone: string;
}

/** Input of a new session. */
export interface NewSession {
  readonly instructorId: number;
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly timezone: string;
  readonly createdBy: number | null;
}

/** The fields staff may change. */
export interface SessionChanges {
  readonly title?: string | undefined;
  readonly startsAt?: Date | undefined;
  readonly durationMinutes?: number | undefined;
  readonly timezone?: string | undefined;
}

interface SessionRow {
  id: string | number;
  instructor_id: string | number;
  title: string;
  starts_at: Date | string;
  duration_minutes: number;
  timezone: string;
  status: 'scheduled' | 'cancelled';
  revision: number;
  zoom_wanted: boolean;
  zoom_meeting_id: string | null;
  zoom_join_url: string | null;
  sync_state: SyncState;
  sync_error_code: string | null;
  sync_error_message: string | null;
  synced_title: string | null;
  synced_starts_at: Date | string | null;
  synced_duration_minutes: number | null;
  synced_timezone: string | null;
  synced_revision: number | null;
  create_attempt_at: Date | string | null;
  host_link_lost_at: Date | string | null;
}

const COLUMNS = `id, instructor_id, title, starts_at, duration_minutes, timezone, status, revision,
  zoom_wanted, zoom_meeting_id, zoom_join_url, sync_state, sync_error_code, sync_error_message,
  synced_title, synced_starts_at, synced_duration_minutes, synced_timezone, synced_revision,
  create_attempt_at, host_link_lost_at`;

/** The column list, for queries elsewhere in the module that return whole sessions. */
export const SESSION_COLUMNS = COLUMNS;

/** Turns a row into a session. */
export function toSession(row: SessionRow): ClassSession {
  return {
    id: Number(row.id),
    instructorId: Number(row.instructor_id),
    title: row.title,
    startsAt: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    timezone: row.timezone,
    status: row.status,
    revision: row.revision,
    zoomWanted: row.zoom_wanted,
    zoomMeetingId: row.zoom_meeting_id,
    zoomJoinUrl: row.zoom_join_url,
    syncState: row.sync_state,
    syncErrorCode: row.sync_error_code,
    syncErrorMessage: row.sync_error_message,
    synced: syncedOf(row),
    syncedRevision: row.synced_revision,
    createAttemptAt: row.create_attempt_at === null ? null : new Date(row.create_attempt_at),
    hostLinkLostAt: row.host_link_lost_at === null ? null : new Date(row.host_link_lost_at),
  };
}

function syncedOf(row: SessionRow): SyncedFields | null {
  if (row.synced_title === null || row.synced_starts_at === null) return null;

  return {
    title: row.synced_title,
    startsAt: new Date(row.synced_starts_at),
    durationMinutes: row.synced_duration_minutes ?? 0,
    timezone: row.synced_timezone ?? row.timezone,
  };
}

/** Inserts a session; the instructor must exist and be an instructor. */
export async function insertSession(db: Queryable, input: NewSession): Promise<ClassSession> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO class_sessions (instructor_id, title, starts_at, duration_minutes, timezone, created_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${COLUMNS}`,
    [
      input.instructorId,
      input.title,
      input.startsAt,
      input.durationMinutes,
      input.timezone,
      input.createdBy,
    ],
  );
  return toSession(rows[0] as SessionRow);
}

/** The session with this id, or undefined. */
export async function findSession(db: Queryable, id: number): Promise<ClassSession | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM class_sessions WHERE id = $1`,
    [id],
  );
  return rows[0] ? toSession(rows[0]) : undefined;
}

/** The session with this id; `NOT_FOUND` otherwise. */
export async function getSession(db: Queryable, id: number): Promise<ClassSession> {
  const session = await findSession(db, id);
  if (!session)
    throw new AppError('NOT_FOUND', 'class session not found', {
      detail: `There is no class session ${id}.`,
    });
  return session;
}

/** Filters of the sessions list. */
export interface SessionFilter {
  readonly instructorId?: number | undefined;
  /** Sessions starting at or after this instant. */
  readonly from?: Date | undefined;
  /** Sessions starting before this instant. */
  readonly until?: Date | undefined;
  readonly limit?: number | undefined;
}

/** Sessions in start order, filtered. */
export async function listSessions(db: Queryable, filter: SessionFilter): Promise<ClassSession[]> {
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM class_sessions
      WHERE ($1::bigint IS NULL OR instructor_id = $1)
        AND ($2::timestamptz IS NULL OR starts_at >= $2)
        AND ($3::timestamptz IS NULL OR starts_at < $3)
      ORDER BY starts_at, id
      LIMIT $4`,
    [filter.instructorId ?? null, filter.from ?? null, filter.until ?? null, filter.limit ?? 500],
  );
  return rows.map(toSession);
}

/**
 * Applies staff changes and raises the revision when anything really changed. A session that
 * has (or is getting) a meeting goes back to `pending` so the page shows the change travelling.
 */
export async function updateSession(
  db: Queryable,
  id: number,
  changes: SessionChanges,
): Promise<ClassSession> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE class_sessions
        SET title = COALESCE($2, title),
            starts_at = COALESCE($3, starts_at),
            duration_minutes = COALESCE($4, duration_minutes),
            timezone = COALESCE($5, timezone),
            revision = revision + 1,
            sync_state = CASE WHEN zoom_wanted AND sync_state IN ('ready', 'failed') THEN 'pending' ELSE sync_state END,
            updated_at = now()
      WHERE id = $1 AND status = 'scheduled'
        AND (title IS DISTINCT FROM COALESCE($2, title)
          OR starts_at IS DISTINCT FROM COALESCE($3, starts_at)
          OR duration_minutes IS DISTINCT FROM COALESCE($4, duration_minutes)
          OR timezone IS DISTINCT FROM COALESCE($5, timezone))
      RETURNING ${COLUMNS}`,
    [
      id,
      changes.title ?? null,
      changes.startsAt ?? null,
      changes.durationMinutes ?? null,
      changes.timezone ?? null,
    ],
  );
  if (rows[0]) return toSession(rows[0]);

  const session = await getSession(db, id);
  if (session.status === 'cancelled') throw cancelledError(id);
  return session;
}

/** Cancels a session (idempotent); the sync engine then deletes its meeting. */
export async function cancelSession(db: Queryable, id: number): Promise<ClassSession> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE class_sessions
        SET status = 'cancelled', revision = revision + 1,
            sync_state = CASE WHEN zoom_meeting_id IS NULL AND create_attempt_at IS NULL
                              THEN 'cancelled' ELSE 'pending' END,
            updated_at = now()
      WHERE id = $1 AND status = 'scheduled'
      RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ? toSession(rows[0]) : getSession(db, id);
}

/** Marks that staff want a Zoom meeting for the session; it becomes `pending` unless ready. */
export async function requestMeeting(db: Queryable, id: number): Promise<ClassSession> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE class_sessions
        SET zoom_wanted = true,
            sync_state = CASE WHEN sync_state IN ('none', 'failed', 'host_disconnected') THEN 'pending'
                              ELSE sync_state END,
            updated_at = now()
      WHERE id = $1 AND status = 'scheduled'
      RETURNING ${COLUMNS}`,
    [id],
  );
  if (rows[0]) return toSession(rows[0]);

  const session = await getSession(db, id);
  throw cancelledError(session.id);
}

/** The error for a change to a cancelled session. */
export function cancelledError(id: number): AppError {
  return new AppError('SESSION_CANCELLED', 'class session is cancelled', {
    detail: `Class session ${id} is cancelled; it can no longer be changed.`,
  });
}
