import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CHANGED_QUEUE, DELIVER_QUEUE } from '../../src/notify/notify-queues.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { outboxOf, seedSession, seedStudents, waitFor } from './notify-fixtures.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.js';

let smtp: SmtpSink;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startTestApp({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Safe Driver <classes@safedriver.test>' },
  });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

function mailsTo(address: string): ReceivedMail[] {
  return smtp.received.filter((mail) => mail.envelopeTo.includes(address));
}

function calendarOf(mail: ReceivedMail): string {
  const part = mail.raw
    .split(/\r?\n--/)
    .find((chunk) => /content-type: text\/calendar/i.test(chunk));
  if (!part) throw new Error('no text/calendar part');
  const [, body = ''] = part.split(/\r?\n\r?\n/);
  const encoded = /content-transfer-encoding: base64/i.test(part);
  const text = encoded ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return text.replace(/\r?\n[ \t]/g, '');
}

describe('email over SMTP', () => {
  it('sends the join email with text, HTML and a METHOD:REQUEST calendar part', async () => {
    const session = await seedSession(app, { revision: 3 });
    await seedStudents(app, session.id, [{ name: 'Ana <b>Ruiz</b>', email: 'ana@example.test' }]);

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'meeting_ready',
      revision: 3,
    });
    const [mail] = await waitFor(async () =>
      mailsTo('ana@example.test').length > 0 ? mailsTo('ana@example.test') : undefined,
    );

    const parsed = mail!.parsed;
    expect(parsed.from?.value[0]?.address).toBe('classes@safedriver.test');
    expect(parsed.text).toContain('Defensive Driving, Part 1');
    expect(parsed.text).toContain('Sunday, March 8, 2026, 9:00 AM PDT');
    expect(parsed.text).toContain(session.joinUrl);
    expect(parsed.text).toContain(session.meetingId);
    expect(parsed.html).toContain('Ana &lt;b&gt;Ruiz&lt;/b&gt;');
    expect(parsed.html).not.toContain('<b>Ruiz</b>');

    expect(mail!.raw).toMatch(/content-type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const ics = calendarOf(mail!);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:class-session-${session.id}@127.0.0.1`);
    expect(ics).toContain('SEQUENCE:3');
    expect(ics).toContain('DTSTART:20260308T160000Z');
    expect(ics).toContain('DTEND:20260308T200000Z');
    expect(ics).toContain(`URL:${session.joinUrl}`);
    expect(ics).toContain('LOCATION:');
  });

  it('announces a reschedule with the old and new time, the same link and a higher SEQUENCE', async () => {
    const session = await seedSession(app, { startsAt: '2026-11-01T17:00:00Z', revision: 2 });
    await seedStudents(app, session.id, [{ name: 'Ben', email: 'ben@example.test' }]);
    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'meeting_ready',
      revision: 2,
    });
    await waitFor(async () => mailsTo('ben@example.test').length === 1);

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'rescheduled',
      revision: 5,
      previousStartsAt: '2026-10-31T16:00:00Z',
      previousDurationMinutes: 240,
    });
    const mails = await waitFor(async () =>
      mailsTo('ben@example.test').length === 2 ? mailsTo('ben@example.test') : undefined,
    );

    const moved = mails[1]!;
    expect(moved.parsed.text).toContain('Was: Saturday, October 31, 2026, 9:00 AM PDT');
    expect(moved.parsed.text).toContain('Now: Sunday, November 1, 2026, 9:00 AM PST');
    expect(moved.parsed.text).toContain(session.joinUrl);
    expect(calendarOf(moved)).toContain('SEQUENCE:5');
    expect(calendarOf(moved)).toContain(`UID:class-session-${session.id}@127.0.0.1`);
  });

  it('tells the time of its own reschedule even when a later one already moved the class', async () => {
    const session = await seedSession(app, { startsAt: '2026-11-08T18:00:00Z', revision: 7 });
    await seedStudents(app, session.id, [{ name: 'Eli', email: 'eli@example.test' }]);

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'rescheduled',
      revision: 6,
      previousStartsAt: '2026-11-08T16:00:00Z',
      previousDurationMinutes: 240,
      startsAt: '2026-11-08T17:00:00Z',
      durationMinutes: 240,
    });
    const [moved] = await waitFor(async () =>
      mailsTo('eli@example.test').length === 1 ? mailsTo('eli@example.test') : undefined,
    );

    expect(moved!.parsed.text).toContain('Was: Sunday, November 8, 2026, 8:00 AM PST');
    expect(moved!.parsed.text).toContain('Now: Sunday, November 8, 2026, 9:00 AM PST');
    expect(calendarOf(moved!)).toContain('DTSTART:20261108T170000Z');
    expect(calendarOf(moved!)).toContain('SEQUENCE:6');
  });

  it('sends a METHOD:CANCEL invitation with the same UID on cancel', async () => {
    const session = await seedSession(app, { revision: 4 });
    await seedStudents(app, session.id, [{ name: 'Cy', email: 'cy@example.test' }]);
    await app.ctx.db.query(
      `UPDATE class_sessions SET status = 'cancelled', sync_state = 'cancelled' WHERE id = $1`,
      [session.id],
    );

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'cancelled',
      revision: 4,
    });
    const [mail] = await waitFor(async () =>
      mailsTo('cy@example.test').length > 0 ? mailsTo('cy@example.test') : undefined,
    );

    expect(mail!.parsed.subject).toMatch(/^Class cancelled/);
    const ics = calendarOf(mail!);
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain(`UID:class-session-${session.id}@127.0.0.1`);
    expect(ics).toContain('SEQUENCE:4');
  });

  it('retries after an SMTP 4xx answer and then sends once', async () => {
    const session = await seedSession(app);
    await seedStudents(app, session.id, [{ name: 'Dee', email: 'dee@example.test' }]);
    smtp.refuseNext(1, 451);

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'meeting_ready',
      revision: 1,
    });
    await waitFor(async () => (await outboxOf(app, session.id))[0]?.status === 'sent', 30_000);

    const [row] = await outboxOf(app, session.id);
    expect(row?.attempts).toBe(2);
    expect(mailsTo('dee@example.test')).toHaveLength(1);
    const { rows } = await app.ctx.db.query<{ outcome: string; error_code: string | null }>(
      'SELECT outcome, error_code FROM notify_delivery_attempts WHERE outbox_id = $1 ORDER BY id',
      [row?.id],
    );
    expect(rows).toEqual([
      { outcome: 'temporary_failure', error_code: 'smtp_451' },
      { outcome: 'sent', error_code: null },
    ]);
  });

  it('records an SMTP 5xx answer as a permanent failure and does not retry', async () => {
    const session = await seedSession(app);
    await seedStudents(app, session.id, [{ name: 'Eve', email: 'eve@example.test' }]);
    smtp.refuseNext(1, 550);
    const refusedBefore = smtp.refusals();

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'meeting_ready',
      revision: 1,
    });
    await waitFor(async () => (await outboxOf(app, session.id))[0]?.status === 'failed');
    await new Promise((resolve) => setTimeout(resolve, 4000));

    const [row] = await outboxOf(app, session.id);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 1,
      permanent_failure: true,
      last_error_code: 'smtp_550',
    });
    expect(smtp.refusals() - refusedBefore).toBe(1);
    expect(mailsTo('eve@example.test')).toHaveLength(0);
  });

  it('sends nothing twice when change and delivery jobs are duplicated', async () => {
    const session = await seedSession(app);
    await seedStudents(app, session.id, [
      { name: 'Fay', email: 'fay@example.test' },
      { name: 'Gus', email: 'gus@example.test' },
    ]);
    const change = { sessionId: session.id, kind: 'meeting_ready', revision: 1 };

    await Promise.all([1, 2, 3].map(() => app.ctx.jobs.send(SESSION_CHANGED_QUEUE, change)));
    await waitFor(
      async () =>
        (await outboxOf(app, session.id)).every((row) => row.status === 'sent') &&
        (await outboxOf(app, session.id)).length === 2,
    );
    const rows = await outboxOf(app, session.id);
    for (const row of rows) {
      await Promise.all(
        [1, 2, 3].map(() => app.ctx.jobs.send(DELIVER_QUEUE, { outboxId: row.id })),
      );
    }
    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, change);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    expect(await outboxOf(app, session.id)).toHaveLength(2);
    expect(mailsTo('fay@example.test')).toHaveLength(1);
    expect(mailsTo('gus@example.test')).toHaveLength(1);
  });

  it('puts no host credential in any message and logs recipients only masked', async () => {
    const texts = smtp.received.map((mail) => mail.raw).join('\n');
    expect(texts.length).toBeGreaterThan(0);
    expect(texts).not.toMatch(/start_url|\/s\/\d|zak=|startUrl/i);

    const logs = app.logs.text();
    expect(logs).toContain('message sent');
    expect(logs).not.toContain('ana@example.test');
    expect(logs).toContain('a***@example.test');
  });
});
