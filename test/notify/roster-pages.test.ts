import { mkdir } from 'node:fs/promises';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, seedUser, signedIn, type Browser } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { seedSession, waitFor, type SeededSession } from './notify-fixtures.js';

let app: TestApp;
let staff: Browser;
let session: SeededSession;

beforeAll(async () => {
  app = await startTestApp();
  staff = (await signedIn(app, 'staff')).browser;
  session = await seedSession(app, { title: 'Traffic School: Eight-Hour Course' });
});

afterAll(async () => {
  await app?.close();
});

async function post(path: string, fields: Record<string, string>) {
  const { html } = await staff.page(`/admin/sessions/${session.id}/students`);
  return staff.postForm(path, { ...fields, _csrf: csrfFrom(html) });
}

async function enrolledCount(id: number): Promise<number> {
  const { rows } = await app.ctx.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM enrollments WHERE session_id = $1',
    [id],
  );
  return rows[0]?.n ?? 0;
}

describe('roster pages', () => {
  it('enrols one student from the form and lists them on the roster', async () => {
    const answer = await post(`/admin/sessions/${session.id}/students`, {
      name: 'Quinn Park',
      email: 'quinn@example.test',
      phone: '+14155550120',
      smsOptIn: 'yes',
    });
    expect(answer.status).toBe(303);
    const { html } = await staff.page(answer.headers.get('location') ?? '');
    expect(html).toContain('Student enrolled.');
    expect(html).toContain('quinn@example.test');
    expect(html).toContain('+14155550120');
  });

  it('shows the form again with the bad field and saves nothing', async () => {
    const answer = await post(`/admin/sessions/${session.id}/students`, {
      name: 'Rae',
      email: 'rae@',
      phone: '',
    });
    expect(answer.status).toBe(400);
    const html = await answer.text();
    expect(html).toContain('email: must be an email address');
    expect(html).toContain('value="Rae"');
    expect(await enrolledCount(session.id)).toBe(1);
  });

  it('imports nothing from a CSV with a bad row and names each bad row', async () => {
    const csv = [
      'name,email,phone,sms_opt_in',
      'Sam Lee,sam@example.test,+14155550121,yes',
      'Tia,not-an-email,,no',
      'Uma,uma@example.test,555-0123,no',
      'Sam Again,SAM@example.test,,',
    ].join('\n');
    const answer = await post(`/admin/sessions/${session.id}/students/import`, { csv });
    expect(answer.status).toBe(400);
    const html = await answer.text();
    expect(html).toContain('Line 3, email: must be an email address');
    expect(html).toContain('Line 4, phone: must be in E.164 form');
    expect(html).toContain('Line 5, email: repeats line 2');
    expect(html).toContain('Sam Lee,sam@example.test');
    expect(await enrolledCount(session.id)).toBe(1);
    const { rows } = await app.ctx.db.query(
      `SELECT 1 FROM students WHERE email = 'sam@example.test'`,
    );
    expect(rows).toHaveLength(0);
  });

  it('imports a whole roster in one go, quoted fields included', async () => {
    const csv =
      'email,name,sms_opt_in,phone\r\nvic@example.test,"Vic ""V"" Ortiz",yes,+14155550122\r\nwen@example.test,"Wen, Li",,\r\nquinn@example.test,Quinn Park,yes,+14155550120\r\n';
    const answer = await post(`/admin/sessions/${session.id}/students/import`, { csv });
    expect(answer.status).toBe(303);
    const { html } = await staff.page(answer.headers.get('location') ?? '');
    expect(html).toContain('Roster imported: 2 students enrolled. 1 were already enrolled.');
    expect(html).toContain('Vic &quot;V&quot; Ortiz');
    expect(html).toContain('Wen, Li');
    expect(await enrolledCount(session.id)).toBe(3);
  });

  it('shows the delivery log and the development outbox to staff only', async () => {
    await waitFor(async () => (await staff.page('/dev/outbox')).html.includes('vic@example.test'));
    const log = await staff.page(`/admin/sessions/${session.id}/messages`);
    expect(log.response.status).toBe(200);
    expect(log.html).toContain('wen@example.test');
    expect(log.html).toContain('+14155550122');

    const { html } = await staff.page('/dev/outbox');
    const htmlLink = /href="(\/dev\/outbox\/\d+\/html)"/.exec(html)?.[1];
    const icsLink = /href="(\/dev\/outbox\/\d+\/invite\.ics)"/.exec(html)?.[1];
    expect((await staff.page(htmlLink ?? '')).html).toContain('Join the class on Zoom');
    const ics = await staff.request(icsLink ?? '');
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await ics.text()).toContain('METHOD:REQUEST');

    const instructor = (await signedIn(app, 'instructor')).browser;
    expect((await instructor.page('/dev/outbox')).response.status).toBe(403);
    expect((await instructor.page(`/admin/sessions/${session.id}/students`)).response.status).toBe(
      403,
    );
  });
});

describe('screenshots', () => {
  let chrome: Chromium;

  beforeAll(async () => {
    chrome = await launchChromium();
  });

  afterAll(async () => {
    await chrome?.close();
  });

  it('renders the roster, the delivery log and the outbox in a browser', async () => {
    const user = await seedUser(app, { role: 'staff', name: 'Sam Scheduler' });
    const page = await chrome.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${app.url}/login`);
    await page.fill('input[name=email]', user.email);
    await page.fill('input[name=password]', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\//);
    await mkdir('test-results', { recursive: true });

    await page.goto(`${app.url}/admin/sessions/${session.id}/students`);
    await page.fill('textarea[name=csv]', 'name,email\nXavier,not-an-email');
    await page.click('form[action$="/import"] button[type=submit]');
    await expect(page.locator('[role=alert]').first()).toBeDefined();
    expect(await page.locator('[role=alert]').first().innerText()).toContain('Line 2, email');
    await page.screenshot({ path: 'test-results/notify-roster.png', fullPage: true });

    await page.goto(`${app.url}/admin/sessions/${session.id}/messages`);
    await page.screenshot({ path: 'test-results/notify-messages.png', fullPage: true });
    await page.goto(`${app.url}/dev/outbox`);
    expect(await page.locator('h1').innerText()).toBe('Development outbox');
    await page.screenshot({ path: 'test-results/notify-dev-outbox.png', fullPage: true });
  });
});
