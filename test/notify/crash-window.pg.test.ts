/**
 * The one window no mail protocol closes: the SMTP server has accepted a message and the
 * process dies before the outbox records it. A real product process (dist/src/main.js) is
 * stopped right there by the test hook SDZ_TEST_EXIT_AFTER_SMTP_SEND; a second process then
 * finds the stale claim and sends again. The student gets the message twice at most, never
 * zero times.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerNotifyWorkers,
  type NotifyWorkers,
} from '../../src/notify/register-notify-workers.js';
import { SESSION_CHANGED_QUEUE } from '../../src/notify/notify-queues.js';
import { TEST_HOOK_EXIT_STATUS } from '../../src/notify/smtp-email-sender.js';
import { STALE_CLAIM_MS } from '../../src/notify/deliver-message.js';
import { ManualClock } from '../../src/support/clock.js';
import { freePort } from '../support/free-port.js';
import { spawnNode, waitFor as waitForOutput } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { onPostgres } from '../support/test-database.js';
import { outboxOf, seedSession, seedStudents, waitFor } from './notify-fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

describe.runIf(onPostgres)('a worker killed between SMTP send and bookkeeping', () => {
  let smtp: SmtpSink;
  let app: TestApp;
  let workers: NotifyWorkers | undefined;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startTestApp({ workers: false, clock, env: { SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    workers?.close();
    await app?.close();
    await smtp?.close();
  });

  it('costs at most one repeat and never loses the message', async () => {
    const session = await seedSession(app);
    await seedStudents(app, session.id, [{ name: 'Pat', email: 'pat@example.test' }]);

    const child = spawnNode('dist/src/main.js', [], {
      DATABASE_URL: app.database.url as string,
      PORT: String(await freePort()),
      PUBLIC_URL: app.url,
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'sdz-crash-')),
      SMTP_URL: smtp.url,
      LOG_LEVEL: 'info',
      SDZ_TEST_EXIT_AFTER_SMTP_SEND: '1',
    });
    await waitForOutput(() => child.output().includes('server started'), 30_000, 'child start');

    await app.ctx.jobs.send(SESSION_CHANGED_QUEUE, {
      sessionId: session.id,
      kind: 'meeting_ready',
      revision: 1,
    });
    expect(await child.exited).toBe(TEST_HOOK_EXIT_STATUS);

    expect(
      smtp.received.filter((mail) => mail.envelopeTo.includes('pat@example.test')),
    ).toHaveLength(1);
    const [claimed] = await outboxOf(app, session.id);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });

    // Another process starts after the claim has gone stale.
    clock.set(new Date(Date.now() + STALE_CLAIM_MS + 1000));
    workers = await registerNotifyWorkers(app.ctx);
    await waitFor(async () => (await outboxOf(app, session.id))[0]?.status === 'sent');

    const [sent] = await outboxOf(app, session.id);
    expect(sent?.attempts).toBe(2);
    expect(
      smtp.received.filter((mail) => mail.envelopeTo.includes('pat@example.test')),
    ).toHaveLength(2);
  });
});

describe('the test hook', () => {
  it('is refused in production', async () => {
    const { loadConfig } = await import('../../src/config/config.js');
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SDZ_TEST_EXIT_AFTER_SMTP_SEND: '1' }),
    ).toThrow(/SDZ_TEST_EXIT_AFTER_SMTP_SEND/);
  });
});
