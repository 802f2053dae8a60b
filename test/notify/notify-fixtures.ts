/** Class sessions and students made directly in the database, and waiting for the queue. */
import { seedUser } from '../support/http.js';
import type { TestApp } from '../support/test-app.js';

/** What a seeded session looks like. */
export interface SeededSession {
  readonly id: number;
  readonly instructorId: number;
  readonly joinUrl: string;
  readonly meetingId: string;
}

/** A session whose Zoom meeting is ready (as the sync would leave it), or not yet. */
export async function seedSession(
  app: TestApp,
  options: { ready?: boolean; title?: string; startsAt?: string; revision?: number } = {},
): Promise<SeededSession> {
  const instructor = await seedUser(app, { role: 'instructor' });
  const meetingId = String(80_000_000_000 + Math.floor(Math.random() * 9_000_000_000));
  const joinUrl = `https://zoom.example.test/j/${meetingId}?pwd=joinpass`;
  const ready = options.ready ?? true;
  const { rows } = await app.ctx.db.query<{ id: number }>(
    `INSERT INTO class_sessions
       (instructor_id, title, starts_at, duration_minutes, sync_state, zoom_meeting_id, zoom_join_url, revision)
     VALUES ($1, $2, $3, 240, $4, $5, $6, $7) RETURNING id`,
    [
      instructor.id,
      options.title ?? 'Defensive Driving, Part 1',
      options.startsAt ?? '2026-03-08T16:00:00Z',
      ready ? 'ready' : 'pending',
      ready ? meetingId : null,
      ready ? joinUrl : null,
      options.revision ?? 1,
    ],
  );
  return { id: Number(rows[0]?.id), instructorId: instructor.id, joinUrl, meetingId };
}

/** Inserts and enrols students straight into the tables. */
export async function seedStudents(
  app: TestApp,
  sessionId: number,
  students: { name: string; email: string; phone?: string; smsOptIn?: boolean }[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const student of students) {
    const { rows } = await app.ctx.db.query<{ id: number }>(
      `INSERT INTO students (name, email, phone, sms_opt_in, sms_opt_in_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END) RETURNING id`,
      [student.name, student.email, student.phone ?? null, student.smsOptIn ?? false],
    );
    const id = Number(rows[0]?.id);
    await app.ctx.db.query('INSERT INTO enrollments (session_id, student_id) VALUES ($1, $2)', [
      sessionId,
      id,
    ]);
    ids.push(id);
  }
  return ids;
}

/** Polls `check` until it returns a value other than undefined or false. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The outbox rows of a session, as plain rows. */
export async function outboxOf(app: TestApp, sessionId: number) {
  const { rows } = await app.ctx.db.query<{
    id: number;
    channel: string;
    kind: string;
    version: number;
    status: string;
    attempts: number;
    recipient: string;
    permanent_failure: boolean;
    last_error_code: string | null;
  }>(
    `SELECT id, channel, kind, version, status, attempts, recipient, permanent_failure, last_error_code
       FROM notify_outbox WHERE session_id = $1 ORDER BY id`,
    [sessionId],
  );
  return rows;
}
