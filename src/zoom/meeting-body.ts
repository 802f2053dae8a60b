/**
 * The request bodies the product sends to Zoom for a class session. The start goes as a UTC
 * instant `yyyy-MM-ddTHH:mm:ssZ` (no milliseconds, Zoom's documented form) together with the
 * class's IANA time zone, so Zoom shows local time right across daylight-saving changes.
 */
import { IANAZone } from 'luxon';

import { AppError, type FieldProblem } from '../errors/app-error.js';

/** Zoom's limit on `topic`. */
export const ZOOM_TOPIC_MAX_LENGTH = 200;
/** Zoom's limit on `agenda`. */
export const ZOOM_AGENDA_MAX_LENGTH = 2000;

/** The settings every class meeting gets: students wait to be admitted, muted, no recording. */
export interface ZoomClassSettings {
  readonly waiting_room: true;
  readonly join_before_host: false;
  readonly mute_upon_entry: true;
  readonly auto_recording: 'none';
  readonly approval_type: 2;
}

/** Body of `POST /users/me/meetings` for a scheduled (type 2) class meeting. */
export interface ZoomMeetingBody {
  readonly topic: string;
  readonly type: 2;
  readonly start_time: string;
  readonly duration: number;
  readonly timezone: string;
  readonly agenda?: string;
  readonly settings: ZoomClassSettings;
}

/** Body of `PATCH /meetings/{id}`: only what changed. */
export interface ZoomMeetingPatch {
  readonly topic?: string;
  readonly start_time?: string;
  readonly duration?: number;
  readonly timezone?: string;
  readonly agenda?: string;
}

/** A class session as the meeting body needs it. */
export interface MeetingBodyInput {
  readonly title: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  /** IANA zone, e.g. `America/Los_Angeles`. */
  readonly timezone: string;
  readonly agenda?: string;
}

const CLASS_SETTINGS: ZoomClassSettings = Object.freeze({
  waiting_room: true,
  join_before_host: false,
  mute_upon_entry: true,
  auto_recording: 'none',
  approval_type: 2,
});

/** Builds the create body; a bad input throws `VALIDATION_FAILED` naming the fields. */
export function buildMeetingBody(input: MeetingBodyInput): ZoomMeetingBody {
  assertValid(checkInput(input));

  return {
    topic: input.title,
    type: 2,
    start_time: formatZoomUtc(input.startsAt),
    duration: input.durationMinutes,
    timezone: input.timezone,
    ...(input.agenda === undefined ? {} : { agenda: agendaText(input.agenda) }),
    settings: { ...CLASS_SETTINGS },
  };
}

/** Builds an update body from the changed fields only. */
export function buildMeetingPatch(input: Partial<MeetingBodyInput>): ZoomMeetingPatch {
  assertValid(checkInput(input));

  return {
    ...(input.title === undefined ? {} : { topic: input.title }),
    ...(input.startsAt === undefined ? {} : { start_time: formatZoomUtc(input.startsAt) }),
    ...(input.durationMinutes === undefined ? {} : { duration: input.durationMinutes }),
    ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
    ...(input.agenda === undefined ? {} : { agenda: agendaText(input.agenda) }),
  };
}

/** A UTC instant as `yyyy-MM-ddTHH:mm:ssZ`, milliseconds cut. */
export function formatZoomUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The agenda is descriptive text the product writes; cutting it is kinder than refusing the class.
function agendaText(agenda: string): string {
  return agenda.slice(0, ZOOM_AGENDA_MAX_LENGTH);
}

function checkInput(input: Partial<MeetingBodyInput>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { title, startsAt, durationMinutes, timezone } = input;

  if (title !== undefined && (title.trim() === '' || title.length > ZOOM_TOPIC_MAX_LENGTH)) {
    problems.push({ field: 'title', message: `must be 1 to ${ZOOM_TOPIC_MAX_LENGTH} characters` });
  }
  if (startsAt !== undefined && Number.isNaN(startsAt.getTime())) {
    problems.push({ field: 'startsAt', message: 'must be a valid instant' });
  }
  if (
    durationMinutes !== undefined &&
    !(Number.isInteger(durationMinutes) && durationMinutes > 0)
  ) {
    problems.push({ field: 'durationMinutes', message: 'must be a positive whole number' });
  }
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
    problems.push({ field: 'timezone', message: 'must be an IANA time zone' });
  }
  return problems;
}

function assertValid(problems: FieldProblem[]): void {
  if (problems.length === 0) return;

  throw new AppError('VALIDATION_FAILED', 'meeting details invalid', { fields: problems });
}
