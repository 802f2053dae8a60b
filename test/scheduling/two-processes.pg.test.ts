import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiToken } from '../../src/auth/api-token-store.js';
import { generateFernetKey } from '../../src/crypto/key-ring.js';
import { connectInstructor } from '../support/connect-instructor.js';
import { freePort } from '../support/free-port.js';
import { seedUser } from '../support/http.js';
import { spawnNode, waitFor, type Child } from '../support/processes.js';
import { onPostgres } from '../support/test-database.js';
import { startZoomStack, testZoomApp, type ZoomStack } from '../support/zoom-fixture.js';
import { StaffApi } from './scheduling-harness.js';

const main = new URL('../../dist/src/main.js', import.meta.url).pathname;
const maria = 'KDcuGIm1QgePTO8WbOqwIQ';

describe.runIf(onPostgres)('two server processes on one database', () => {
  const tokenKey = generateFernetKey();
  let stack: ZoomStack;
  const children: Child[] = [];
  const apis: StaffApi[] = [];
  let instructorId: number;

  beforeAll(async () => {
    stack = await startZoomStack({ workers: false, env: { TOKEN_KEYS: tokenKey } });
    instructorId = (await connectInstructor(stack, { zoomUserId: maria })).user.id;
    const token = await createApiToken(
      stack.app.ctx.db,
      await seedUser(stack.app, { role: 'staff' }),
    );

    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      const child = spawnNode(main, [], {
        DATABASE_URL: stack.app.database.url as string,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: await mkdtemp(path.join(tmpdir(), 'sdz-two-')),
        TOKEN_KEYS: tokenKey,
        ZOOM_CLIENT_ID: testZoomApp.clientId,
        ZOOM_CLIENT_SECRET: testZoomApp.clientSecret,
        ZOOM_WEBHOOK_SECRET_TOKEN: testZoomApp.webhookSecretToken,
        ZOOM_OAUTH_URL: stack.zoom.url,
        ZOOM_API_URL: stack.zoom.apiUrl,
      });
      children.push(child);
      await waitFor(() => child.output().includes('server started'), 60_000, 'server start');
      apis.push(new StaffApi(`http://127.0.0.1:${port}`, token));
    }
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await stack?.close();
  });

  it('never makes two meetings for one session when both processes sync it at once', async () => {
    stack.zoom.simulator.faults.set(
      'create_meeting',
      { latencyMs: 150, errorRate: 0.2, errorStatuses: [500, 503] },
      3,
    );
    const [a, b] = apis as [StaffApi, StaffApi];
    const sessions: { id: number }[] = [];
    for (let i = 0; i < 20; i += 1) {
      sessions.push(
        await a.createSession({
          instructorId,
          title: `Two processes ${i}`,
          startsAt: `2027-05-${String(i + 1).padStart(2, '0')}T17:00:00Z`,
          durationMinutes: 60,
        }),
      );
    }
    await Promise.all(
      sessions.flatMap((s) => [
        a.call('POST', `/api/v1/class-sessions/${s.id}/zoom-meeting`),
        b.call('POST', `/api/v1/class-sessions/${s.id}/zoom-meeting`),
      ]),
    );
    await Promise.all(
      sessions.map((s, i) =>
        (i % 2 ? a : b).call('PATCH', `/api/v1/class-sessions/${s.id}`, { durationMinutes: 75 }),
      ),
    );

    const final = await Promise.all(
      sessions.map((s) => a.settled(s.id, ['ready', 'needs_check'], 60_000)),
    );
    await waitFor(async () => {
      const all = await Promise.all(sessions.map((s) => a.session(s.id)));
      return all.every((s) => s.zoom.syncState !== 'pending') && all;
    }, 30_000);
    const meetings = stack.zoom.simulator.meetingsOf(maria);
    for (const session of final) {
      const mine = meetings.filter((m) => m.agenda.includes(`Class session #${session.id} `));
      expect(mine, `session ${session.id}`).toHaveLength(1);
    }
    expect(meetings.every((m) => m.duration === 75)).toBe(true);
    expect(final.every((s) => s.zoom.syncState === 'ready')).toBe(true);
  }, 120_000);
});
