/**
 * Enrolling students, one at a time or a whole roster. A roster is checked row by row first
 * and then written in one transaction, so a file with a bad row changes nothing. Students
 * enrolled once the session's meeting is ready get the current join message right away.
 */
import type { AppContext } from '../app/app-context.js';
import type { Queryable } from '../db/database.js';
import { AppError, type FieldProblem } from '../errors/app-error.js';
import { insertEnrollment, upsertStudent, type Enrollment } from './enrollment-store.js';
import { sendCurrentJoinMessage } from './fan-out.js';
import { parseRosterCsv } from './roster-csv.js';
import { loadSessionFacts } from './session-facts.js';
import { checkStudent, type RawStudent, type StudentInput } from './student-input.js';

/** A bad row of a roster file. */
export interface RosterProblem {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

/** What a roster import did. */
export interface RosterImport {
  readonly enrolled: number;
  readonly alreadyEnrolled: number;
}

/** Enrols one student; `VALIDATION_FAILED`, `NOT_FOUND`, `SESSION_CANCELLED` or `CONFLICT`. */
export async function enrolStudent(
  ctx: AppContext,
  sessionId: number,
  raw: RawStudent,
): Promise<Enrollment> {
  const { student, problems } = checkStudent(raw);
  if (!student) throw invalid(problems);
  await requireOpenSession(ctx.db, sessionId);

  const enrollment = await ctx.db.transaction((tx) =>
    enrolIn(tx, sessionId, student, ctx.clock.now()),
  );
  if (!enrollment) {
    throw new AppError('CONFLICT', 'student is already enrolled', {
      fields: [{ field: 'email', message: 'is already enrolled in this session' }],
    });
  }

  await sendCurrentJoinMessage(ctx, sessionId, [enrollment.student.id]);
  return enrollment;
}

/** Imports a roster file: every row or none. `ROSTER_INVALID` lists the bad rows. */
export async function importRoster(
  ctx: AppContext,
  sessionId: number,
  csv: string,
): Promise<RosterImport> {
  await requireOpenSession(ctx.db, sessionId);
  const students = checkRoster(csv);

  const now = ctx.clock.now();
  const enrolled = await ctx.db.transaction(async (tx) => {
    const made: Enrollment[] = [];
    for (const student of students) {
      const enrollment = await enrolIn(tx, sessionId, student, now);
      if (enrollment) made.push(enrollment);
    }
    return made;
  });

  await sendCurrentJoinMessage(
    ctx,
    sessionId,
    enrolled.map((e) => e.student.id),
  );
  return { enrolled: enrolled.length, alreadyEnrolled: students.length - enrolled.length };
}

function checkRoster(csv: string): StudentInput[] {
  const parsed = parseRosterCsv(csv);
  if (parsed.problem) throw rosterInvalid([{ line: 1, field: 'file', message: parsed.problem }]);
  if (parsed.rows.length === 0)
    throw rosterInvalid([{ line: 1, field: 'file', message: 'has no student rows' }]);

  const problems: RosterProblem[] = [];
  const students: StudentInput[] = [];
  const seen = new Map<string, number>();
  for (const row of parsed.rows) {
    const checked = checkStudent(row.raw);
    problems.push(
      ...checked.problems.map((p) => ({ line: row.line, field: p.field, message: p.message })),
    );
    if (!checked.student) continue;

    const key = checked.student.email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({ line: row.line, field: 'email', message: `repeats line ${first}` });
    seen.set(key, first ?? row.line);
    students.push(checked.student);
  }

  if (problems.length > 0) throw rosterInvalid(problems);
  return students;
}

async function enrolIn(tx: Queryable, sessionId: number, input: StudentInput, now: Date) {
  const student = await upsertStudent(tx, input, now);
  return insertEnrollment(tx, sessionId, student, now);
}

async function requireOpenSession(db: Queryable, sessionId: number): Promise<void> {
  const session = await loadSessionFacts(db, sessionId);
  if (!session) throw new AppError('NOT_FOUND', 'class session not found');
  if (session.status === 'cancelled')
    throw new AppError('SESSION_CANCELLED', 'class session is cancelled');
}

function invalid(problems: FieldProblem[]): AppError {
  const names = problems.map((p) => p.field).join(', ');
  return new AppError('VALIDATION_FAILED', `invalid ${names}`, {
    fields: problems,
    detail: `These fields are invalid: ${names}.`,
  });
}

function rosterInvalid(problems: RosterProblem[]): AppError {
  return new AppError('ROSTER_INVALID', 'roster has bad rows', {
    fields: problems.map((p) => ({ field: `line ${p.line}: ${p.field}`, message: p.message })),
    detail: `${problems.length} problem(s) found; nothing was imported.`,
    extra: { rows: problems },
  });
}
