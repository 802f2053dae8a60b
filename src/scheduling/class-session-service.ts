/**
 * What staff can do to a class session, shared by the JSON API and the pages: create, change,
 * cancel, ask for its Zoom meeting, and settle a `needs_check`. Inputs are checked here as a
 * whole, so a bad one names every field at fault and changes nothing.
 */
import { IANAZone } from 'luxon';

import type { AppContext } from '../app/app-context.js';
import { AppError, type FieldProblem } from '../errors/app-error.js';
import { ZOOM_TOPIC_MAX_LENGTH } from '../zoom/meeting-body.js';
import { getInstructor } from './instructor-directory.js';
import * as store from './session-store.js';
import { SessionSync } from './session-sync.js';
import { enqueueSync } from './sync-queue.js';
import { SCHOOL_TIME_ZONE } from '../support/school-time.js';

/** Zone of a session when none is given: the school teaches in California. */
export const DEFAULT_TIMEZONE = SCHOOL_TIME_ZONE;

/** What staff enter for a new session. */
export interface SessionInput {
  readonly instructorId: number;
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly timezone?: string | undefined;
}

/** Fields at fault in a session's values (any of them may be absent on a change). */
export function sessionProblems(input: Partial<SessionInput>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { title, startsAt, durationMinutes, timezone } = input;

  if (title !== undefined && (title.trim() === '' || title.length > ZOOM_TOPIC_MAX_LENGTH)) {
    problems.push({ field: 'title', message: `must be 1 to ${ZOOM_TOPIC_MAX_LENGTH} characters` });
  }
  if (startsAt !== undefined && Number.isNaN(startsAt.getTime())) {
    problems.push({
      field: 'startsAt',
      message: 'must be an ISO 8601 date and time with an offset',
    });
  }
  if (
    durationMinutes !== undefined &&
    !(Number.isInteger(durationMinutes) && durationMinutes >= 1 && durationMinutes <= 1440)
  ) {
    problems.push({
      field: 'durationMinutes',
      message: 'must be a whole number of minutes from 1 to 1440',
    });
  }
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
    problems.push({
      field: 'timezone',
      message: 'must be an IANA time zone such as America/Los_Angeles',
    });
  }
  return problems;
}

/** Throws `VALIDATION_FAILED` naming every field in `problems`. */
export function assertNoProblems(problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;

  const names = [...new Set(problems.map((problem) => problem.field))].join(', ');
  throw new AppError('VALIDATION_FAILED', `invalid ${names}`, {
    fields: problems,
    detail: `These fields are invalid: ${names}.`,
  });
}

/** Creates a session; it has no Zoom meeting until staff ask for one. */
export async function createClassSession(
  ctx: AppContext,
  input: SessionInput,
  actorId: number | null,
) {
  assertNoProblems(sessionProblems(input));
  await getInstructor(ctx.db, input.instructorId);

  return store.insertSession(ctx.db, {
    instructorId: input.instructorId,
    title: input.title.trim(),
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    timezone: input.timezone ?? DEFAULT_TIMEZONE,
    createdBy: actorId,
  });
}

/** Changes a session; its meeting follows through a sync job. */
export async function changeClassSession(
  ctx: AppContext,
  id: number,
  changes: store.SessionChanges,
) {
  assertNoProblems(sessionProblems(changes));
  const trimmed = {
    ...changes,
    ...(changes.title === undefined ? {} : { title: changes.title.trim() }),
  };
  const before = await store.getSession(ctx.db, id);
  const session = await store.updateSession(ctx.db, id, trimmed);

  if (session.revision !== before.revision && session.zoomWanted) await syncSoon(ctx, id);
  return session;
}

/** Cancels a session; its meeting is deleted through a sync job. */
export async function cancelClassSession(ctx: AppContext, id: number) {
  const session = await store.cancelSession(ctx.db, id);
  if (session.syncState === 'pending') await syncSoon(ctx, id);
  return session;
}

/**
 * Starts a sync of the session now, in this process, without waiting for it, and queues a job
 * as well so the change is carried out even if this process stops. When the lease is taken,
 * its holder re-reads the session before letting go and picks the change up.
 */
export async function syncSoon(ctx: AppContext, id: number): Promise<void> {
  await enqueueSync(ctx, id, { delayMs: 5_000 });
  void runInline(ctx, id);
}

async function runInline(ctx: AppContext, id: number) {
  const result = await new SessionSync(ctx).run(id).catch((error: unknown) => {
    ctx.log.error({ err: error, sessionId: id }, 'inline session sync failed');
    return { kind: 'busy' as const };
  });
  if (result.kind === 'retry')
    await enqueueSync(ctx, id, { at: result.at, retries: 1 }).catch(() => undefined);
  return result;
}

/** The result of the one click: the session, and whether its sync settled in time. */
export interface MeetingRequestResult {
  readonly session: store.ClassSession;
  readonly settled: boolean;
}

/**
 * The one click "Create Zoom meeting": refuses at once when the host has no working Zoom link,
 * then runs the sync right here (so the answer comes as soon as Zoom's does) and waits at most
 * `waitMs`. A sync job is queued too, a few seconds out, so the work finishes even if this
 * process stops mid-way; when the inline run already settled, that job finds nothing to do.
 */
export async function requestZoomMeeting(
  ctx: AppContext,
  id: number,
  waitMs = 4_000,
): Promise<MeetingRequestResult> {
  const current = await store.getSession(ctx.db, id);
  if (current.status === 'cancelled') throw store.cancelledError(id);
  await assertConnected(ctx, current.instructorId);

  await store.requestMeeting(ctx.db, id);
  await enqueueSync(ctx, id, { delayMs: 5_000 });
  const settled = await settleWithin(ctx, id, waitMs);
  return { session: await store.getSession(ctx.db, id), settled };
}

/** Throws `ZOOM_NOT_CONNECTED` naming the instructor when their Zoom link is not working. */
export async function assertConnected(ctx: AppContext, instructorId: number): Promise<void> {
  const instructor = await getInstructor(ctx.db, instructorId);
  if (instructor.connected) return;

  throw new AppError('ZOOM_NOT_CONNECTED', 'instructor has not connected zoom', {
    detail: `${instructor.name} <${instructor.email}> has no working Zoom connection. Ask them to sign in and click "Connect Zoom".`,
    extra: { instructorId, connectionStatus: instructor.connectionStatus },
  });
}

async function settleWithin(ctx: AppContext, id: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  await Promise.race([runInline(ctx, id), sleep(waitMs)]);
  return waitUntilSettled(ctx, id, deadline);
}

async function waitUntilSettled(ctx: AppContext, id: number, deadline: number): Promise<boolean> {
  for (;;) {
    const session = await store.getSession(ctx.db, id);
    if (session.syncState !== 'pending') return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
