/**
 * The dashboard card in each state, a consent missing a scope, the upcoming classes, the
 * admin audit page, and screenshots of the card in a real browser (saved to test-results/).
 */
import { mkdir } from 'node:fs/promises';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerConnectionWorkers } from '../../src/connections/register-connection-workers.js';
import { TokenService } from '../../src/connections/token-service.js';
import { ManualClock } from '../../src/support/clock.js';
import { connectInstructor, consentAs } from '../support/connect-instructor.js';
import { signedIn, type Browser } from '../support/http.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';

const clock = new ManualClock(new Date('2025-03-10T17:00:00Z'));
const fourScopes = [
  'user:read:user',
  'meeting:write:meeting',
  'meeting:read:meeting',
  'meeting:update:meeting',
];
let stack: ZoomStack;
let chrome: Chromium | undefined;
let userCount = 0;

beforeAll(async () => {
  stack = await startZoomStack({
    clock,
    workers: false,
    simulator: { now: () => clock.now().getTime() },
  });
  await registerConnectionWorkers(stack.app.ctx);
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

function newZoomUser(type: number, name: string): string {
  userCount += 1;
  const id = `cardUser${userCount}${Math.random().toString(36).slice(2, 7)}`;
  const [first = 'Card', last = 'User'] = name.split(' ');
  stack.zoom.simulator.upsertUser({
    id,
    account_id: `acct-${id}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    first_name: first,
    last_name: last,
    type,
    timezone: 'America/Los_Angeles',
  });
  return id;
}

async function screenshot(browser: Browser, file: string): Promise<void> {
  chrome ??= await launchChromium();
  const context = await chrome.newContext({ viewport: { width: 1100, height: 900 } });
  const url = new URL(stack.app.url);
  await context.addCookies([
    {
      name: 'sdz_session',
      value: browser.cookie('sdz_session') ?? '',
      domain: url.hostname,
      path: '/',
    },
  ]);
  const page = await context.newPage();
  await page.goto(`${stack.app.url}/dashboard/`);
  await page.screenshot({ path: `test-results/${file}`, fullPage: true });
  await context.close();
}

describe('the Zoom Integration card', () => {
  it('shows Connect Zoom and the five permissions before connecting', async () => {
    const { browser } = await signedIn(stack.app, 'instructor', 'Nina Newcomer');
    const { html } = await browser.page('/dashboard/');

    expect(html).toContain('data-zoom-state="not_connected"');
    expect(html).toContain('href="/zoom/connect">Connect Zoom</a>');
    for (const scope of [...fourScopes, 'meeting:delete:meeting']) expect(html).toContain(scope);
    await screenshot(browser, 'zoom-card-not-connected.png');
  });

  it('shows the linked account, plan and connected time in Pacific time', async () => {
    const zoomUserId = newZoomUser(2, 'Maria Lopez');
    const { browser, user } = await connectInstructor(stack, { zoomUserId });
    await stack.app.ctx.db.query(
      `INSERT INTO class_sessions (instructor_id, title, starts_at, duration_minutes, zoom_join_url)
       VALUES ($1, 'Traffic school, part 1', '2025-03-12T16:00:00Z', 240, 'https://zoom.us/j/81234567890'),
              ($1, 'Traffic school, part 2', '2025-03-13T16:00:00Z', 240, NULL),
              ($1, 'Finished class', '2025-03-01T16:00:00Z', 60, 'https://zoom.us/j/1')`,
      [user.id],
    );
    const { html } = await browser.page('/dashboard/');

    expect(html).toContain('class="badge ok">Zoom connected');
    expect(html).toContain('Licensed');
    expect(html).toContain('Mon, Mar 10, 2025, 10:00 AM PDT');
    expect(html).toContain('Wed, Mar 12, 2025, 9:00 AM PDT');
    expect(html).toContain('https://zoom.us/j/81234567890');
    expect(html).toContain('not created yet');
    expect(html).not.toContain('Finished class');
    await screenshot(browser, 'zoom-card-connected.png');
  });

  it('warns a Basic plan about the 40-minute cap and names a scope Zoom did not grant', async () => {
    stack.zoom.simulator.configure({ grantedScopes: fourScopes });
    try {
      const { browser } = await connectInstructor(stack, {
        zoomUserId: newZoomUser(1, 'Dan Brooks'),
      });
      const { html } = await browser.page('/dashboard/');

      expect(html).toContain('Basic');
      expect(html).toContain('40 minutes');
      expect(html).toContain('id="missing-scopes"');
      expect(html).toContain('delete a meeting (<code>meeting:delete:meeting</code>)');
      await screenshot(browser, 'zoom-card-basic-missing-scope.png');
    } finally {
      stack.zoom.simulator.configure({ grantedScopes: [...fourScopes, 'meeting:delete:meeting'] });
    }
  });

  it('links nothing and names the profile permission when Zoom withholds user:read:user', async () => {
    stack.zoom.simulator.configure({
      grantedScopes: fourScopes.filter((s) => s !== 'user:read:user'),
    });
    try {
      const { browser, user } = await signedIn(stack.app, 'instructor');
      const zoomUserId = newZoomUser(2, 'Lee Park');
      const callback = await consentAs(stack, browser, zoomUserId, 'allow');

      expect(callback.status).toBe(303);
      expect(callback.headers.get('location')).toBe('/dashboard/?zoom=profile-scope-missing');
      const stored = await stack.app.ctx.db.query(
        'SELECT 1 FROM zoom_connections WHERE instructor_id = $1',
        [user.id],
      );
      expect(stored.rows).toHaveLength(0);
      const { html } = await browser.page('/dashboard/?zoom=profile-scope-missing');
      expect(html).toContain('user:read:user');
      expect(html).toContain('Connect Zoom');
    } finally {
      stack.zoom.simulator.configure({ grantedScopes: [...fourScopes, 'meeting:delete:meeting'] });
    }
  });

  it('shows Reconnect Zoom and what happened when the connection broke', async () => {
    const zoomUserId = newZoomUser(2, 'Priya Shah');
    const { browser, user } = await connectInstructor(stack, { zoomUserId });
    stack.zoom.simulator.grants.revokeUser(zoomUserId, 'revoked');
    clock.advance(61 * 60_000);
    await new TokenService(stack.app.ctx).getAccessToken(user.id).catch(() => undefined);
    const { html } = await browser.page('/dashboard/');

    expect(html).toContain('data-zoom-state="broken"');
    expect(html).toContain('href="/zoom/connect">Reconnect Zoom</a>');
    expect(html).toContain('Zoom no longer accepts our access');
    await screenshot(browser, 'zoom-card-broken.png');
  });
});

describe('GET /admin/audit', () => {
  it('lists events newest first with who, which instructor and the Zoom user id', async () => {
    const zoomUserId = newZoomUser(2, 'Audit Person');
    const connected = await connectInstructor(stack, { zoomUserId });
    const staff = await signedIn(stack.app, 'staff');
    const { response, html } = await staff.browser.page('/admin/audit');

    expect(response.status).toBe(200);
    const firstRow = html.indexOf('<tr data-kind=');
    expect(html.slice(firstRow, firstRow + 400)).toContain('data-kind="connected"');
    expect(html).toContain(zoomUserId);
    expect(html).toContain(connected.user.email);
    expect(html.indexOf(zoomUserId)).toBeLessThan(html.indexOf('data-kind="refresh_failed"'));
  });

  it('is refused to instructors', async () => {
    const { browser } = await signedIn(stack.app, 'instructor');
    expect((await browser.page('/admin/audit')).response.status).toBe(403);
  });
});
