import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';

import { systemClock } from '../../src/support/clock.js';
import { connectInstructor } from '../support/connect-instructor.js';
import { seedUser } from '../support/http.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { staffApi } from './scheduling-harness.js';

describe('the staff scheduling pages in a browser', () => {
  let stack: ZoomStack;
  let chromiumBrowser: Chromium;

  beforeAll(async () => {
    stack = await startZoomStack({ clock: systemClock });
    chromiumBrowser = await launchChromium();
  });
  afterAll(async () => {
    await chromiumBrowser?.close();
    await stack?.close();
  });

  it('lets staff create a session, make its Zoom meeting in one click and see each Zoom status', async () => {
    const maria = (await connectInstructor(stack, { zoomUserId: 'KDcuGIm1QgePTO8WbOqwIQ' })).user;
    const dan = (await connectInstructor(stack, { zoomUserId: 'z8yBXksPRMa7q3VbLX1Rwg' })).user;
    const api = await staffApi(stack.app);
    const failed = await api.createSession({
      instructorId: dan.id,
      title: 'Defensive driving, part 2',
      startsAt: '2027-01-12T17:00:00-08:00',
      durationMinutes: 120,
    });
    stack.zoom.simulator.faults.next('create_meeting', { kind: 'lost_answer' });
    await api.call('POST', `/api/v1/class-sessions/${failed.id}/zoom-meeting`);
    await api.createSession({
      instructorId: dan.id,
      title: 'Traffic school, short form',
      startsAt: '2027-01-13T09:00:00-08:00',
      durationMinutes: 40,
    });

    const staff = await seedUser(stack.app, { role: 'staff', name: 'Sam Scheduler' });
    const page = await chromiumBrowser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${stack.app.url}/login`);
    await page.fill('input[name=email]', staff.email);
    await page.fill('input[name=password]', staff.password);
    await page.click('button[type=submit]');
    await page.waitForURL('**/admin/');

    await page.click('text=New session');
    await page.selectOption('select[name=instructorId]', String(maria.id));
    await page.fill('input[name=title]', 'Traffic school, Saturday morning');
    await page.fill('input[name=startsLocal]', '2027-01-09T09:00');
    await page.fill('input[name=durationMinutes]', '180');
    await page.click('button:has-text("Create session")');
    await page.waitForURL(/\/admin\/sessions\/\d+/);
    await page.click('button:has-text("Create Zoom meeting")');
    await page.waitForSelector('text=The Zoom meeting is ready.');
    expect(await page.textContent('main')).toContain('Ready');
    expect(stack.zoom.simulator.meetingsOf('KDcuGIm1QgePTO8WbOqwIQ')[0]).toMatchObject({
      start_time: '2027-01-09T17:00:00Z',
      duration: 180,
    });

    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/scheduling-session-page.png', fullPage: true });

    await page.goto(`${stack.app.url}/admin/sessions/${failed.id}`);
    expect(await page.textContent('main')).toContain('Check done, create again');
    await page.screenshot({ path: 'test-results/scheduling-needs-check-page.png', fullPage: true });

    await page.goto(`${stack.app.url}/admin/?from=2027-01-01`);
    const list = await page.textContent('main');
    expect(list).toContain('Needs a check');
    expect(list).toContain('No meeting');
    expect(list).toContain('Basic plan: 40-minute cap');
    await page.screenshot({ path: 'test-results/scheduling-sessions-page.png', fullPage: true });

    await page.goto(`${stack.app.url}/admin/instructors`);
    expect(await page.textContent('main')).toContain('Basic');
    await page.screenshot({ path: 'test-results/scheduling-instructors-page.png', fullPage: true });
  }, 60_000);
});
