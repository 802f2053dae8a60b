import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CHANGED_QUEUE } from '../../src/notify/notify-queues.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { outboxOf, seedSession, seedStudents, waitFor } from './notify-fixtures.js';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in.js';

const sid = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'twilio-auth-token-for-tests';

let twilio: TwilioStandIn;
let app: TestApp;

beforeAll(async () => {
  twilio = await startTwilioStandIn();
  app = await startTestApp({
    env: {
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+14155550000',
      TWILIO_API_URL: twilio.url,
    },
  });
});

afterAll(async () => {
  await app?.close();
  await twilio?.close();
});

const smsTo = (phone: string) => twilio.requests.filter((request) => request.form['To'] === phone);

describe('SMS through Twilio', () => {
  it('posts To, From and Body with Basic auth to the Messages endpoint, only with consent', async () => {
    const session = await seedSession(app);
    await seedStudents(app, session.id, [
      { name: 'Hal', email: 'hal@example.test', phone: '+14155550101', smsOptIn: true },
      { name: 'Ida', email: 'ida@example.test', phone: '+14155550102', smsOptIn: false },
    ]);

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'meeting_ready',
      revision: 1,
    });
    const [request] = await waitFor(async () =>
      smsTo('+14155550101').length > 0 ? smsTo('+14155550101') : undefined,
    );

    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(request!.authorization).toBe(
      `Basic ${Buffer.from(`${sid}:${authToken}`).toString('base64')}`,
    );
    expect(request!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request!.form['From']).toBe('+14155550000');
    expect(request!.form['Body']).toContain('Sunday, March 8, 2026, 9:00 AM PDT');
    expect(request!.form['Body']).toContain(session.joinUrl);
    expect(request!.form['Body']).toContain(session.meetingId);
    expect(smsTo('+14155550102')).toHaveLength(0);

    const rows = await waitFor(async () => {
      const all = await outboxOf(app, session.id);
      return all.filter((row) => row.status === 'sent').length === 3 ? all : undefined;
    });
    expect(rows.map((row) => row.channel).sort()).toEqual(['email', 'email', 'sms']);
  });

  it('retries a Twilio 503 and records a 400 as permanent', async () => {
    const retried = await seedSession(app);
    await seedStudents(app, retried.id, [
      { name: 'Jo', email: 'jo@example.test', phone: '+14155550103', smsOptIn: true },
    ]);
    twilio.failNext(503);
    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: retried.id,
      kind: 'meeting_ready',
      revision: 1,
    });
    const sms = await waitFor(
      async () =>
        (await outboxOf(app, retried.id)).find(
          (row) => row.channel === 'sms' && row.status === 'sent',
        ),
      30_000,
    );
    expect(sms.attempts).toBe(2);
    expect(smsTo('+14155550103')).toHaveLength(2);

    const refused = await seedSession(app);
    await seedStudents(app, refused.id, [
      { name: 'Kim', email: 'kim@example.test', phone: '+14155550104', smsOptIn: true },
    ]);
    twilio.failNext(400);
    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: refused.id,
      kind: 'meeting_ready',
      revision: 1,
    });
    const failed = await waitFor(async () =>
      (await outboxOf(app, refused.id)).find(
        (row) => row.channel === 'sms' && row.status === 'failed',
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(failed).toMatchObject({
      attempts: 1,
      permanent_failure: true,
      last_error_code: 'twilio_400_21211',
    });
    expect(smsTo('+14155550104')).toHaveLength(1);
  });

  it('logs phone numbers only masked and never the auth token', async () => {
    const logs = app.logs.text();
    expect(logs).toContain('+1******0101');
    expect(logs).not.toContain('+14155550101');
    expect(logs).not.toContain(authToken);
  });
});
