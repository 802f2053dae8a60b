import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { systemClock } from '../../src/support/clock.js';
import { connectInstructor } from '../support/connect-instructor.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { staffApi, type StaffApi } from './scheduling-harness.js';

const maria = 'KDcuGIm1QgePTO8WbOqwIQ';

describe('start times across daylight-saving changes, and host secrets', () => {
  let stack: ZoomStack;
  let api: StaffApi;
  let instructorId: number;

  beforeAll(async () => {
    stack = await startZoomStack({ clock: systemClock });
    api = await staffApi(stack.app);
    instructorId = (await connectInstructor(stack, { zoomUserId: maria })).user.id;
  });
  afterAll(async () => stack?.close());

  it.each([
    [
      'the spring change (2026-03-08, PDT after 02:00)',
      '2026-03-08T10:00:00-07:00',
      '2026-03-08T17:00:00Z',
    ],
    [
      'the autumn change (2026-11-01, PST after 02:00)',
      '2026-11-01T10:00:00-08:00',
      '2026-11-01T18:00:00Z',
    ],
    [
      'the small hours before the autumn change (01:30 PDT)',
      '2026-11-01T01:30:00-07:00',
      '2026-11-01T08:30:00Z',
    ],
  ])('sends a class on %s to Zoom at the right UTC time', async (_name, local, utc) => {
    const session = await api.createSession({
      instructorId,
      title: `DST ${local}`,
      startsAt: local,
      durationMinutes: 60,
    });
    expect(session.startsAt).toBe(utc.replace('Z', '.000Z'));
    expect(
      (await api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`)).status,
    ).toBe(200);

    const meeting = stack.zoom.simulator.meetingsOf(maria).find((m) => m.topic === `DST ${local}`);
    expect(meeting).toMatchObject({ start_time: utc, timezone: 'America/Los_Angeles' });
  });

  it('takes the local wall time on the page in the class’s zone across the spring change', async () => {
    const { signedIn, csrfFrom } = await import('../support/http.js');
    const { browser } = await signedIn(stack.app, 'staff');
    const form = await browser.page('/admin/sessions/new');
    const answer = await browser.postForm('/admin/sessions', {
      _csrf: csrfFrom(form.html),
      instructorId: String(instructorId),
      title: 'Page DST',
      startsLocal: '2026-03-08T09:00',
      timezone: 'America/Los_Angeles',
      durationMinutes: '90',
    });
    expect(answer.status).toBe(303);
    const id = Number(/\/admin\/sessions\/(\d+)/.exec(answer.headers.get('location') ?? '')?.[1]);
    expect((await api.session(id)).startsAt).toBe('2026-03-08T16:00:00.000Z');
  });

  it('keeps no start_url token and no meeting password in the database or the logs', async () => {
    const session = await api.createSession({
      instructorId,
      title: 'Secrets',
      startsAt: '2027-04-01T17:00:00Z',
      durationMinutes: 60,
    });
    await api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`);
    await api.call('PATCH', `/api/v1/class-sessions/${session.id}`, { durationMinutes: 75 });
    await api.settled(session.id, ['ready']);

    const meetings = stack.zoom.simulator.meetingsOf(maria, true);
    expect(meetings.length).toBeGreaterThan(0);
    const secrets = meetings.flatMap((m) => [
      m.password,
      m.h323_password,
      m.pstn_password,
      m.encrypted_password,
    ]);
    const dump = await databaseDump(stack);
    const logs = stack.app.logs.text();
    expect(dump).toContain(meetings[0]!.join_url);
    for (const text of [dump, logs]) {
      expect(text).not.toMatch(/zak=/);
      expect(text).not.toMatch(/start_url/);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});

/** Every row of every table (product and queue), as text. */
async function databaseDump(stack: ZoomStack): Promise<string> {
  const db = stack.app.ctx.db;
  const { rows } = await db.query<{ schemaname: string; tablename: string }>(
    `SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'pgboss')`,
  );
  const parts: string[] = [];
  for (const { schemaname, tablename } of rows) {
    const data = await db.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${schemaname}"."${tablename}" t`,
    );
    parts.push(...data.rows.map((r) => r.row));
  }
  return parts.join('\n');
}
