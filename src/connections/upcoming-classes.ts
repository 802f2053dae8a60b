/** The instructor's upcoming classes, read from `class_sessions` (the scheduling module owns it). */
import type { Queryable } from '../db/database.js';

/** A class as the dashboard lists it. */
export interface UpcomingClass {
  readonly id: number;
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly joinUrl: string | null;
}

/** Scheduled classes that have not ended yet, soonest first. */
export async function listUpcomingClasses(
  db: Queryable,
  instructorId: number,
  now: Date,
  limit = 50,
): Promise<UpcomingClass[]> {
  const { rows } = await db.query<{
    id: number;
    title: string;
    starts_at: Date | string;
    duration_minutes: number;
    zoom_join_url: string | null;
  }>(
    `SELECT id, title, starts_at, duration_minutes, zoom_join_url FROM class_sessions
      WHERE instructor_id = $1 AND status = 'scheduled'
        AND starts_at + make_interval(mins => duration_minutes) > $2
      ORDER BY starts_at, id LIMIT $3`,
    [instructorId, now, limit],
  );

  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    startsAt: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    joinUrl: row.zoom_join_url,
  }));
}
