import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { api, connect, dan, maria, startTestSimulator } from './simulator-harness.js';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;
let sim: Sim;

beforeEach(async () => {
  sim = await startTestSimulator();
});

afterEach(async () => {
  await sim.close();
});

const lesson = {
  topic: 'Defensive driving',
  type: 2,
  start_time: '2025-03-12T16:00:00Z',
  duration: 60,
  timezone: 'America/Los_Angeles',
};

async function createMeeting(token: string, body: unknown = lesson) {
  const response = await api(sim.apiUrl, token, 'POST', '/users/me/meetings', body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('access', () => {
  it('answers 401 code 124 without a token, with an unknown one, or with one in the query', async () => {
    const tokens = await connect(sim.url, maria);
    const none = await fetch(`${sim.apiUrl}/users/me`);
    const unknown = await api(sim.apiUrl, 'not-a-token', 'GET', '/users/me');
    const inQuery = await fetch(`${sim.apiUrl}/users/me?access_token=${tokens.access_token}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });

    for (const response of [none, unknown, inQuery]) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: number }).code).toBe(124);
    }
  });

  it('answers 401 code 124 once an admin call has expired every access token', async () => {
    const tokens = await connect(sim.url, maria);
    await fetch(`${sim.url}/_sim/tokens/expire`, { method: 'POST' });

    const response = await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me');

    expect(response.status).toBe(401);
  });

  it('answers 400 code 4711 naming the scope a token lacks', async () => {
    sim.simulator.configure({ grantedScopes: ['user:read:user', 'meeting:write:meeting'] });
    const tokens = await connect(sim.url, maria);

    const response = await api(sim.apiUrl, tokens.access_token, 'DELETE', '/meetings/12345678901');
    const body = (await response.json()) as { code: number; message: string };

    expect(response.status).toBe(400);
    expect(body.code).toBe(4711);
    expect(body.message).toContain('meeting:delete:meeting');
    expect(tokens.scope).toBe('user:read:user meeting:write:meeting');
  });
});

describe('users/me', () => {
  it('answers the profile with more fields than the product needs', async () => {
    const tokens = await connect(sim.url, dan);

    const profile = (await (
      await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me')
    ).json()) as Record<string, unknown>;

    expect(profile).toMatchObject({
      id: dan,
      account_id: 'Ut2qAB7cR7iXmmBQyS8pbw',
      email: 'dan.brooks@example.com',
      first_name: 'Dan',
      last_name: 'Brooks',
      display_name: 'Dan Brooks',
      type: 1,
      timezone: 'America/Los_Angeles',
      status: 'active',
      language: 'en-US',
    });
    expect(typeof profile.pmi).toBe('number');
  });
});

describe('meetings', () => {
  it('answers a create with every field Zoom documents for the 201', async () => {
    const spec = JSON.parse(
      readFileSync(
        new URL('../fixtures/zoom/zoom-meeting-api-subset.openapi.json', import.meta.url),
        'utf8',
      ),
    );
    const documented = Object.keys(
      spec.paths['/users/{userId}/meetings'].post.responses['201'].content['application/json']
        .schema.properties,
    );
    const tokens = await connect(sim.url, maria);

    const created = await createMeeting(tokens.access_token);

    const optional = [
      'assistant_id',
      'registration_url',
      'chat_join_url',
      'occurrences',
      'recurrence',
      'tracking_fields',
      'pmi',
    ];
    for (const field of documented.filter((name) => !optional.includes(name))) {
      expect(created.body, field).toHaveProperty(field);
    }
    expect(created.body).toMatchObject({
      uuid: expect.any(String),
      host_id: maria,
      status: 'waiting',
    });
  });

  it('reads a local start time in the meeting time zone and answers it in UTC', async () => {
    const tokens = await connect(sim.url, maria);

    const created = await createMeeting(tokens.access_token, {
      ...lesson,
      start_time: '2025-07-01T09:00:00',
    });

    expect(created.body.start_time).toBe('2025-07-01T16:00:00Z');
  });

  it('answers 400 code 300 listing each field at fault', async () => {
    const tokens = await connect(sim.url, maria);

    const bad = await createMeeting(tokens.access_token, {
      topic: 42,
      type: 5,
      duration: '60',
      agenda: 'a'.repeat(2001),
      start_time: 'next tuesday',
      settings: { join_before_host: 'yes', audio: 'loud' },
    });
    const fields = (bad.body.errors as { field: string }[]).map((error) => error.field).sort();

    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(300);
    expect(fields).toEqual([
      'agenda',
      'duration',
      'settings.audio',
      'settings.join_before_host',
      'topic',
      'type',
    ]);
    expect(sim.simulator.meetingsOf(maria)).toHaveLength(0);
  });

  it('answers 400 code 300 for a bad time zone, a bad start time and a body that is not JSON', async () => {
    const tokens = await connect(sim.url, maria);

    const zone = await createMeeting(tokens.access_token, { ...lesson, timezone: 'Mars/Olympus' });
    const time = await createMeeting(tokens.access_token, {
      ...lesson,
      start_time: '2025-03-12 16:00',
    });
    const notJson = await fetch(`${sim.apiUrl}/users/me/meetings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/json',
      },
      body: '{"topic":',
    });

    expect(zone.body.code).toBe(300);
    expect(time.body.code).toBe(300);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { code: number }).code).toBe(300);
  });

  it('answers 404 code 3001 for an unknown meeting on read, update and delete', async () => {
    const tokens = await connect(sim.url, maria);

    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const body = method === 'PATCH' ? { topic: 'x' } : undefined;
      const response = await api(
        sim.apiUrl,
        tokens.access_token,
        method,
        '/meetings/99999999999',
        body,
      );
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        code: 3001,
        message: 'Meeting 99999999999 is not found or has expired.',
      });
    }
  });

  it('lets only the host read, update or delete a meeting', async () => {
    const host = await connect(sim.url, maria);
    const other = await connect(sim.url, dan);
    const created = await createMeeting(host.access_token);

    const read = await api(sim.apiUrl, other.access_token, 'GET', `/meetings/${created.body.id}`);
    const patch = await api(
      sim.apiUrl,
      other.access_token,
      'PATCH',
      `/meetings/${created.body.id}`,
      { topic: 'x' },
    );
    const remove = await api(
      sim.apiUrl,
      other.access_token,
      'DELETE',
      `/meetings/${created.body.id}`,
    );

    expect(read.status).toBe(404);
    expect(((await patch.json()) as { code: number }).code).toBe(3003);
    expect(remove.status).toBe(400);
    expect(sim.simulator.meetingsOf(maria)).toHaveLength(1);
  });

  it('creates on another user id only when it is the token owner', async () => {
    const tokens = await connect(sim.url, maria);

    const own = await api(
      sim.apiUrl,
      tokens.access_token,
      'POST',
      `/users/${maria}/meetings`,
      lesson,
    );
    const other = await api(
      sim.apiUrl,
      tokens.access_token,
      'POST',
      `/users/${dan}/meetings`,
      lesson,
    );

    expect(own.status).toBe(201);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: number }).code).toBe(1001);
  });
});
