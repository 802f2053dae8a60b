/**
 * What messages need to know about a class session, read from `class_sessions`. Only these
 * fields reach a template, so nothing else of the session (and no host credential, of which
 * the table holds none) can slip into a message.
 */
import type { Queryable } from '../db/database.js';

/** A class session as messages see it. */
export interface SessionFacts {
  readonly id: number;
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly timezone: string;
  readonly status: 'scheduled' | 'cancelled';
  readonly syncState: string;
  readonly revision: number;
  readonly meetingId: string | null;
  readonly joinUrl: string | null;
}

interface SessionRow {
  id: number;
  title: string;
  starts_at: Date | string;
  duration_minutes: number;
  timezone: string;
  status: 'scheduled' | 'cancelled';
  sync_state: string;
  revision: number;
  zoom_meeting_id: string | null;
  zoom_join_url: string | null;
}

/** The session with `id`, or undefined. */
export async function loadSessionFacts(
  db: Queryable,
  id: number,
): Promise<SessionFacts | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT id, title, starts_at, duration_minutes, timezone, status, sync_state, revision,
            zoom_meeting_id, zoom_join_url
       FROM class_sessions WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  return row ? toFacts(row) : undefined;
}

/** True when students can be sent the join link now. */
export function hasJoinLink(session: SessionFacts): boolean {
  return session.status === 'scheduled' && session.syncState === 'ready' && !!session.joinUrl;
}

function toFacts(row: SessionRow): SessionFacts {
  return {
    id: row.id,
    title: row.title,
    startsAt: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    timezone: row.timezone,
    status: row.status,
    syncState: row.sync_state,
    revision: row.revision,
    meetingId: row.zoom_meeting_id,
    joinUrl: row.zoom_join_url,
  };
}
