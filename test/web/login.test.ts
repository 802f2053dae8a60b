import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { Browser, csrfFrom, seedUser } from '../support/http.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
});

afterAll(async () => {
  await app?.close();
});

describe('sign-in', () => {
  it('answers /healthz with ok while the database answers', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves a login form with email, password and a hidden csrf field', async () => {
    const { response, html } = await new Browser(app.url).page('/login');
    expect(response.status).toBe(200);
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(csrfFrom(html)).toMatch(/^[\w-]{20,}$/);
  });

  it('sends instructors to /dashboard/ and staff and admins to /admin/', async () => {
    for (const [role, home] of [
      ['instructor', '/dashboard/'],
      ['staff', '/admin/'],
      ['admin', '/admin/'],
    ] as const) {
      const user = await seedUser(app, { role });
      const answer = await new Browser(app.url).signIn(user.email, user.password);
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(home);
    }
  });

  it('sets an HttpOnly SameSite=Lax session cookie', async () => {
    const user = await seedUser(app, { role: 'staff' });
    const answer = await new Browser(app.url).signIn(user.email, user.password);
    const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('sdz_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('answers 401 with one message whichever field was wrong', async () => {
    const user = await seedUser(app, { role: 'staff' });
    const wrongPassword = await new Browser(app.url).signIn(user.email, 'not the password at all');
    const unknownEmail = await new Browser(app.url).signIn('nobody@example.test', user.password);
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const message = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1];
    expect(message(await wrongPassword.text())).toBe(message(await unknownEmail.text()));
  });

  it('refuses a login post without the csrf pair', async () => {
    const user = await seedUser(app, { role: 'staff' });
    const browser = new Browser(app.url);
    const answer = await browser.postForm('/login', { email: user.email, password: user.password });
    expect(answer.status).toBe(403);
    expect(browser.cookie('sdz_session')).toBeUndefined();
  });

  it('throttles an account after five failures even with the right password', async () => {
    const user = await seedUser(app, { role: 'staff' });
    for (let i = 0; i < 5; i += 1) {
      expect((await new Browser(app.url).signIn(user.email, 'wrong password here')).status).toBe(
        401,
      );
    }
    const answer = await new Browser(app.url).signIn(user.email, user.password);
    expect(answer.status).toBe(429);
  });

  it('throttles a client address after twenty failures across accounts', async () => {
    const user = await seedUser(app, { role: 'staff' });
    for (let i = 0; i < 20; i += 1) {
      await new Browser(app.url).signIn(`spray-${i}@example.test`, 'wrong password here');
    }
    const answer = await new Browser(app.url).signIn(user.email, user.password);
    expect(answer.status).toBe(429);
    await app.ctx.db.query('DELETE FROM login_failures');
  });

  it('signs out only with the session csrf token', async () => {
    const user = await seedUser(app, { role: 'staff' });
    const browser = new Browser(app.url);
    await browser.signIn(user.email, user.password);
    const { html } = await browser.page('/no-such-page');
    const sessions = async () =>
      (await app.ctx.db.query('SELECT 1 FROM web_sessions WHERE user_id = $1', [user.id])).rows
        .length;
    const forged = await browser.postForm('/logout', {});
    expect(forged.status).toBe(403);
    expect(await sessions()).toBe(1);

    const real = await browser.postForm('/logout', { _csrf: csrfFrom(html) });
    expect(real.status).toBe(303);
    expect(await sessions()).toBe(0);
    expect(browser.cookie('sdz_session')).toBeUndefined();
  });
});
