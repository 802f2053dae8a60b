import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { isAppError } from '../../src/errors/app-error.js';
import { buildMeetingBody, buildMeetingPatch, formatZoomUtc } from '../../src/zoom/meeting-body.js';

const LA = 'America/Los_Angeles';

function laInstant(localIso: string): Date {
  return DateTime.fromISO(localIso, { zone: LA }).toJSDate();
}

function body(startsAt: Date) {
  return buildMeetingBody({
    title: 'Class',
    startsAt,
    durationMinutes: 240,
    timezone: LA,
    agenda: 'Bring your citation',
  });
}

describe('buildMeetingBody', () => {
  it('builds a scheduled meeting with class settings', () => {
    expect(body(new Date('2026-01-15T17:00:00.123Z'))).toEqual({
      topic: 'Class',
      type: 2,
      start_time: '2026-01-15T17:00:00Z',
      duration: 240,
      timezone: LA,
      agenda: 'Bring your citation',
      settings: {
        waiting_room: true,
        join_before_host: false,
        mute_upon_entry: true,
        auto_recording: 'none',
        approval_type: 2,
      },
    });
  });

  it('sends a 9:00 class on the day daylight time starts (2026-03-08) as 16:00 UTC', () => {
    expect(body(laInstant('2026-03-08T09:00')).start_time).toBe('2026-03-08T16:00:00Z');
    expect(body(laInstant('2026-03-07T09:00')).start_time).toBe('2026-03-07T17:00:00Z');
  });

  it('sends a 9:00 class on the day daylight time ends (2026-11-01) as 17:00 UTC', () => {
    expect(body(laInstant('2026-11-01T09:00')).start_time).toBe('2026-11-01T17:00:00Z');
    expect(body(laInstant('2026-10-31T09:00')).start_time).toBe('2026-10-31T16:00:00Z');
  });

  it('keeps the two 1:30 instants of the repeated hour on 2026-11-01 apart', () => {
    const first = new Date('2026-11-01T08:30:00Z');
    const second = new Date('2026-11-01T09:30:00Z');

    expect(DateTime.fromJSDate(first, { zone: LA }).toFormat('HH:mm')).toBe('01:30');
    expect(DateTime.fromJSDate(second, { zone: LA }).toFormat('HH:mm')).toBe('01:30');
    expect([body(first).start_time, body(second).start_time]).toEqual([
      '2026-11-01T08:30:00Z',
      '2026-11-01T09:30:00Z',
    ]);
  });

  it('accepts a title of exactly 200 characters and cuts an agenda to 2000', () => {
    const built = buildMeetingBody({
      title: 'x'.repeat(200),
      startsAt: new Date(),
      durationMinutes: 60,
      timezone: LA,
      agenda: 'a'.repeat(2500),
    });

    expect(built.topic).toHaveLength(200);
    expect(built.agenda).toHaveLength(2000);
  });

  it('names every bad field at once', () => {
    try {
      buildMeetingBody({
        title: 'x'.repeat(201),
        startsAt: new Date('nope'),
        durationMinutes: 0,
        timezone: 'Mars/Base',
      });
      expect.unreachable('built');
    } catch (error) {
      expect(isAppError(error, 'VALIDATION_FAILED')).toBe(true);
      expect(isAppError(error) && error.fields?.map((field) => field.field)).toEqual([
        'title',
        'startsAt',
        'durationMinutes',
        'timezone',
      ]);
    }
  });
});

describe('buildMeetingPatch', () => {
  it('carries only the changed fields', () => {
    expect(buildMeetingPatch({ startsAt: laInstant('2026-03-08T09:00'), timezone: LA })).toEqual({
      start_time: '2026-03-08T16:00:00Z',
      timezone: LA,
    });
    expect(buildMeetingPatch({ title: 'Renamed' })).toEqual({ topic: 'Renamed' });
  });
});

describe('formatZoomUtc', () => {
  it('drops milliseconds and ends in Z', () => {
    expect(formatZoomUtc(new Date('2026-07-04T10:11:12.999Z'))).toBe('2026-07-04T10:11:12Z');
  });
});
