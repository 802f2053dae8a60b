import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { systemClock } from '../../src/support/clock.js';
import { connectInstructor } from '../support/connect-instructor.js';
import { waitFor } from '../support/processes.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { staffApi, type StaffApi } from './scheduling-harness.js';

const maria = 'KDcuGIm1QgePTO8WbOqwIQ';
const dan = 'z8yBXksPRMa7q3VbLX1Rwg';

describe('a class session’s Zoom meeting from creation to cancellation', () => {
  let stack: ZoomStack;
  let api: StaffApi;
  let instructorId: number;
  let basicInstructorId: number;

  beforeAll(async () => {
    stack = await startZoomStack({ clock: systemClock });
    api = await staffApi(stack.app);
    instructorId = (await connectInstructor(stack, { zoomUserId: maria })).user.id;
    basicInstructorId = (await connectInstructor(stack, { zoomUserId: dan })).user.id;
  });
  afterAll(async () => stack?.close());

  it('creates the meeting in one click with the class settings, then follows a reschedule and a cancel', async () => {
    const session = await api.createSession({
      instructorId,
      title: 'Traffic school, evening',
      startsAt: '2026-12-20T18:00:00-08:00',
      durationMinutes: 120,
    });
    expect(session.startsAt).toBe('2026-12-21T02:00:00.000Z');
    expect(session.zoom).toEqual({
      meetingId: null,
      joinUrl: null,
      syncState: 'none',
      lastError: null,
    });

    const click = await api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`);
    expect(click.status).toBe(200);
    expect(click.body.zoom.syncState).toBe('ready');
    const meetings = stack.zoom.simulator.meetingsOf(maria);
    expect(meetings).toHaveLength(1);
    const meeting = meetings[0]!;
    expect(click.body.zoom.meetingId).toBe(String(meeting.id));
    expect(click.body.zoom.joinUrl).toBe(meeting.join_url);
    expect(meeting).toMatchObject({
      topic: 'Traffic school, evening',
      start_time: '2026-12-21T02:00:00Z',
      duration: 120,
      timezone: 'America/Los_Angeles',
    });
    expect(meeting.agenda).toContain(`Class session #${session.id}`);
    expect(meeting.settings).toMatchObject({
      waiting_room: true,
      join_before_host: false,
      mute_upon_entry: true,
      auto_recording: 'none',
    });

    const moved = await api.call('PATCH', `/api/v1/class-sessions/${session.id}`, {
      startsAt: '2026-12-22T10:30:00+00:00',
      durationMinutes: 90,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.revision).toBe(session.revision + 1);
    await waitFor(
      () => stack.zoom.simulator.meetingsOf(maria)[0]?.start_time === '2026-12-22T10:30:00Z',
      10_000,
      'the patch',
    );
    expect(stack.zoom.simulator.meetingsOf(maria)[0]).toMatchObject({
      duration: 90,
      topic: 'Traffic school, evening',
    });
    expect(
      stack.zoom.simulator.requests('update_meeting').filter((r) => r.status === 204),
    ).toHaveLength(1);
    expect((await api.settled(session.id)).zoom.syncState).toBe('ready');

    const cancelled = await api.call('POST', `/api/v1/class-sessions/${session.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const gone = await api.settled(session.id, ['cancelled']);
    expect(gone.status).toBe('cancelled');
    expect(stack.zoom.simulator.meetingsOf(maria)).toHaveLength(0);
    expect(stack.zoom.simulator.meetingsOf(maria, true)[0]?.deleted_at).not.toBeNull();
  });

  it('sends one session-changed notice per change, keyed by revision', async () => {
    const session = await api.createSession({
      instructorId,
      title: 'Notice check',
      startsAt: '2026-12-28T17:00:00Z',
      durationMinutes: 60,
    });
    await api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`);
    await api.call('PATCH', `/api/v1/class-sessions/${session.id}`, {
      startsAt: '2026-12-29T17:00:00Z',
    });
    await api.settled(session.id, ['ready']);
    await waitFor(
      async () =>
        (await api.session(session.id)).revision === 2 &&
        stack.zoom.simulator.meetingsOf(maria).some((m) => m.start_time === '2026-12-29T17:00:00Z'),
      10_000,
      'reschedule',
    );

    const { rows } = await waitFor(
      async () => {
        const result = await stack.app.ctx.db.query<{ data: Record<string, unknown> }>(
          `SELECT data FROM pgboss.job WHERE name = 'notify.session-changed' AND (data->>'sessionId')::int = $1 ORDER BY created_on`,
          [session.id],
        );
        return result.rows.length >= 2 ? result : undefined;
      },
      10_000,
      'notices',
    );
    expect(rows.map((row) => row.data)).toEqual([
      { sessionId: session.id, kind: 'meeting_ready', revision: 1 },
      {
        sessionId: session.id,
        kind: 'rescheduled',
        revision: 2,
        previousStartsAt: '2026-12-28T17:00:00.000Z',
        previousDurationMinutes: 60,
        startsAt: '2026-12-29T17:00:00.000Z',
        durationMinutes: 60,
      },
    ]);
  });

  it('answers ZOOM_NOT_CONNECTED with the instructor’s name and email when the host has no Zoom link', async () => {
    const { seedUser } = await import('../support/http.js');
    const loner = await seedUser(stack.app, {
      role: 'instructor',
      name: 'Nora Notlinked',
      email: 'nora@example.test',
    });
    const session = await api.createSession({
      instructorId: loner.id,
      title: 'No Zoom yet',
      startsAt: '2026-12-30T17:00:00Z',
      durationMinutes: 60,
    });

    const click = await api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`);
    expect(click.status).toBe(409);
    expect(click.type).toContain('application/problem+json');
    expect(click.body.code).toBe('ZOOM_NOT_CONNECTED');
    expect(click.body.detail).toContain('Nora Notlinked');
    expect(click.body.detail).toContain('nora@example.test');
    expect((await api.session(session.id)).zoom.syncState).toBe('none');
  });

  it('warns about the Basic plan’s 40-minute cap at creation and on every reschedule', async () => {
    const session = await api.createSession({
      instructorId: basicInstructorId,
      title: 'Long class',
      startsAt: '2026-12-31T17:00:00Z',
      durationMinutes: 120,
    });
    expect(session.warnings.map((w) => w.code)).toContain('BASIC_PLAN_40_MIN_CAP');

    const shorter = await api.call('PATCH', `/api/v1/class-sessions/${session.id}`, {
      durationMinutes: 40,
    });
    expect(shorter.body.warnings).toEqual([]);
    const longer = await api.call('PATCH', `/api/v1/class-sessions/${session.id}`, {
      durationMinutes: 41,
    });
    expect(longer.body.warnings.map((w: { code: string }) => w.code)).toEqual([
      'BASIC_PLAN_40_MIN_CAP',
    ]);

    const instructors = await api.call('GET', '/api/v1/instructors');
    const dansRow = instructors.body.find((one: { id: number }) => one.id === basicInstructorId);
    expect(dansRow.zoom).toMatchObject({
      connected: true,
      planType: 1,
      planName: 'Basic',
      email: 'dan.brooks@example.com',
    });
  });

  it('rejects invalid input naming every field and changes nothing', async () => {
    const before = await stack.app.ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM class_sessions',
    );
    const bad = await api.call('POST', '/api/v1/class-sessions', {
      instructorId,
      title: '',
      startsAt: '2026-12-20 18:00',
      durationMinutes: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'durationMinutes',
      'startsAt',
      'title',
    ]);

    const noOffset = await api.call('POST', '/api/v1/class-sessions', {
      instructorId,
      title: 'x',
      startsAt: '2026-12-20T18:00:00',
      durationMinutes: 30,
    });
    expect(noOffset.body.errors.map((e: { field: string }) => e.field)).toEqual(['startsAt']);
    const badZone = await api.call('POST', '/api/v1/class-sessions', {
      instructorId,
      title: 'x',
      startsAt: '2026-12-20T18:00:00Z',
      durationMinutes: 30,
      timezone: 'Mars/Olympus',
    });
    expect(badZone.body.errors.map((e: { field: string }) => e.field)).toEqual(['timezone']);
    const notInstructor = await api.call('POST', '/api/v1/class-sessions', {
      instructorId: 999999,
      title: 'x',
      startsAt: '2026-12-20T18:00:00Z',
      durationMinutes: 30,
    });
    expect(notInstructor.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'instructorId',
    ]);

    const after = await stack.app.ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM class_sessions',
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    const missing = await api.call('GET', '/api/v1/class-sessions/987654');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('lists every scheduling route with its schemas in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/instructors',
      '/api/v1/class-sessions',
      '/api/v1/class-sessions/{id}',
      '/api/v1/class-sessions/{id}/zoom-meeting',
      '/api/v1/class-sessions/{id}/cancel',
      '/api/v1/class-sessions/{id}/zoom-check',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(
      doc.paths['/api/v1/class-sessions'].post.requestBody.content['application/json'].schema
        .required,
    ).toEqual(expect.arrayContaining(['instructorId', 'title', 'startsAt', 'durationMinutes']));
    expect(
      doc.paths['/api/v1/class-sessions/{id}/zoom-meeting'].post.responses['202'],
    ).toBeDefined();
  });
});
