/**
 * A person's first run: `npm start` on the embedded defaults (PGlite, the built-in Zoom
 * simulator, the development outbox), driven in a real browser from sign-in to the student's
 * join link, with nothing but what the start-up banner prints.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import { spawnNode, waitFor, type Child } from '../support/processes.js';

const main = new URL('../../dist/src/main.js', import.meta.url).pathname;

let server: Child;
let chrome: Browser;
let base: string;
const accounts = new Map<string, { email: string; password: string }>();

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sdz-click-'));
  server = spawnNode(main, [], { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '' });
  await waitFor(() => server.output().includes('server started'), 60_000, 'server start');
  for (const match of server.output().matchAll(/^\s+(admin|staff|instructor)\s+(\S+)\s+(\S+)$/gm)) {
    accounts.set(match[1] as string, { email: match[2] as string, password: match[3] as string });
  }
  chrome = await launchChromium();
});

afterAll(async () => {
  await chrome?.close();
  server?.process.kill('SIGTERM');
  await server?.exited;
});

async function signIn(role: string): Promise<Page> {
  const account = accounts.get(role);
  if (!account) throw new Error(`no demo ${role} in the start-up banner`);
  const page = await chrome.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', account.email);
  await page.fill('input[name=password]', account.password);
  await page.click('button[type=submit]');
  return page;
}

describe('the embedded default in a browser', () => {
  it('prints a demo account of each role', () => {
    expect([...accounts.keys()].sort()).toEqual(['admin', 'instructor', 'staff']);
  });

  it('lets the instructor connect Zoom through the simulated consent screen', async () => {
    const page = await signIn('instructor');
    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    await page.click('text=Connect Zoom');

    expect(new URL(page.url()).pathname).toBe('/zoom-simulator/oauth/authorize');
    expect(await page.textContent('body')).toContain('meeting:delete:meeting');
    await page.click('button[value=allow]');

    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    expect(await page.textContent('body')).toContain('Zoom connected');
    await page.close();
  });

  it('lets staff schedule a class, make its meeting in one click and enrol a student', async () => {
    const page = await signIn('staff');
    await page.goto(`${base}/admin/sessions/new`);
    await page.selectOption('select[name=instructorId]', { index: 1 });
    await page.fill('input[name=title]', 'Defensive driving, evening');
    await page.fill('input[name=startsLocal]', '2030-03-10T18:00');
    await page.fill('input[name=durationMinutes]', '35');
    await page.click('form.stack button[type=submit]');
    expect(await page.textContent('h1')).toContain('Defensive driving, evening');

    await page.click('text=Create Zoom meeting');
    await page.waitForSelector('text=Meeting ID', { timeout: 15_000 });
    const joinUrl = (await page.getAttribute('a[href*="/j/"]', 'href')) as string;
    expect(joinUrl).toContain('/zoom-simulator/j/');

    await page.click('text=Roster and enrolment');
    await page.fill('input[name=name]', 'Rosa Student');
    await page.fill('input[name=email]', 'rosa@example.test');
    await page.click('text=Enrol student');
    expect(await page.textContent('body')).toContain('rosa@example.test');

    await waitFor(
      async () => {
        await page.goto(`${base}/dev/outbox`);
        return (await page.textContent('body'))?.includes('rosa@example.test');
      },
      20_000,
      'the join email in the outbox',
    );
    await page.close();
  });

  it('deletes the tokens when the instructor removes the app in the Marketplace', async () => {
    const page = await chrome.newPage();
    await page.goto(`${base}/zoom-simulator/marketplace/manage/added-apps`);
    await page.click('button:has-text("Remove")');
    await page.click('button.danger:has-text("Remove")');

    const instructor = await signIn('instructor');
    await waitFor(
      async () => {
        await instructor.goto(`${base}/dashboard/`);
        return (await instructor.textContent('body'))?.includes('Connect Zoom');
      },
      10_000,
      'the dashboard to show Zoom as not connected',
    );
    expect(await instructor.textContent('body')).not.toContain('Zoom connected');
    await instructor.close();

    const staff = await signIn('staff');
    expect(await staff.textContent('body')).toContain('Host disconnected');
    await staff.close();
    await page.close();
  });
});
