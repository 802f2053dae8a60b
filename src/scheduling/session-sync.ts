/**
 * The sync engine: makes a session's Zoom meeting match the session as it is in the database
 * now. One pass holds the session's lease (sync-lease.ts), reads the current row, does the one
 * Zoom call that row calls for, stores the result, and reads again, until nothing differs. So a
 * reschedule that lands while a create is in flight is simply sent by the next read.
 *
 * What each state of the row calls for:
 * - cancelled with a meeting → DELETE (Zoom's 404 code 3001 counts as done);
 * - wanted, no meeting, no attempt marker → record the marker, commit, then POST a create;
 * - wanted, no meeting, a marker left by an earlier pass → `needs_check`, never a blind create
 *   (see README "Zoom meeting sync"): that earlier create may have made a meeting whose answer
 *   was lost. The meeting's agenda carries "Class session #<id>" so staff can find it;
 * - a meeting whose title, start, duration or zone differ from what was last sent → PATCH.
 *
 * No database transaction is open during a Zoom call: PGlite has one connection, and holding
 * it for seconds would stop the whole process.
 */
import type { Logger } from 'pino';

import type { AppContext } from '../app/app-context.js';
import { zoomApiFor } from '../connections/zoom-api-for.js';
import { buildMeetingBody, buildMeetingPatch } from '../zoom/meeting-body.js';
import type { CreatedZoomMeeting, ZoomApiClient } from '../zoom/api-client.js';
import { countZoomWrite } from './host-write-count.js';
import { sendSessionNotices } from './session-notices.js';
import { findSession, type ClassSession } from './session-store.js';
import { judgeFailure, LOST_CREATE_MESSAGE, type SyncStep } from './sync-failures.js';
import { claimSyncLease, releaseSyncLease, renewSyncLease, type SyncLease } from './sync-lease.js';
import * as writes from './sync-writes.js';

/** How a pass ended. */
export type SyncRunResult =
  | { readonly kind: 'settled' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'retry'; readonly at: Date };

/** What a session needs next. */
type Action =
  'create' | 'update' | 'delete' | 'flag_lost_create' | 'mark_cancelled' | 'mark_ready' | 'none';

// Each loop turn makes at most one Zoom call; a session settles in two or three.
const MAX_TURNS = 6;

/** The agenda line that lets staff find a session's meeting in the host's Zoom account. */
export function agendaOf(sessionId: number): string {
  return `Class session #${sessionId} (California Safe Driver). Students wait in the waiting room until the instructor admits them.`;
}

/** Runs sync passes for sessions. */
export class SessionSync {
  readonly #ctx: AppContext;
  readonly #log: Logger;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
    this.#log = ctx.log.child({ module: 'scheduling.sync' });
  }

  /** One pass over one session; `retries` counts earlier re-sent jobs of this session. */
  async run(sessionId: number, retries = 0): Promise<SyncRunResult> {
    for (;;) {
      const result = await this.#pass(sessionId, retries);
      if (result.kind !== 'settled') return result;

      // A change that landed between our last read and the release found the lease taken and
      // left it to us; look once more so it is not left waiting for a queued job.
      const session = await findSession(this.#ctx.db, sessionId);
      if (!session || nextAction(session) === 'none') return result;
    }
  }

  async #pass(sessionId: number, retries: number): Promise<SyncRunResult> {
    const lease = await claimSyncLease(this.#ctx.db, sessionId);
    if (!lease) return { kind: 'busy' };

    try {
      return await this.#loop(lease, retries);
    } finally {
      await releaseSyncLease(this.#ctx.db, lease);
      await sendSessionNotices(this.#ctx.db, this.#ctx.jobs, this.#log, sessionId);
    }
  }

  async #loop(lease: SyncLease, retries: number): Promise<SyncRunResult> {
    for (let turn = 0; turn < MAX_TURNS; turn += 1) {
      const session = await findSession(this.#ctx.db, lease.sessionId);
      const action = session ? nextAction(session) : 'none';
      if (!session || action === 'none') return { kind: 'settled' };

      const outcome = await this.#perform(lease, session, action, retries);
      if (outcome) return outcome;
      if (!(await renewSyncLease(this.#ctx.db, lease))) return { kind: 'busy' };
    }
    this.#log.warn({ sessionId: lease.sessionId }, 'session sync did not settle');
    return { kind: 'retry', at: new Date(this.#ctx.clock.now().getTime() + 2_000) };
  }

  async #perform(lease: SyncLease, session: ClassSession, action: Action, retries: number) {
    const db = this.#ctx.db;
    if (action === 'mark_cancelled') await writes.storeCancelled(db, lease, session);
    else if (action === 'mark_ready') await writes.storeReady(db, lease);
    else if (action === 'flag_lost_create') await this.#flagLostCreate(lease, session);
    else if (action !== 'none') return this.#callZoom(lease, session, action, retries);

    return undefined;
  }

  // Only the Zoom call's own failures are judged here. A failure to store its result must not
  // be mistaken for "Zoom made nothing": it propagates, the attempt marker stays, and the next
  // pass flags the session for a check instead of creating a second meeting.
  async #callZoom(lease: SyncLease, session: ClassSession, step: SyncStep, retries: number) {
    let created: CreatedZoomMeeting | undefined;
    try {
      const zoom = zoomApiFor(this.#ctx, session.instructorId, { timeoutMs: 8_000 });
      if (step === 'create') created = await this.#create(lease, session, zoom);
      else if (step === 'update')
        await zoom.updateMeeting(session.zoomMeetingId as string, patchOf(session));
      else await zoom.deleteMeeting(session.zoomMeetingId as string);
    } catch (error) {
      return this.#fail(lease, session, step, error, retries);
    }

    if (step === 'create' && created) await this.#storeCreated(session, created);
    else if (step === 'update') await this.#storeUpdated(lease, session);
    else if (step === 'delete') await this.#storeDeleted(lease, session);
    return undefined;
  }

  async #create(lease: SyncLease, session: ClassSession, zoom: ZoomApiClient) {
    const body = buildMeetingBody({ ...meetingInput(session), agenda: agendaOf(session.id) });
    if (!(await writes.markCreateAttempt(this.#ctx.db, lease))) return undefined;

    return zoom.createMeeting(body).catch(async (error: unknown) => {
      await this.#countIfLost(session, error);
      throw error;
    });
  }

  async #storeCreated(session: ClassSession, meeting: CreatedZoomMeeting): Promise<void> {
    await writes.storeCreatedMeeting(this.#ctx.db, session, meeting);
    await countZoomWrite(this.#ctx.db, session.instructorId, 'create', this.#ctx.clock.now());
    this.#log.info(
      { sessionId: session.id, meetingId: meeting.id, revision: session.revision },
      'zoom meeting created',
    );
  }

  async #storeUpdated(lease: SyncLease, session: ClassSession): Promise<void> {
    await countZoomWrite(this.#ctx.db, session.instructorId, 'update', this.#ctx.clock.now());
    await writes.storePatchedMeeting(this.#ctx.db, lease, session, rescheduleNotice(session));
    this.#log.info(
      { sessionId: session.id, meetingId: session.zoomMeetingId, revision: session.revision },
      'zoom meeting updated',
    );
  }

  async #storeDeleted(lease: SyncLease, session: ClassSession): Promise<void> {
    await writes.storeCancelled(this.#ctx.db, lease, session);
    this.#log.info(
      { sessionId: session.id, meetingId: session.zoomMeetingId },
      'zoom meeting deleted',
    );
  }

  async #flagLostCreate(lease: SyncLease, session: ClassSession): Promise<void> {
    this.#log.warn(
      { sessionId: session.id, attemptAt: session.createAttemptAt },
      'earlier zoom create unconfirmed',
    );
    await writes.storeFailure(this.#ctx.db, lease, {
      state: 'needs_check',
      problem: { code: 'ZOOM_CREATE_UNCONFIRMED', message: LOST_CREATE_MESSAGE },
      clearAttempt: false,
    });
  }

  async #fail(
    lease: SyncLease,
    session: ClassSession,
    step: SyncStep,
    error: unknown,
    retries: number,
  ) {
    const verdict = judgeFailure(error, step, retries, this.#ctx.clock.now());
    const zoomCode = (error as { extra?: { zoomCode?: unknown } }).extra?.zoomCode;
    this.#log.warn(
      {
        sessionId: session.id,
        step,
        code: verdict.write.problem.code,
        zoomCode,
        state: verdict.write.state,
      },
      'zoom sync step failed',
    );
    if (step === 'delete' && verdict.write.problem.code === 'ZOOM_MEETING_NOT_FOUND') {
      await writes.storeCancelled(this.#ctx.db, lease, session);
      return undefined;
    }

    await writes.storeFailure(this.#ctx.db, lease, verdict.write);
    return verdict.kind === 'retry'
      ? ({ kind: 'retry', at: verdict.at } as const)
      : ({ kind: 'settled' } as const);
  }

  // A create whose answer was lost probably reached Zoom, so it counts against the host's 100.
  async #countIfLost(session: ClassSession, error: unknown): Promise<void> {
    if ((error as { code?: unknown }).code !== 'ZOOM_ANSWER_LOST') return;
    await countZoomWrite(this.#ctx.db, session.instructorId, 'create', this.#ctx.clock.now());
  }
}

/** What a session needs next, from its row alone. */
export function nextAction(session: ClassSession): Action {
  if (session.status === 'cancelled') return cancelledAction(session);
  if (!session.zoomWanted || session.syncState === 'needs_check') return 'none';
  if (session.zoomMeetingId === null)
    return session.createAttemptAt ? 'flag_lost_create' : 'create';
  if (differs(session)) return session.syncState === 'host_disconnected' ? 'none' : 'update';

  return session.syncState === 'pending' ? 'mark_ready' : 'none';
}

function cancelledAction(session: ClassSession): Action {
  if (session.zoomMeetingId !== null) return 'delete';
  if (session.createAttemptAt !== null)
    return session.syncState === 'needs_check' ? 'none' : 'flag_lost_create';

  return session.syncState === 'cancelled' ? 'none' : 'mark_cancelled';
}

function differs(session: ClassSession): boolean {
  const synced = session.synced;
  if (!synced) return true;

  return (
    synced.title !== session.title ||
    synced.startsAt.getTime() !== session.startsAt.getTime() ||
    synced.durationMinutes !== session.durationMinutes ||
    synced.timezone !== session.timezone
  );
}

function meetingInput(session: ClassSession) {
  return {
    title: session.title,
    startsAt: session.startsAt,
    durationMinutes: session.durationMinutes,
    timezone: session.timezone,
  };
}

function patchOf(session: ClassSession) {
  return buildMeetingPatch(changedFields(session));
}

// Students hear of a move of time or length; a new title alone travels only to Zoom.
function rescheduleNotice(session: ClassSession): writes.NoticeInput | undefined {
  const before = session.synced;
  if (!before) return undefined;
  const moved =
    before.startsAt.getTime() !== session.startsAt.getTime() ||
    before.durationMinutes !== session.durationMinutes;
  if (!moved) return undefined;

  return {
    kind: 'rescheduled',
    revision: session.revision,
    previousStartsAt: before.startsAt,
    previousDurationMinutes: before.durationMinutes,
    startsAt: session.startsAt,
    durationMinutes: session.durationMinutes,
  };
}

// Only what changed goes to Zoom; a new start always travels with its zone, so Zoom shows the
// local time right.
function changedFields(session: ClassSession) {
  const synced = session.synced;
  const startMoved =
    !synced ||
    synced.startsAt.getTime() !== session.startsAt.getTime() ||
    synced.timezone !== session.timezone;
  return {
    ...(synced?.title === session.title ? {} : { title: session.title }),
    ...(startMoved ? { startsAt: session.startsAt, timezone: session.timezone } : {}),
    ...(synced?.durationMinutes === session.durationMinutes
      ? {}
      : { durationMinutes: session.durationMinutes }),
  };
}
