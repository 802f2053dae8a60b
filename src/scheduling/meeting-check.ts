/**
 * Settling a `needs_check`: a create whose answer was lost may or may not have made a meeting,
 * and only a look at the host's Zoom account tells (the product's scopes do not include listing
 * a host's meetings, and Zoom has no idempotency key for creates). Staff then either say "there
 * is none" (the marker is cleared and the create is sent again) or enter the meeting id they
 * found, which is read back from Zoom before it is stored.
 */
import type { AppContext } from '../app/app-context.js';
import { zoomApiFor } from '../connections/zoom-api-for.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { assertConnected, syncSoon } from './class-session-service.js';
import * as store from './session-store.js';

function notNeedingCheck(id: number): AppError {
  return new AppError('SESSION_NOT_SYNCABLE', 'class session does not need a check', {
    detail: `Class session ${id} is not waiting for a Zoom check.`,
  });
}

/** Staff checked Zoom and found no meeting: clear the marker and create again. */
export async function createAgainAfterCheck(
  ctx: AppContext,
  id: number,
): Promise<store.ClassSession> {
  const { rowCount } = await ctx.db.query(
    `UPDATE class_sessions
        SET create_attempt_at = NULL, sync_error_code = NULL, sync_error_message = NULL,
            sync_state = CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'pending' END,
            revision = revision + 1, updated_at = now()
      WHERE id = $1 AND sync_state = 'needs_check' AND zoom_meeting_id IS NULL`,
    [id],
  );
  if (rowCount !== 1) throw notNeedingCheck((await store.getSession(ctx.db, id)).id);

  ctx.log.info({ sessionId: id }, 'zoom check done, create allowed again');
  await syncSoon(ctx, id);
  return store.getSession(ctx.db, id);
}

/** Staff found the meeting in Zoom: read it back, store it, and let the sync bring it in line. */
export async function linkFoundMeeting(
  ctx: AppContext,
  id: number,
  meetingId: string,
): Promise<store.ClassSession> {
  const session = await store.getSession(ctx.db, id);
  if (session.syncState !== 'needs_check' || session.zoomMeetingId !== null)
    throw notNeedingCheck(id);
  await assertConnected(ctx, session.instructorId);

  const meeting = await readMeeting(ctx, session.instructorId, meetingId);
  await ctx.db.query(
    `UPDATE class_sessions
        SET zoom_meeting_id = $2, zoom_join_url = $3, create_attempt_at = NULL,
            synced_title = $4, synced_starts_at = $5, synced_duration_minutes = $6,
            synced_timezone = $7, synced_revision = revision, synced_at = now(),
            sync_state = 'pending', sync_error_code = NULL, sync_error_message = NULL, updated_at = now()
      WHERE id = $1 AND sync_state = 'needs_check' AND zoom_meeting_id IS NULL`,
    [
      id,
      meeting.id,
      meeting.joinUrl,
      meeting.topic,
      new Date(meeting.startTime),
      meeting.duration,
      meeting.timezone ?? session.timezone,
    ],
  );
  await ctx.db.query(
    `INSERT INTO session_change_notices (session_id, kind, revision)
     SELECT id, 'meeting_ready', revision FROM class_sessions WHERE id = $1 AND status = 'scheduled'
     ON CONFLICT DO NOTHING`,
    [id],
  );

  ctx.log.info({ sessionId: id, meetingId: meeting.id }, 'zoom meeting linked after check');
  await syncSoon(ctx, id);
  return store.getSession(ctx.db, id);
}

async function readMeeting(ctx: AppContext, instructorId: number, meetingId: string) {
  const id = meetingId.replace(/\s+/g, '');
  try {
    return await zoomApiFor(ctx, instructorId).getMeeting(id);
  } catch (error) {
    if (isAppError(error, 'ZOOM_MEETING_NOT_FOUND') || isAppError(error, 'VALIDATION_FAILED')) {
      throw new AppError('VALIDATION_FAILED', 'invalid meetingId', {
        fields: [
          { field: 'meetingId', message: "is not a meeting in this instructor's Zoom account" },
        ],
        detail: 'These fields are invalid: meetingId.',
      });
    }
    throw error;
  }
}
