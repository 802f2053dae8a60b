/**
 * Zoom allows each host 100 meeting creates plus updates per UTC day. The product counts what it
 * sends per instructor and day, so staff are warned before a bulk change would pass the cap
 * rather than finding half the sessions stuck until midnight UTC.
 */
import type { Queryable } from '../db/database.js';

/** Zoom's per-host daily budget of meeting creates plus updates. */
export const ZOOM_DAILY_WRITE_LIMIT = 100;

/** From this many writes on, staff see a warning. */
export const ZOOM_DAILY_WRITE_WARN_AT = 90;

/** The UTC day of an instant, `yyyy-MM-dd`. */
export function utcDayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Adds one create or update to a host's count for the UTC day of `at`. */
export async function countZoomWrite(
  db: Queryable,
  instructorId: number,
  kind: 'create' | 'update',
  at: Date,
): Promise<void> {
  const column = kind === 'create' ? 'creates' : 'updates';
  await db.query(
    `INSERT INTO zoom_host_daily_writes (instructor_id, day, ${column}) VALUES ($1, $2, 1)
     ON CONFLICT (instructor_id, day) DO UPDATE SET ${column} = zoom_host_daily_writes.${column} + 1`,
    [instructorId, utcDayOf(at)],
  );
}

/** Writes sent today and writes still waiting to be sent, per instructor. */
export interface HostWriteLoad {
  readonly instructorId: number;
  readonly sentToday: number;
  /** Sessions of the host whose meeting still has to be created or updated. */
  readonly waiting: number;
}

/** The load of the given instructors (all with sessions when none given) on the day of `at`. */
export async function hostWriteLoads(
  db: Queryable,
  at: Date,
  instructorIds?: readonly number[],
): Promise<Map<number, HostWriteLoad>> {
  const { rows } = await db.query<{ instructor_id: string; sent: number; waiting: number }>(
    `SELECT u.id AS instructor_id,
            COALESCE((SELECT creates + updates FROM zoom_host_daily_writes w
                       WHERE w.instructor_id = u.id AND w.day = $1), 0)::int AS sent,
            (SELECT count(*) FROM class_sessions s
              WHERE s.instructor_id = u.id AND s.sync_state = 'pending' AND s.status = 'scheduled')::int AS waiting
       FROM users u
      WHERE u.role = 'instructor' AND ($2::bigint[] IS NULL OR u.id = ANY($2))`,
    [utcDayOf(at), instructorIds ? [...instructorIds] : null],
  );
  const loads = rows.map((row) => ({
    instructorId: Number(row.instructor_id),
    sentToday: row.sent,
    waiting: row.waiting,
  }));
  return new Map(loads.map((load) => [load.instructorId, load]));
}
