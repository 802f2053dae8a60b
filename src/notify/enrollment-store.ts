/**
 * Students and their enrolments. A student is one person by email address (case-insensitive):
 * enrolling a known address updates their name, phone and SMS consent. Consent is stored with
 * the time it was given, kept while it stands, and cleared when it is withdrawn.
 */
import type { Queryable } from '../db/database.js';
import type { StudentInput } from './student-input.js';

/** A student as the API shows them. */
export interface Student {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly smsOptIn: boolean;
  readonly smsOptInAt: Date | null;
}

/** One student's enrolment in one session. */
export interface Enrollment {
  readonly id: number;
  readonly sessionId: number;
  readonly createdAt: Date;
  readonly student: Student;
}

/** Creates or updates the student with this email; returns them. */
export async function upsertStudent(
  db: Queryable,
  input: StudentInput,
  now: Date,
): Promise<Student> {
  const { rows } = await db.query<Record<string, unknown>>(
    `INSERT INTO students (name, email, phone, sms_opt_in, sms_opt_in_at, created_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN $5::timestamptz END, $5)
     ON CONFLICT ((lower(email))) DO UPDATE SET
       name = EXCLUDED.name,
       phone = COALESCE(EXCLUDED.phone, students.phone),
       sms_opt_in = EXCLUDED.sms_opt_in,
       sms_opt_in_at = CASE WHEN NOT EXCLUDED.sms_opt_in THEN NULL
                            ELSE COALESCE(students.sms_opt_in_at, EXCLUDED.sms_opt_in_at) END
     RETURNING id, name, email, phone, sms_opt_in, sms_opt_in_at`,
    [input.name, input.email, input.phone, input.smsOptIn, now],
  );
  return toStudent(rows[0] as Record<string, unknown>);
}

/** Enrols a student; undefined when they already are. */
export async function insertEnrollment(
  db: Queryable,
  sessionId: number,
  student: Student,
  now: Date,
): Promise<Enrollment | undefined> {
  const { rows } = await db.query<{ id: number; created_at: string }>(
    `INSERT INTO enrollments (session_id, student_id, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (session_id, student_id) DO NOTHING RETURNING id, created_at`,
    [sessionId, student.id, now],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { id: Number(row.id), sessionId, createdAt: new Date(row.created_at), student };
}

/** The roster of a session, by name. */
export async function listRoster(db: Queryable, sessionId: number): Promise<Enrollment[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT e.id AS enrollment_id, e.created_at AS enrolled_at,
            s.id, s.name, s.email, s.phone, s.sms_opt_in, s.sms_opt_in_at
       FROM enrollments e JOIN students s ON s.id = e.student_id
      WHERE e.session_id = $1 ORDER BY lower(s.name), s.id`,
    [sessionId],
  );
  return rows.map((row) => ({
    id: Number(row['enrollment_id']),
    sessionId,
    createdAt: new Date(row['enrolled_at'] as string),
    student: toStudent(row),
  }));
}

function toStudent(row: Record<string, unknown>): Student {
  return {
    id: Number(row['id']),
    name: row['name'] as string,
    email: row['email'] as string,
    phone: row['phone'] as string | null,
    smsOptIn: row['sms_opt_in'] === true,
    smsOptInAt: row['sms_opt_in_at'] ? new Date(row['sms_opt_in_at'] as string) : null,
  };
}
