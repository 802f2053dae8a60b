import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { api, connect, maria, startTestSimulator } from './simulator-harness.js';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;
let sim: Sim;

beforeEach(async () => {
  sim = await startTestSimulator();
});

afterEach(async () => {
  await sim.close();
});

const lesson = { topic: 'Lesson', type: 2, start_time: '2025-03-12T16:00:00Z', duration: 60 };

describe('rate limits', () => {
  it('answers 429 with QPS headers past 20 creates in one second on one account', async () => {
    const tokens = await connect(sim.url, maria);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      statuses.push(
        (await api(sim.apiUrl, tokens.access_token, 'POST', '/users/me/meetings', lesson)).status,
      );
    }

    const refused = await api(
      sim.apiUrl,
      tokens.access_token,
      'POST',
      '/users/me/meetings',
      lesson,
    );

    expect(statuses.every((status) => status === 201)).toBe(true);
    expect(refused.status).toBe(429);
    expect(Object.fromEntries(refused.headers)).toMatchObject({
      'x-ratelimit-category': 'Medium',
      'x-ratelimit-type': 'QPS',
      'x-ratelimit-limit': '20',
      'x-ratelimit-remaining': '0',
      'retry-after': '1',
    });
    expect(((await refused.json()) as { code: number }).code).toBe(429);

    sim.clock.advance(1000);
    expect(
      (await api(sim.apiUrl, tokens.access_token, 'POST', '/users/me/meetings', lesson)).status,
    ).toBe(201);
  });

  it('counts Light requests in their own pool of 30 per second', async () => {
    const tokens = await connect(sim.url, maria);
    for (let i = 0; i < 30; i += 1) await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me');

    const refused = await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me');
    const create = await api(sim.apiUrl, tokens.access_token, 'POST', '/users/me/meetings', lesson);

    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-category')).toBe('Light');
    expect(create.status).toBe(201);
  });

  it('answers 429 Daily-limit after 100 creates and updates by one user in a UTC day', async () => {
    const tokens = await connect(sim.url, maria);
    const first = (await (
      await api(sim.apiUrl, tokens.access_token, 'POST', '/users/me/meetings', lesson)
    ).json()) as {
      id: number;
    };
    for (let i = 1; i < 100; i += 1) {
      sim.clock.advance(100);
      const response = await api(
        sim.apiUrl,
        tokens.access_token,
        'PATCH',
        `/meetings/${first.id}`,
        { duration: i },
      );
      expect(response.status).toBe(204);
    }
    sim.clock.advance(1000);

    const refused = await api(
      sim.apiUrl,
      tokens.access_token,
      'POST',
      '/users/me/meetings',
      lesson,
    );
    const body = (await refused.json()) as { code: number; message: string };

    expect(refused.status).toBe(429);
    expect(body.code).toBe(429);
    expect(body.message).toContain('daily rate limit (100)');
    expect(refused.headers.get('x-ratelimit-type')).toBe('Daily-limit');
    expect(refused.headers.get('retry-after')).toBe('2025-03-11T00:00:00Z');
    expect(
      (await api(sim.apiUrl, tokens.access_token, 'GET', `/meetings/${first.id}`)).status,
    ).toBe(200);
    expect(sim.simulator.counters().meetingUpdates[maria]).toEqual({ '2025-03-10': 99 });

    sim.clock.advance(7 * 3600_000);
    const nextDay = await connect(sim.url, maria);
    const created = await api(
      sim.apiUrl,
      nextDay.access_token,
      'POST',
      '/users/me/meetings',
      lesson,
    );
    expect(created.status).toBe(201);
  });
});
