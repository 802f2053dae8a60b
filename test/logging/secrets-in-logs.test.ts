import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { Browser, seedUser } from '../support/http.js';
import { createApiToken } from '../../src/auth/api-token-store.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
});

afterAll(async () => {
  await app?.close();
});

describe('logs', () => {
  it('never contain passwords, cookies, API tokens or query-string codes of real requests', async () => {
    const password = 'pass-phrase-7c41b0e9-very-secret';
    const staff = await seedUser(app, { role: 'staff', password });
    const browser = new Browser(app.url);
    await browser.signIn(staff.email, password);
    await new Browser(app.url).signIn(staff.email, `${password}-wrong`);
    const session = browser.cookie('sdz_session') as string;
    const apiToken = await createApiToken(app.ctx.db, staff);
    const oauthCode = 'oauth-code-5d2f9a61e3b84c07';
    const oauthState = 'oauth-state-1b7c3e9f0a2d4e6b';

    await fetch(`${app.url}/callback/?code=${oauthCode}&state=${oauthState}`);
    await fetch(`${app.url}/api/v1/instructors?access_token=${oauthCode}`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    await fetch(`${app.url}/api/v1/instructors`, {
      headers: { authorization: 'Bearer sdz_not-a-real-token-4f1e' },
    });
    await fetch(`${app.url}/healthz?secret=${oauthState}`, {
      headers: { cookie: `sdz_session=${session}` },
    });

    const text = app.logs.text();
    expect(app.logs.lines.length).toBeGreaterThan(5);
    expect(text).toContain('"path":"/callback/"');
    for (const secret of [
      password,
      session,
      apiToken,
      oauthCode,
      oauthState,
      'sdz_not-a-real-token-4f1e',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('carry a request id on every request line', async () => {
    await fetch(`${app.url}/login`);
    const line = app.logs.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.path === '/login' && l.msg === 'request completed');
    expect(line?.requestId).toMatch(/^[\w-]{8,}$/);
    expect(line?.status).toBe(200);
  });
});
