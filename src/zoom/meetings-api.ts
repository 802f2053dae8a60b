/**
 * Meeting CRUD on the token owner's account. Each call returns only the fields the product
 * stores or shows; Zoom's `start_url` (a host credential), every passcode and all other fields
 * are dropped here on arrival and are never returned nor logged.
 */
import { Type } from '@sinclair/typebox';

import { AppError, isAppError } from '../errors/app-error.js';
import type { ZoomMeetingBody, ZoomMeetingPatch } from './meeting-body.js';
import { readZoomAnswer } from './zoom-answer.js';
import type { ZoomHttp } from './zoom-http.js';

/** What the product keeps of a new meeting. `id` is Zoom's int64 meeting number as text. */
export interface CreatedZoomMeeting {
  readonly id: string;
  readonly joinUrl: string;
}

/** What the product reads back of a meeting. `startTime` is Zoom's UTC instant text. */
export interface ZoomMeetingDetails {
  readonly id: string;
  readonly topic: string;
  readonly startTime: string;
  readonly duration: number;
  readonly timezone: string | null;
  readonly joinUrl: string;
}

/** Result of a delete: `alreadyGone` when Zoom had no such meeting (404, code 3001 or 1001). */
export interface ZoomDeleteResult {
  readonly alreadyGone: boolean;
}

const MeetingId = Type.String({ pattern: '^[0-9]{1,20}$' });
const JoinUrl = Type.String({ pattern: '^https?://' });

const CreatedAnswer = Type.Object({ id: MeetingId, join_url: JoinUrl });

const DetailsAnswer = Type.Object({
  id: MeetingId,
  topic: Type.String(),
  start_time: Type.String({ minLength: 1 }),
  duration: Type.Integer({ minimum: 0 }),
  timezone: Type.Optional(Type.String()),
  join_url: JoinUrl,
});

/**
 * Creates a meeting. A create whose answer was lost fails with `ZOOM_ANSWER_LOST` and is never
 * repeated here (see zoom-http.ts): the caller must check before creating again.
 */
export async function createMeeting(
  http: ZoomHttp,
  body: ZoomMeetingBody,
): Promise<CreatedZoomMeeting> {
  const answer = await http.send({
    method: 'POST',
    path: '/users/me/meetings',
    body,
    expectStatus: 201,
    resource: 'meeting',
  });
  const created = readZoomAnswer(answer.text, CreatedAnswer, 'meeting', { idsAsText: true });

  return { id: created.id, joinUrl: created.join_url };
}

/** Reads a meeting; a missing one fails with `ZOOM_MEETING_NOT_FOUND`. */
export async function getMeeting(http: ZoomHttp, meetingId: string): Promise<ZoomMeetingDetails> {
  const answer = await http.send({
    method: 'GET',
    path: meetingPath(meetingId),
    expectStatus: 200,
    resource: 'meeting',
  });
  const body = readZoomAnswer(answer.text, DetailsAnswer, 'meeting', { idsAsText: true });

  return {
    id: body.id,
    topic: body.topic,
    startTime: body.start_time,
    duration: body.duration,
    timezone: body.timezone ?? null,
    joinUrl: body.join_url,
  };
}

/** Applies a patch (Zoom answers 204, no body); `ZOOM_MEETING_NOT_FOUND` when Zoom has none. */
export async function updateMeeting(
  http: ZoomHttp,
  meetingId: string,
  patch: ZoomMeetingPatch,
): Promise<void> {
  await http.send({
    method: 'PATCH',
    path: meetingPath(meetingId),
    body: patch,
    expectStatus: 204,
    resource: 'meeting',
  });
}

/** Deletes a meeting; one Zoom no longer has counts as done, so a retried cancel never loops. */
export async function deleteMeeting(http: ZoomHttp, meetingId: string): Promise<ZoomDeleteResult> {
  try {
    await http.send({
      method: 'DELETE',
      path: meetingPath(meetingId),
      expectStatus: 204,
      resource: 'meeting',
    });
    return { alreadyGone: false };
  } catch (error) {
    if (isGoneError(error)) return { alreadyGone: true };
    throw error;
  }
}

function isGoneError(error: unknown): boolean {
  if (!isAppError(error, 'ZOOM_MEETING_NOT_FOUND')) return false;

  const zoomCode = error.extra?.zoomCode;
  return zoomCode === 3001 || zoomCode === 1001;
}

function meetingPath(meetingId: string): string {
  if (!/^[0-9]{1,20}$/.test(meetingId)) {
    throw new AppError('VALIDATION_FAILED', 'zoom meeting id invalid', {
      fields: [{ field: 'meetingId', message: 'must be a Zoom meeting number' }],
    });
  }
  return `/meetings/${meetingId}`;
}
