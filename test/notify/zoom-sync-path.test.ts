/**
 * The whole path with the real scheduling engine and the Zoom simulator: staff create a
 * session, enrol students, make the meeting, reschedule and cancel through the API; students
 * get each message once by email (over SMTP) and SMS (development outbox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-token-store.js';
import { systemClock } from '../../src/support/clock.js';
import { connectInstructor } from '../support/connect-instructor.js';
import { seedUser } from '../support/http.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { waitFor } from './notify-fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

const maria = 'KDcuGIm1QgePTO8WbOqwIQ';

let smtp: SmtpSink;
let stack: ZoomStack;
let token: string;
let instructorId: number;

beforeAll(async () => {
  smtp = await startSmtpSink();
  stack = await startZoomStack({ clock: systemClock, env: { SMTP_URL: smtp.url } });
  token = await createApiToken(stack.app.ctx.db, await seedUser(stack.app, { role: 'staff' }));
  instructorId = (await connectInstructor(stack, { zoomUserId: maria })).user.id;
});

afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });

  return { status: response.status, body: (await response.json()) as any };
}

const mailsTo = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address));

describe('messages from the real Zoom sync', () => {
  it('sends join, reschedule and cancel messages once each, with no host credential', async () => {
    const created = await call('POST', '/api/v1/class-sessions', {
      instructorId,
      title: 'Traffic Violator School',
      startsAt: '2027-03-14T09:00:00-07:00',
      durationMinutes: 240,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    for (const student of [
      { name: 'Rita Gomez', email: 'rita@example.test', phone: '+14155550130', smsOptIn: true },
      { name: 'Sol Ng', email: 'sol@example.test' },
    ]) {
      expect((await call('POST', `/api/v1/class-sessions/${id}/enrollments`, student)).status).toBe(
        201,
      );
    }
    expect(mailsTo('rita@example.test')).toHaveLength(0);

    expect([200, 202]).toContain(
      (await call('POST', `/api/v1/class-sessions/${id}/zoom-meeting`)).status,
    );
    await waitFor(
      async () =>
        mailsTo('rita@example.test').length === 1 && mailsTo('sol@example.test').length === 1,
    );
    const session = (await call('GET', `/api/v1/class-sessions/${id}`)).body;
    const join = mailsTo('rita@example.test')[0]!.parsed;
    expect(join.text).toContain('Sunday, March 14, 2027, 9:00 AM PDT');
    expect(join.text).toContain(session.zoom.joinUrl);
    expect(join.text).toContain(session.zoom.meetingId);

    expect(
      (
        await call('PATCH', `/api/v1/class-sessions/${id}`, {
          startsAt: '2027-03-21T10:00:00-07:00',
        })
      ).status,
    ).toBe(200);
    await waitFor(async () => mailsTo('rita@example.test').length === 2);
    const moved = mailsTo('rita@example.test')[1]!.parsed;
    expect(moved.text).toContain('Was: Sunday, March 14, 2027, 9:00 AM PDT');
    expect(moved.text).toContain('Now: Sunday, March 21, 2027, 10:00 AM PDT');
    expect(moved.text).toContain(session.zoom.joinUrl);

    expect((await call('POST', `/api/v1/class-sessions/${id}/cancel`)).status).toBe(200);
    await waitFor(
      async () =>
        mailsTo('rita@example.test').length === 3 && mailsTo('sol@example.test').length === 3,
    );
    expect(mailsTo('rita@example.test')[2]!.raw).toMatch(/method=CANCEL/i);

    const log = (await call('GET', `/api/v1/class-sessions/${id}/notifications`)).body as {
      channel: string;
      kind: string;
      status: string;
    }[];
    await waitFor(async () =>
      (await call('GET', `/api/v1/class-sessions/${id}/notifications`)).body.every(
        (m: { status: string }) => m.status === 'sent',
      ),
    );
    expect(log.map((m) => `${m.kind}:${m.channel}`).sort()).toEqual([
      'cancelled:email',
      'cancelled:email',
      'cancelled:sms',
      'meeting_ready:email',
      'meeting_ready:email',
      'meeting_ready:sms',
      'rescheduled:email',
      'rescheduled:email',
      'rescheduled:sms',
    ]);

    // The simulator answers every create with a fresh host link `/s/<id>?zak=…`, as Zoom does.
    const meetings = stack.zoom.simulator.meetingsOf(maria, true);
    expect(meetings.length).toBeGreaterThan(0);
    const startUrls = meetings.map((m) => `/s/${m.id}`);
    const { rows } = await stack.app.ctx.db.query<{ text_body: string }>(
      'SELECT text_body FROM notify_dev_outbox',
    );
    const everything = [
      ...smtp.received.map((mail) => mail.raw),
      ...rows.map((row) => row.text_body),
    ].join('\n');
    for (const startPath of startUrls) expect(everything).not.toContain(startPath);
    expect(everything).not.toMatch(/zak=/);
  });
});
