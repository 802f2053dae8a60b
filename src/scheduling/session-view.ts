/**
 * Sessions and instructors as the API and the pages show them: times as UTC `…Z`, the Zoom
 * block, and the warnings that depend on the host (plan, daily writes).
 */
import type { Static } from '@sinclair/typebox';

import type { AppContext } from '../app/app-context.js';
import type { InstructorAnswer, SessionAnswer } from './api-schemas.js';
import { hostWriteLoads } from './host-write-count.js';
import { getInstructor, type InstructorInfo } from './instructor-directory.js';
import type { ClassSession } from './session-store.js';
import { sessionWarnings } from './session-warnings.js';

/** A session in the API's shape. */
export type SessionView = Static<typeof SessionAnswer>;

/** The session with its warnings, reading the host's plan and load. */
export async function viewSession(ctx: AppContext, session: ClassSession): Promise<SessionView> {
  const instructor = await getInstructor(ctx.db, session.instructorId);
  const loads = await hostWriteLoads(ctx.db, ctx.clock.now(), [session.instructorId]);
  return sessionView(session, instructor, loads.get(session.instructorId));
}

/** The session in the API's shape, from what the caller already read. */
export function sessionView(
  session: ClassSession,
  instructor: InstructorInfo,
  load: Parameters<typeof sessionWarnings>[2],
): SessionView {
  const cancelled = session.status === 'cancelled';
  return {
    id: session.id,
    instructorId: session.instructorId,
    title: session.title,
    startsAt: session.startsAt.toISOString(),
    durationMinutes: session.durationMinutes,
    timezone: session.timezone,
    status: session.status,
    revision: session.revision,
    zoom: {
      meetingId: session.zoomMeetingId,
      joinUrl: session.zoomJoinUrl,
      syncState: session.syncState,
      lastError: session.syncErrorCode
        ? { code: session.syncErrorCode, message: session.syncErrorMessage ?? '' }
        : null,
    },
    warnings: cancelled ? [] : sessionWarnings(instructor, session.durationMinutes, load),
  };
}

/** An instructor in the API's shape. */
export function instructorView(instructor: InstructorInfo): Static<typeof InstructorAnswer> {
  return {
    id: instructor.id,
    name: instructor.name,
    email: instructor.email,
    zoom: {
      connected: instructor.connected,
      status: instructor.connectionStatus,
      email: instructor.zoomEmail,
      displayName: instructor.zoomDisplayName,
      planType: instructor.planType,
      planName: instructor.planName,
    },
  };
}
