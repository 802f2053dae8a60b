import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, seedUser } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { freePort } from '../support/free-port.js';

let app: TestApp;

beforeAll(async () => {
  const port = await freePort();
  app = await startTestApp({
    workers: false,
    env: { PORT: String(port), PUBLIC_URL: 'https://zoomapi.example.com' },
  });
});

afterAll(async () => {
  await app?.close();
});

describe('behind https', () => {
  it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
    const user = await seedUser(app, { role: 'staff' });
    const answer = await new Browser(app.url).signIn(user.email, user.password);
    const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('sdz_session='));
    expect(answer.status).toBe(303);
    expect(cookie).toMatch(/;\s*Secure/i);
  });
});
