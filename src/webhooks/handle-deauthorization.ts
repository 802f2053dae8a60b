/**
 * `app_deauthorized`: the instructor removed the app in Zoom, so their tokens must go, at the
 * latest before Zoom's 3 seconds are up.
 *
 * The usual path is one transaction: lock the connection row, delete tokens and Zoom profile,
 * mark it deauthorized, audit, flag the upcoming sessions, record the event; the webhook is
 * answered 200 only after the commit.
 *
 * The hard case is a token refresh in flight. The token service holds the same row lock while
 * it waits for Zoom's token endpoint, which can take longer than Zoom waits for our answer. So
 * the lock is waited for at most `LOCK_WAIT_MS` (`lock_timeout`). If it cannot be had, the
 * deletion is made certain without it: a `pending` row in `zoom_deauthorizations` is committed
 * (plain inserts do not wait for the row lock), the webhook is answered 200, and the job
 * `webhooks.finish-deauthorization` deletes the tokens as soon as the lock frees. Meanwhile the
 * token service, before writing refreshed tokens under its lock, asks
 * `isDeauthorizationPending` and writes nothing when it is true; and even a refresh that wrote
 * its tokens anyway is undone by the job, which clears whatever tokens the row then holds.
 *
 * Known gap: on PGlite (the embedded single-process database) every transaction holds one
 * process-wide lock, so a refresh waiting on Zoom delays the webhook until the refresh ends (at
 * most the OAuth client's timeout). Only PostgreSQL has row locks that `lock_timeout` bounds.
 */
import type { Logger } from 'pino';

import type { AppContext } from '../app/app-context.js';
import type { AppDeauthorizedEvent } from '../zoom/webhook-event.js';
import { clearZoomUser } from './clear-zoom-user.js';
import { deauthorizationEventKey } from './deauthorization-event-key.js';
import {
  findDeauthorization,
  finishDeauthorization,
  insertDeauthorization,
  lockDeauthorization,
  type DeauthorizationRecord,
} from './deauthorization-store.js';
import { sendStaffAlerts } from './staff-alert.js';
import { FINISH_DEAUTHORIZATION_QUEUE, type FinishDeauthorizationJob } from './webhook-queues.js';

/** How long the webhook waits for a connection row locked by a refresh (Zoom waits 3 s). */
export const LOCK_WAIT_MS = 2000;

/** How long the finishing job waits for the lock before its attempt fails and is retried. */
const JOB_LOCK_WAIT_MS = 20_000;

/** What the webhook did. */
export type DeauthorizationOutcome = 'deauthorized' | 'no_connection' | 'deferred' | 'repeat';

// PostgreSQL's lock_not_available, raised when lock_timeout passes. The database layer does
// not translate it because this is the one place that reacts to it.
const LOCK_NOT_AVAILABLE = '55P03';

/** Handles a verified `app_deauthorized`; resolves once the outcome is committed. */
export async function handleDeauthorization(
  ctx: AppContext,
  event: AppDeauthorizedEvent,
  log: Logger,
): Promise<DeauthorizationOutcome> {
  const eventKey = deauthorizationEventKey(event);

  const known = await findDeauthorization(ctx.db, eventKey);
  if (known) return resumeRepeat(ctx, known);

  try {
    return await clearNow(ctx, event, eventKey);
  } catch (error) {
    if (!isLockTimeout(error)) throw error;
  }

  log.warn({ zoomUserId: event.userId }, 'zoom connection locked, deauthorization deferred');
  return defer(ctx, event, eventKey);
}

async function clearNow(
  ctx: AppContext,
  event: AppDeauthorizedEvent,
  eventKey: string,
): Promise<DeauthorizationOutcome> {
  const user = { zoomUserId: event.userId, zoomAccountId: event.accountId };

  const record = await ctx.db.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '${LOCK_WAIT_MS}ms'`);
    const affected = await clearZoomUser(tx, user, ctx.clock.now());
    const state = affected.length > 0 ? 'done' : 'no_connection';
    const id = await insertDeauthorization(tx, {
      ...deauthorizedAt(event, ctx),
      eventKey,
      state,
      affected,
    });
    return id === undefined ? undefined : { id, affected, staffAlertSent: false };
  });

  // A concurrent delivery of the same event committed first; this one found nothing left.
  if (!record) return 'repeat';

  await sendStaffAlerts(ctx, record);
  return record.affected.length > 0 ? 'deauthorized' : 'no_connection';
}

async function defer(
  ctx: AppContext,
  event: AppDeauthorizedEvent,
  eventKey: string,
): Promise<DeauthorizationOutcome> {
  const entry = {
    ...deauthorizedAt(event, ctx),
    eventKey,
    state: 'pending' as const,
    affected: [],
  };

  const id = await ctx.db.transaction((tx) => insertDeauthorization(tx, entry));
  if (id === undefined) return 'repeat';

  await enqueueFinish(ctx, id);
  return 'deferred';
}

// A redelivery changes nothing, but finishes what a crash may have left undone: a pending
// deauthorization whose job was never enqueued, or staff alerts never sent.
async function resumeRepeat(
  ctx: AppContext,
  known: DeauthorizationRecord,
): Promise<DeauthorizationOutcome> {
  if (known.state === 'pending') await enqueueFinish(ctx, known.id);
  else await sendStaffAlerts(ctx, known);

  return 'repeat';
}

/**
 * The finishing job: waits for the connection lock (bounded; a failed attempt is retried by
 * the queue), clears whatever tokens the row holds by then, and sends the staff alerts.
 */
export async function finishPendingDeauthorization(ctx: AppContext, id: number): Promise<void> {
  const record = await ctx.db.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '${JOB_LOCK_WAIT_MS}ms'`);
    const pending = await lockDeauthorization(tx, id);
    if (pending?.state !== 'pending' || pending.zoomUserId === null) return pending;

    const affected = await clearZoomUser(tx, { zoomUserId: pending.zoomUserId }, ctx.clock.now());
    await finishDeauthorization(tx, id, affected);
    return { ...pending, affected };
  });

  if (record) await sendStaffAlerts(ctx, record);
  ctx.log.info({ deauthorizationId: id }, 'deferred deauthorization finished');
}

async function enqueueFinish(ctx: AppContext, id: number): Promise<void> {
  const data: FinishDeauthorizationJob = { deauthorizationId: id };
  await ctx.jobs.send(FINISH_DEAUTHORIZATION_QUEUE, data, {
    singletonKey: `deauthorization:${id}`,
  });
}

function deauthorizedAt(event: AppDeauthorizedEvent, ctx: AppContext) {
  const at = new Date(event.deauthorizationTime);
  return {
    zoomUserId: event.userId,
    deauthorizedAt: Number.isNaN(at.getTime()) ? ctx.clock.now() : at,
  };
}

function isLockTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === LOCK_NOT_AVAILABLE;
}
