import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  api,
  connect,
  eventually,
  maria,
  startTestSimulator,
  tokenCall,
} from './simulator-harness.js';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;
let sim: Sim;

beforeEach(async () => {
  sim = await startTestSimulator();
});

afterEach(async () => {
  await sim.close();
});

const lesson = { topic: 'Lesson', type: 2, start_time: '2025-03-12T16:00:00Z', duration: 60 };

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('faults', () => {
  it('answers the next N calls of a route with the injected error, then recovers', async () => {
    const tokens = await connect(sim.url, maria);
    await admin('POST', '/faults/users_me/next', { kind: 'error', status: 503, count: 2 });

    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me')).status);

    expect(statuses).toEqual([503, 503, 200]);
  });

  it('draws errors at a rate, repeatably with a seed', async () => {
    const tokens = await connect(sim.url, maria);
    const run = async () => {
      sim.simulator.faults.set('get_meeting', { errorRate: 0.5, errorStatuses: [500, 502] }, 42);
      const statuses = [];
      for (let i = 0; i < 12; i += 1) {
        sim.clock.advance(1000);
        statuses.push(
          (await api(sim.apiUrl, tokens.access_token, 'GET', '/meetings/12345678901')).status,
        );
      }
      return statuses;
    };

    const first = await run();
    const second = await run();

    expect(first).toEqual(second);
    expect(first.some((status) => status === 404)).toBe(true);
    expect(first.some((status) => status === 500 || status === 502)).toBe(true);
  });

  it('injects a 429 with rate-limit headers', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.faults.next('create_meeting', { kind: 'rate_limit' });

    const response = await api(
      sim.apiUrl,
      tokens.access_token,
      'POST',
      '/users/me/meetings',
      lesson,
    );

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(sim.simulator.meetingsOf(maria)).toHaveLength(0);
  });

  it('adds latency to a route', async () => {
    const tokens = await connect(sim.url, maria);
    await admin('PUT', '/faults/users_me', { latencyMs: 250 });

    const started = performance.now();
    const response = await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me');

    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('hangs until the client gives up, without making the change', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.faults.next('create_meeting', { kind: 'hang' });

    const call = fetch(`${sim.apiUrl}/users/me/meetings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(lesson),
      signal: AbortSignal.timeout(300),
    });

    await expect(call).rejects.toThrow();
    expect(sim.simulator.meetingsOf(maria)).toHaveLength(0);
    await eventually(() =>
      sim.simulator.requests('create_meeting').some((entry) => entry.fault === 'hang'),
    );
  });

  it('hangs for a set time, then drops the connection', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.faults.next('users_me', { kind: 'hang', ms: 200 });

    const started = performance.now();
    await expect(api(sim.apiUrl, tokens.access_token, 'GET', '/users/me')).rejects.toThrow();

    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('makes the meeting and then loses the answer to a create', async () => {
    const tokens = await connect(sim.url, maria);
    await admin('POST', '/faults/create_meeting/next', { kind: 'lost_answer' });

    await expect(
      api(sim.apiUrl, tokens.access_token, 'POST', '/users/me/meetings', lesson),
    ).rejects.toThrow();

    expect(sim.simulator.meetingsOf(maria)).toHaveLength(1);
    expect(sim.simulator.counters().meetingCreates[maria]).toEqual({ '2025-03-10': 1 });
    const logged = sim.simulator.requests('create_meeting');
    expect(logged.at(-1)).toMatchObject({
      status: null,
      fault: 'lost_answer',
      path: '/v2/users/me/meetings',
    });
  });

  it('rotates the refresh token and then loses the answer, leaving the client with a dead one', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.faults.next('token', { kind: 'lost_answer' });

    const lost = tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    await expect(lost).rejects.toThrow();
    const retry = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });

    expect(retry.body.error).toBe('invalid_grant');
    expect(sim.simulator.counters().refreshGrants[maria]).toBe(1);
  });

  it('clears every fault through the admin API', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.faults.set('users_me', { errorRate: 1 });
    await admin('DELETE', '/faults');

    expect((await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me')).status).toBe(200);
  });
});

describe('refresh hold', () => {
  it('holds two refreshes with the same token and lets exactly one win', async () => {
    const tokens = await connect(sim.url, maria);
    await admin('POST', '/refresh-hold', { ms: 5000, userId: maria });
    const refresh = () =>
      tokenCall(sim.url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });

    const racing = [refresh(), refresh()];
    await eventually(() => sim.simulator.refreshHold.waiting() === 2);
    await admin('DELETE', '/refresh-hold');
    const answers = await Promise.all(racing);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    expect(sim.simulator.counters()).toMatchObject({
      refreshGrants: { [maria]: 1 },
      invalidGrants: { [maria]: 1 },
    });
  });

  it('lets through refreshes of other users', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.refreshHold.start(5000, 'someone-else');

    const answer = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });

    expect(answer.status).toBe(200);
  });

  it('releases a hold by itself after its time', async () => {
    const tokens = await connect(sim.url, maria);
    sim.simulator.refreshHold.start(200);

    const started = performance.now();
    const answer = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });

    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});
