import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ZoomSimulator, zoomSimulatorPlugin } from '../../src/simulator/index.js';
import {
  api,
  basic,
  clientId,
  clientSecret,
  maria,
  redirectUri,
  TestClock,
} from './simulator-harness.js';

let host: FastifyInstance;
let simulator: ZoomSimulator;
let base: string;

beforeEach(async () => {
  host = Fastify({ forceCloseConnections: true });
  await host.register(formbody);
  host.get('/healthz', async () => ({ status: 'ok' }));
  simulator = new ZoomSimulator({
    clientId,
    clientSecret,
    redirectUris: [redirectUri],
    now: new TestClock().now,
  });
  await host.register(zoomSimulatorPlugin, { prefix: '/zoom-simulator', simulator });
  await host.listen({ port: 0, host: '127.0.0.1' });
  const address = host.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/zoom-simulator`;
});

afterEach(async () => {
  await host.close();
});

async function connectAt(
  prefixBase: string,
): Promise<{ access_token: string; refresh_token: string; api_url: string }> {
  const decision = await fetch(`${prefixBase}/oauth/authorize/decision`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      user_id: maria,
      decision: 'allow',
    }),
  });
  const code = new URL(decision.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const tokens = await fetch(`${prefixBase}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic() },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    }),
  });
  return (await tokens.json()) as { access_token: string; refresh_token: string; api_url: string };
}

describe('mounted at a prefix', () => {
  it('serves OAuth and REST below the prefix, beside the host application', async () => {
    const page = await (
      await fetch(
        `${base}/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${redirectUri}`,
      )
    ).text();
    const tokens = await connectAt(base);
    const created = await api(`${base}/v2`, tokens.access_token, 'POST', '/users/me/meetings', {
      topic: 'Lesson',
    });
    const meeting = (await created.json()) as { join_url: string };

    expect(page).toContain('action="/zoom-simulator/oauth/authorize/decision"');
    expect(tokens.api_url).toBe(base);
    expect(meeting.join_url.startsWith(`${base}/j/`)).toBe(true);
    expect((await fetch(meeting.join_url)).status).toBe(200);
    expect((await fetch(base.replace('/zoom-simulator', '/healthz'))).status).toBe(200);
  });

  it('keeps tokens and codes out of the request log', async () => {
    const tokens = await connectAt(base);
    await api(`${base}/v2`, tokens.access_token, 'GET', '/users/me');
    await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic() },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      }),
    });

    const log = await (await fetch(`${base}/_sim/requests`)).text();

    expect(log).toContain('"route":"users_me"');
    expect(log).toContain('"path":"/oauth/token"');
    expect(log).not.toContain(tokens.access_token);
    expect(log).not.toContain(tokens.refresh_token);
    expect(log).not.toContain('code=');
  });

  it('closes while a hang fault holds a connection open', async () => {
    const tokens = await connectAt(base);
    simulator.faults.next('users_me', { kind: 'hang' });
    const hanging = api(`${base}/v2`, tokens.access_token, 'GET', '/users/me').catch(
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    await host.close();

    expect(await hanging).toBe('dropped');
  });
});

describe('admin API', () => {
  it('adds and updates users, changes the token lifetime and resets everything', async () => {
    const added = await fetch(`${base}/_sim/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'newUser00000000000000A',
        account_id: 'newAccount000000000000',
        email: 'new@example.com',
        first_name: 'New',
        last_name: 'Instructor',
        type: 1,
        timezone: 'America/Chicago',
      }),
    });
    const updated = await fetch(`${base}/_sim/users/newUser00000000000000A`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 2 }),
    });
    await fetch(`${base}/_sim/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessTokenTtlSeconds: 120 }),
    });
    const tokens = (await connectAt(base)) as unknown as { expires_in: number };

    expect(added.status).toBe(201);
    expect(((await updated.json()) as { user: { type: number } }).user.type).toBe(2);
    expect(tokens.expires_in).toBe(120);

    await fetch(`${base}/_sim/reset`, { method: 'POST' });
    expect(simulator.users.get('newUser00000000000000A')).toBeUndefined();
    expect(simulator.grantList()).toHaveLength(0);
    expect(simulator.config.accessTokenTtlSeconds).toBe(3600);
  });

  it('shows a page for a person linking the inspection calls', async () => {
    const response = await fetch(`${base}/_sim/`);
    const page = await response.text();

    expect(response.headers.get('content-type')).toContain('text/html');
    expect(page).toContain('href="/zoom-simulator/_sim/meetings"');
    expect(page).toContain('href="/zoom-simulator/marketplace/manage/added-apps"');
  });

  it('refuses a fault for an unknown route', async () => {
    const response = await fetch(`${base}/_sim/faults/nowhere/next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'error' }),
    });

    expect(response.status).toBe(400);
  });
});
