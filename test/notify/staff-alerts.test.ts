import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ALERT_QUEUE } from '../../src/notify/notify-queues.js';
import { seedUser } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from './notify-fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

let smtp: SmtpSink;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startTestApp({
    env: { SMTP_URL: smtp.url, STAFF_NOTIFY_EMAILS: 'ops@safedriver.test' },
  });
  await seedUser(app, { role: 'staff', email: 'sched@safedriver.test' });
  await seedUser(app, { role: 'admin', email: 'boss@safedriver.test' });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const subjectsTo = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address)).map((mail) => mail.parsed);

describe('staff alerts', () => {
  it('tells staff which upcoming sessions lost their host when an instructor removes the app', async () => {
    const instructor = await seedUser(app, { role: 'instructor', name: 'Irene Instructor' });
    const future = new Date(app.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const past = new Date(app.clock.now().getTime() - 86_400_000).toISOString();
    const ids: number[] = [];
    for (const [title, at] of [
      ['Upcoming class', future],
      ['Past class', past],
    ] as const) {
      const { rows } = await app.ctx.db.query<{ id: number }>(
        `INSERT INTO class_sessions (instructor_id, title, starts_at, duration_minutes) VALUES ($1, $2, $3, 60) RETURNING id`,
        [instructor.id, title, at],
      );
      ids.push(Number(rows[0]?.id));
    }

    await app.ctx.jobs.send(STAFF_ALERT_QUEUE, {
      kind: 'instructor_deauthorized',
      instructorId: instructor.id,
      sessionIds: ids,
    });
    await waitFor(async () =>
      ['sched@safedriver.test', 'boss@safedriver.test', 'ops@safedriver.test'].every(
        (a) => subjectsTo(a).length === 1,
      ),
    );

    const [mail] = subjectsTo('ops@safedriver.test');
    expect(mail?.subject).toBe('Zoom app removed by Irene Instructor');
    expect(mail?.text).toContain('Upcoming class');
    expect(mail?.text).toContain(`/admin/sessions/${ids[0]}`);
    expect(mail?.text).not.toContain('Past class');
    expect(mail?.text).toContain("stay on the instructor's Zoom account");
    expect(mail?.text).toContain('can no longer change');
    expect(subjectsTo(instructor.email)).toHaveLength(0);
  });

  it('asks the instructor to click "Reconnect Zoom" when the connection breaks, once per alert', async () => {
    const instructor = await seedUser(app, { role: 'instructor', name: 'Omar Ortega' });
    await app.ctx.jobs.send(STAFF_ALERT_QUEUE, {
      kind: 'connection_broken',
      instructorId: instructor.id,
    });
    await waitFor(
      async () =>
        subjectsTo(instructor.email).length === 1 &&
        subjectsTo('sched@safedriver.test').length === 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const [mail] = subjectsTo(instructor.email);
    expect(mail?.subject).toBe('Zoom connection stopped working for Omar Ortega');
    expect(mail?.text).toContain('"Reconnect Zoom" on your dashboard');
    expect(subjectsTo('sched@safedriver.test')).toHaveLength(2);
    expect(subjectsTo('ops@safedriver.test')).toHaveLength(2);
  });
});
