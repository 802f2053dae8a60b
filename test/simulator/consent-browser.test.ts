import { existsSync, mkdirSync } from 'node:fs';

import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startZoomSimulator, type RunningZoomSimulator } from '../../src/simulator/index.js';

const chromiumPath = '/usr/bin/chromium';

let browser: Browser;
let sim: RunningZoomSimulator;
let app: FastifyInstance;
let callbackUrl: string;

beforeAll(async () => {
  app = Fastify();
  app.get('/callback/', async (request, reply) => {
    const query = request.query as Record<string, string>;
    const text = query.code ? `Connected, state ${query.state}` : `Refused: ${query.error}`;
    return reply.type('text/html').send(`<h1 id="result">${text}</h1>`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  callbackUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/callback/`;
  sim = await startZoomSimulator({ clientId: 'browser_client', redirectUris: [callbackUrl] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await sim?.close();
  await app?.close();
});

function authorizeUrl(): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'browser_client',
    redirect_uri: callbackUrl,
    state: 'abc',
  });
  return `${sim.url}/oauth/authorize?${query}`;
}

describe('consent page in a browser', () => {
  it('finds chromium installed', () => {
    expect(existsSync(chromiumPath)).toBe(true);
  });

  it('lets a person pick a Zoom user, click Allow and land on the redirect URI', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(authorizeUrl());

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'California Safe Driver',
    );
    await page.selectOption('select[name=user_id]', 'z8yBXksPRMa7q3VbLX1Rwg');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/simulator-consent.png', fullPage: true });
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/callback\//);

    expect(await page.textContent('#result')).toBe('Connected, state abc');
    expect(new URL(page.url()).searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    await page.close();
  });

  it('lands on the redirect URI with access_denied when Deny is clicked', async () => {
    const page = await browser.newPage();
    await page.goto(authorizeUrl());

    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(/\/callback\//);

    expect(await page.textContent('#result')).toBe('Refused: access_denied');
    await page.close();
  });
});
