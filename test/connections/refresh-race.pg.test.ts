/**
 * The refresh race across processes: three copies of the product (`node dist/src/main.js`)
 * share one PostgreSQL database and one simulated Zoom whose access tokens expire in a few
 * seconds. After each expiry every copy fires 20 concurrent Zoom calls for the same
 * instructor; Zoom must see exactly one refresh grant per expiry and no invalid_grant.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiToken } from '../../src/auth/api-token-store.js';
import { createUser } from '../../src/auth/user-store.js';
import { generateFernetKey } from '../../src/crypto/key-ring.js';
import type { Database } from '../../src/db/database.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { startZoomSimulator, type RunningZoomSimulator } from '../../src/simulator/index.js';
import {
  decideOnConsentPage,
  followToProduct,
  startConnect,
} from '../support/connect-instructor.js';
import { freePort } from '../support/free-port.js';
import { Browser } from '../support/http.js';
import { spawnNode, waitFor, type Child } from '../support/processes.js';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  onPostgres,
} from '../support/test-database.js';

const TTL_SECONDS = 4;
const CALLS_PER_PROCESS = 20;
const zoomUserId = 'KDcuGIm1QgePTO8WbOqwIQ';
const password = 'race test password 12345';

describe.runIf(onPostgres)('token refresh across three product processes', () => {
  let databaseUrl: string;
  let db: Database;
  let zoom: RunningZoomSimulator;
  const children: Child[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase();
    const ports = [await freePort(), await freePort(), await freePort()];
    urls.push(...ports.map((port) => `http://127.0.0.1:${port}`));
    zoom = await startZoomSimulator({
      clientId: 'race-client',
      clientSecret: 'race-client-secret',
      webhookSecretToken: 'race-webhook-secret',
      redirectUris: [`${urls[0]}/callback/`],
      accessTokenTtlSeconds: TTL_SECONDS,
      rateLimits: { lightPerSecond: 10_000 },
    });

    const shared = {
      DATABASE_URL: databaseUrl,
      PUBLIC_URL: urls[0] as string,
      HOST: '127.0.0.1',
      TOKEN_KEYS: generateFernetKey(),
      ZOOM_CLIENT_ID: 'race-client',
      ZOOM_CLIENT_SECRET: 'race-client-secret',
      ZOOM_WEBHOOK_SECRET_TOKEN: 'race-webhook-secret',
      ZOOM_OAUTH_URL: zoom.url,
      ZOOM_API_URL: zoom.apiUrl,
      LOG_LEVEL: 'warn',
    };
    // The first copy migrates alone, so the others start on a ready schema.
    for (const [index, port] of ports.entries()) {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'sdz-race-'));
      children.push(
        spawnNode('dist/src/main.js', [], { ...shared, PORT: String(port), DATA_DIR: dataDir }),
      );
      await waitFor(async () => healthy(urls[index] as string), 30_000, `copy ${index} healthy`);
    }
    db = openPgDatabase(databaseUrl, 2);
  });

  afterAll(async () => {
    for (const child of children) child.process.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await db?.close();
    await zoom?.close();
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
  });

  it('makes exactly one refresh grant per expiry and every call succeeds', async () => {
    const instructor = await createUser(db, {
      email: 'race-instructor@example.test',
      name: 'Rae Racer',
      role: 'instructor',
      password,
    });
    const staff = await createUser(db, {
      email: 'race-staff@example.test',
      name: 'Stu Staff',
      role: 'staff',
      password,
    });
    const apiToken = await createApiToken(db, staff);
    await connectThrough(urls[0] as string, instructor.email);
    expect(zoom.simulator.counters().codeExchanges[zoomUserId]).toBe(1);

    for (const expiry of [1, 2, 3]) {
      await sleep(TTL_SECONDS * 1000 + 300);
      const answers = await Promise.all(
        urls.flatMap((url) =>
          Array.from({ length: CALLS_PER_PROCESS }, () =>
            profileCall(url, instructor.id, apiToken),
          ),
        ),
      );

      expect(
        answers.filter((status) => status !== 200),
        children.map((c) => c.output()).join('\n'),
      ).toEqual([]);
      expect(zoom.simulator.counters().refreshGrants[zoomUserId]).toBe(expiry);
      expect(zoom.simulator.counters().invalidGrants).toEqual({});
    }
  });
});

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

async function connectThrough(url: string, email: string): Promise<void> {
  const browser = new Browser(url);
  expect((await browser.signIn(email, password)).status).toBe(303);
  const back = await decideOnConsentPage(await startConnect(browser), zoomUserId, 'allow');
  const answer = await followToProduct(url, browser, back);
  expect(answer.headers.get('location')).toBe('/dashboard/?zoom=connected');
}

async function profileCall(url: string, instructorId: number, token: string): Promise<number> {
  const answer = await fetch(`${url}/api/v1/instructors/${instructorId}/zoom-profile`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await answer.arrayBuffer();
  return answer.status;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
