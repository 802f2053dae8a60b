import { afterEach, describe, expect, it } from 'vitest';

import { isAppError, type AppError } from '../../src/errors/app-error.js';
import { ZoomApiClient } from '../../src/zoom/api-client.js';
import { buildMeetingBody } from '../../src/zoom/meeting-body.js';
import type { RetryPolicy } from '../../src/zoom/retry-policy.js';
import {
  captureLogger,
  dropConnection,
  hang,
  sendJson,
  startLocalZoomServer,
  type LocalZoomServer,
  type Responder,
} from './local-zoom-server.js';

const NOW = new Date('2026-03-05T18:30:00Z');
const MEETING_BODY = buildMeetingBody({
  title: 'Traffic school, part 1',
  startsAt: new Date('2026-03-10T16:00:00Z'),
  durationMinutes: 120,
  timezone: 'America/Los_Angeles',
  agenda: 'Defensive driving',
});
const CREATED = {
  id: 85746065432,
  uuid: 'iY8Yb0AZT1i0P7U6cXzqJg==',
  host_id: 'host-1',
  topic: 'Traffic school, part 1',
  start_url: 'https://zoom.example/s/85746065432?zak=HOST-SECRET-ZAK',
  join_url: 'https://zoom.example/j/85746065432?pwd=JOIN-PWD',
  password: 'MEETINGPW1',
  h323_password: '123456',
  encrypted_password: 'ENCRYPTED-PW',
  settings: { waiting_room: true },
};

let server: LocalZoomServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Setup {
  readonly client: ZoomApiClient;
  readonly server: LocalZoomServer;
  readonly tokenCalls: (boolean | undefined)[];
  readonly sleeps: number[];
  readonly lines: string[];
}

async function setup(respond: Responder, retry: Partial<RetryPolicy> = {}): Promise<Setup> {
  server = await startLocalZoomServer(respond);
  const tokenCalls: (boolean | undefined)[] = [];
  const sleeps: number[] = [];
  const capture = captureLogger();
  const client = new ZoomApiClient({
    apiUrl: `${server.url}/v2`,
    getAccessToken: async (options) => {
      tokenCalls.push(options?.forceRefresh);
      return options?.forceRefresh ? 'fresh-access-token' : 'first-access-token';
    },
    logger: capture.logger,
    timeoutMs: 200,
    retry,
    maxRateLimitWaitMs: 10_000,
    sleep: async (ms) => void sleeps.push(ms),
    now: () => NOW,
    random: () => 0.999,
  });
  return { client, server, tokenCalls, sleeps, lines: capture.lines };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => expect.unreachable('the call resolved'),
    (error: unknown) => error as AppError,
  );
}

describe('ZoomApiClient.getMe', () => {
  it('sends the Bearer token in the header and keeps only five profile fields', async () => {
    const { client, server } = await setup((_request, reply) =>
      sendJson(reply, 200, {
        id: 'zu-1',
        account_id: 'acc-1',
        email: 'pat@example.com',
        first_name: 'Pat',
        last_name: 'Lee',
        display_name: 'Pat Lee (Instructor)',
        type: 2,
        pmi: 1234567890,
        personal_meeting_url: 'https://zoom.example/j/1234567890?pwd=PMI-PWD',
        timezone: 'America/Los_Angeles',
      }),
    );

    const me = await client.getMe();

    expect(me).toEqual({
      id: 'zu-1',
      accountId: 'acc-1',
      email: 'pat@example.com',
      displayName: 'Pat Lee (Instructor)',
      planType: 2,
    });
    const seen = server.requests[0]!;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/v2/users/me');
    expect(seen.headers.authorization).toBe('Bearer first-access-token');
  });

  it('falls back to first and last name without a display name', async () => {
    const { client } = await setup((_request, reply) =>
      sendJson(reply, 200, {
        id: 'z',
        account_id: 'a',
        email: 'b@c.d',
        first_name: 'Pat',
        last_name: 'Lee',
        type: 1,
      }),
    );

    expect((await client.getMe()).displayName).toBe('Pat Lee');
  });

  it('rejects a profile whose plan type is not an integer', async () => {
    const { client } = await setup((_request, reply) =>
      sendJson(reply, 200, { id: 'z', account_id: 'a', email: 'b@c.d', type: '2' }),
    );

    const error = await caught(client.getMe());

    expect(error.code).toBe('ZOOM_RESPONSE_INVALID');
    expect(error.extra?.fields).toEqual(['/type']);
  });
});

describe('ZoomApiClient.createMeeting', () => {
  it('posts the body and returns only the meeting id as text and the join URL', async () => {
    const { client, server, lines } = await setup((_request, reply) =>
      sendJson(reply, 201, CREATED),
    );

    const created = await client.createMeeting(MEETING_BODY);

    expect(created).toEqual({ id: '85746065432', joinUrl: CREATED.join_url });
    const text = JSON.stringify(created) + lines.join();
    for (const secret of ['HOST-SECRET-ZAK', 'MEETINGPW1', 'ENCRYPTED-PW', 'start_url', '123456']) {
      expect(text).not.toContain(secret);
    }
    const seen = server.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v2/users/me/meetings');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual(MEETING_BODY);
  });

  it('keeps a meeting id above 2^53 exact', async () => {
    const { client } = await setup((_request, reply) =>
      reply
        .code(201)
        .type('application/json')
        .send(`{"id": 9007199254740993123, "join_url": "https://zoom.example/j/1"}`),
    );

    expect((await client.createMeeting(MEETING_BODY)).id).toBe('9007199254740993123');
  });

  it('does not repeat a create that timed out and reports the answer lost', async () => {
    const { client, server } = await setup((_request, reply) => hang(reply));

    const error = await caught(client.createMeeting(MEETING_BODY));

    expect(error.code).toBe('ZOOM_ANSWER_LOST');
    expect(server.requests).toHaveLength(1);
  });

  it('does not repeat a create whose connection dropped', async () => {
    const { client, server } = await setup((request, reply) => dropConnection(request, reply));

    const error = await caught(client.createMeeting(MEETING_BODY));

    expect(error.code).toBe('ZOOM_ANSWER_LOST');
    expect(server.requests).toHaveLength(1);
  });

  it('does not repeat a create answered 504 by a gateway', async () => {
    const { client, server } = await setup((_request, reply) =>
      reply.code(504).send('gateway timeout'),
    );

    expect((await caught(client.createMeeting(MEETING_BODY))).code).toBe('ZOOM_ANSWER_LOST');
    expect(server.requests).toHaveLength(1);
  });

  it('repeats a create that Zoom refused with 503, then succeeds', async () => {
    const { client, server } = await setup((_request, reply, index) =>
      index === 0
        ? sendJson(reply, 503, { code: 503, message: 'busy' })
        : sendJson(reply, 201, CREATED),
    );

    expect((await client.createMeeting(MEETING_BODY)).id).toBe('85746065432');
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a created meeting without a join URL', async () => {
    const { client } = await setup((_request, reply) =>
      sendJson(reply, 201, { ...CREATED, join_url: undefined }),
    );

    expect((await caught(client.createMeeting(MEETING_BODY))).code).toBe('ZOOM_RESPONSE_INVALID');
  });
});

describe('ZoomApiClient token refresh on 401', () => {
  it('refreshes once and retries once on code 124', async () => {
    const { client, server, tokenCalls } = await setup((request, reply) =>
      request.headers.authorization === 'Bearer fresh-access-token'
        ? sendJson(reply, 201, CREATED)
        : sendJson(reply, 401, { code: 124, message: 'Access token is expired.' }),
    );

    expect((await client.createMeeting(MEETING_BODY)).id).toBe('85746065432');
    expect(tokenCalls).toEqual([undefined, true]);
    expect(server.requests.map((seen) => seen.headers.authorization)).toEqual([
      'Bearer first-access-token',
      'Bearer fresh-access-token',
    ]);
  });

  it('gives up with ZOOM_UNAUTHORIZED when the fresh token is refused too', async () => {
    const { client, server, tokenCalls } = await setup((_request, reply) =>
      sendJson(reply, 401, { code: 124, message: 'Invalid access token.' }),
    );

    expect((await caught(client.getMe())).code).toBe('ZOOM_UNAUTHORIZED');
    expect(tokenCalls).toEqual([undefined, true]);
    expect(server.requests).toHaveLength(2);
  });

  it('reads code 124 from an XML error body', async () => {
    const { client, tokenCalls } = await setup((request, reply) =>
      request.headers.authorization === 'Bearer fresh-access-token'
        ? sendJson(reply, 204, {}).send()
        : reply
            .code(401)
            .type('application/xml')
            .send(
              '<?xml version="1.0"?><error><code>124</code><message>Invalid access token.</message></error>',
            ),
    );

    await client.updateMeeting('85746065432', { topic: 'New title' });
    expect(tokenCalls).toEqual([undefined, true]);
  });
});

describe('ZoomApiClient rate limits', () => {
  it('waits for Retry-After given in seconds, then retries', async () => {
    const { client, sleeps, server } = await setup((_request, reply, index) =>
      index === 0
        ? sendJson(
            reply,
            429,
            {
              code: 429,
              message:
                'You have reached the maximum per-second rate limit for this API. Try again later.',
            },
            { 'retry-after': '2', 'x-ratelimit-type': 'QPS' },
          )
        : sendJson(reply, 201, CREATED),
    );

    await client.createMeeting(MEETING_BODY);

    expect(sleeps).toEqual([2_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('waits for Retry-After given as a date when it is close', async () => {
    const retryAt = new Date(NOW.getTime() + 5_000);
    const { client, sleeps } = await setup((_request, reply, index) =>
      index === 0
        ? sendJson(
            reply,
            429,
            { code: 429, message: 'slow down' },
            { 'retry-after': retryAt.toUTCString() },
          )
        : sendJson(reply, 204, {}).send(),
    );

    await client.deleteMeeting('85746065432');

    expect(sleeps).toEqual([5_000]);
  });

  it('throws ZOOM_DAILY_LIMIT with the ISO reset date instead of waiting for hours', async () => {
    const { client, sleeps, server } = await setup((_request, reply) =>
      sendJson(
        reply,
        429,
        { code: 429, message: 'daily' },
        { 'retry-after': '2026-03-06T00:00:00Z', 'x-ratelimit-type': 'Daily-limit' },
      ),
    );

    const error = await caught(client.createMeeting(MEETING_BODY));

    expect(error.code).toBe('ZOOM_DAILY_LIMIT');
    expect(error.extra?.retryAt).toBe('2026-03-06T00:00:00.000Z');
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('falls back to the next 00:00 UTC on the daily message without headers', async () => {
    const { client } = await setup((_request, reply) =>
      sendJson(reply, 429, {
        code: 429,
        message:
          'You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
      }),
    );

    const error = await caught(client.updateMeeting('85746065432', { duration: 90 }));

    expect(error.code).toBe('ZOOM_DAILY_LIMIT');
    expect(error.extra?.retryAt).toBe('2026-03-06T00:00:00.000Z');
  });

  it('throws ZOOM_RATE_LIMITED with retryAt when Retry-After exceeds the bound', async () => {
    const { client, sleeps } = await setup((_request, reply) =>
      sendJson(reply, 429, { code: 429, message: 'slow down' }, { 'retry-after': '60' }),
    );

    const error = await caught(client.getMeeting('85746065432'));

    expect(error.code).toBe('ZOOM_RATE_LIMITED');
    expect(error.extra?.retryAt).toBe('2026-03-05T18:31:00.000Z');
    expect(sleeps).toEqual([]);
  });

  it('stops waiting after the allowed number of in-call waits', async () => {
    const { client, sleeps, server } = await setup(
      (_request, reply) =>
        sendJson(reply, 429, { code: 429, message: 'slow down' }, { 'retry-after': '1' }),
      { maxRateLimitRetries: 2 },
    );

    expect((await caught(client.getMe())).code).toBe('ZOOM_RATE_LIMITED');
    expect(sleeps).toEqual([1_000, 1_000]);
    expect(server.requests).toHaveLength(3);
  });
});

describe('ZoomApiClient server errors and timeouts', () => {
  it('retries a 5xx with capped exponential backoff, then throws ZOOM_UNAVAILABLE', async () => {
    const { client, sleeps, server } = await setup(
      (_request, reply) => sendJson(reply, 500, { code: 500, message: 'internal' }),
      { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 },
    );

    expect((await caught(client.getMeeting('85746065432'))).code).toBe('ZOOM_UNAVAILABLE');
    expect(server.requests).toHaveLength(4);
    // random() is 0.999: each delay sits just under its ceiling of 100, 200, then the cap 300.
    expect(sleeps).toEqual([99, 199, 299]);
  });

  it('retries a GET that timed out, then throws ZOOM_TIMEOUT', async () => {
    const { client, server } = await setup((_request, reply) => hang(reply), { maxAttempts: 2 });

    expect((await caught(client.getMeeting('85746065432'))).code).toBe('ZOOM_TIMEOUT');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a PATCH whose connection dropped, then succeeds', async () => {
    const { client, server } = await setup((request, reply, index) =>
      index === 0 ? dropConnection(request, reply) : reply.code(204).send(),
    );

    await client.updateMeeting('85746065432', { topic: 'Moved' });
    expect(server.requests).toHaveLength(2);
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ topic: 'Moved' });
  });

  it('reports an unreachable Zoom as ZOOM_UNAVAILABLE after the allowed tries', async () => {
    const { client, server: running } = await setup((_request, reply) => reply.code(204).send());
    await running.close();
    server = undefined;

    expect((await caught(client.createMeeting(MEETING_BODY))).code).toBe('ZOOM_UNAVAILABLE');
  });
});

describe('ZoomApiClient meeting reads, updates and deletes', () => {
  it('returns the minimal meeting details', async () => {
    const { client, server } = await setup((_request, reply) =>
      sendJson(reply, 200, {
        ...CREATED,
        start_time: '2026-03-10T16:00:00Z',
        duration: 120,
        timezone: 'America/Los_Angeles',
      }),
    );

    const meeting = await client.getMeeting('85746065432');

    expect(meeting).toEqual({
      id: '85746065432',
      topic: 'Traffic school, part 1',
      startTime: '2026-03-10T16:00:00Z',
      duration: 120,
      timezone: 'America/Los_Angeles',
      joinUrl: CREATED.join_url,
    });
    expect(server.requests[0]!.url).toBe('/v2/meetings/85746065432');
  });

  it.each([
    ['get', (client: ZoomApiClient) => client.getMeeting('1')],
    ['update', (client: ZoomApiClient) => client.updateMeeting('1', { duration: 60 })],
  ])('reports 404 code 3001 on %s as ZOOM_MEETING_NOT_FOUND', async (_name, call) => {
    const { client, server } = await setup((_request, reply) =>
      sendJson(reply, 404, { code: 3001, message: 'Meeting 1 is not found or has expired.' }),
    );

    const error = await caught(call(client));

    expect(error.code).toBe('ZOOM_MEETING_NOT_FOUND');
    expect(error.extra?.zoomCode).toBe(3001);
    expect(server.requests).toHaveLength(1);
  });

  it.each([3001, 1001])('treats a delete answered 404 code %i as already gone', async (code) => {
    const { client } = await setup((_request, reply) =>
      sendJson(reply, 404, { code, message: 'gone' }),
    );

    expect(await client.deleteMeeting('85746065432')).toEqual({ alreadyGone: true });
  });

  it('deletes with DELETE and a 204 answer', async () => {
    const { client, server } = await setup((_request, reply) => reply.code(204).send());

    expect(await client.deleteMeeting('85746065432')).toEqual({ alreadyGone: false });
    expect(server.requests[0]!.method).toBe('DELETE');
    expect(server.requests[0]!.url).toBe('/v2/meetings/85746065432');
  });

  it('reports validation code 300 as ZOOM_REQUEST_INVALID with the fields', async () => {
    const { client } = await setup((_request, reply) =>
      sendJson(reply, 400, {
        code: 300,
        message: 'Validation Failed.',
        errors: [{ field: 'start_time', message: 'Invalid field.' }],
      }),
    );

    const error = await caught(client.updateMeeting('1', { start_time: 'x' }));

    expect(error.code).toBe('ZOOM_REQUEST_INVALID');
    expect(error.fields).toEqual([{ field: 'start_time', message: 'Invalid field.' }]);
  });

  it.each([
    [400, 4711],
    [400, 4700],
    [401, 4711],
  ])('reports a missing scope (%i, code %i) as ZOOM_SCOPE_MISSING', async (status, code) => {
    const { client, tokenCalls } = await setup((_request, reply) =>
      sendJson(reply, status, {
        code,
        message: 'Invalid access token, does not contain scopes:[meeting:delete:meeting].',
      }),
    );

    const error = await caught(client.deleteMeeting('1'));

    expect(error.code).toBe('ZOOM_SCOPE_MISSING');
    expect(error.extra?.missingScopes).toEqual(['meeting:delete:meeting']);
    expect(tokenCalls).toHaveLength(1);
  });

  it('refuses a meeting id that is not a Zoom meeting number without calling Zoom', async () => {
    const { client, server } = await setup((_request, reply) => reply.code(204).send());

    expect((await caught(client.deleteMeeting('1/../../users/me'))).code).toBe('VALIDATION_FAILED');
    expect(server.requests).toHaveLength(0);
  });

  it('handles a non-JSON error body by its status alone', async () => {
    const { client } = await setup((_request, reply) =>
      reply.code(403).type('text/html').send('<html>no</html>'),
    );

    const error = await caught(client.getMeeting('1'));

    expect(isAppError(error, 'ZOOM_REQUEST_INVALID')).toBe(true);
    expect(error.extra?.status).toBe(403);
  });
});
