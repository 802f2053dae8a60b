/**
 * The Zoom clients against the built-in simulator over real HTTP: consent, code exchange,
 * profile, meeting CRUD, refresh rotation, revoke, and the faults the simulator can inject
 * through its `/_sim/` API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppError } from '../../src/errors/app-error.js';
import { startZoomSimulator, type RunningZoomSimulator } from '../../src/simulator/index.js';
import { ZoomApiClient } from '../../src/zoom/api-client.js';
import { buildMeetingBody, buildMeetingPatch } from '../../src/zoom/meeting-body.js';
import { ZoomOAuthClient, type ZoomTokenSet } from '../../src/zoom/oauth-client.js';
import { codeChallengeS256, createCodeVerifier } from '../../src/zoom/pkce.js';
import { missingScopes } from '../../src/zoom/scopes.js';
import { captureLogger } from './local-zoom-server.js';

const REDIRECT_URI = 'http://localhost:3000/callback/';
const MARIA = 'KDcuGIm1QgePTO8WbOqwIQ';

let zoom: RunningZoomSimulator;
let oauth: ZoomOAuthClient;
const capture = captureLogger();
const issuedSecrets: string[] = [];

function remember(tokens: ZoomTokenSet): ZoomTokenSet {
  issuedSecrets.push(tokens.accessToken, tokens.refreshToken);
  return tokens;
}

beforeAll(async () => {
  zoom = await startZoomSimulator({ redirectUris: [REDIRECT_URI] });
  oauth = new ZoomOAuthClient({
    oauthUrl: zoom.url,
    clientId: zoom.simulator.config.clientId,
    clientSecret: zoom.simulator.config.clientSecret,
    redirectUri: REDIRECT_URI,
    logger: capture.logger,
    timeoutMs: 2_000,
  });
});

afterAll(async () => {
  await zoom.close();
});

beforeEach(async () => {
  await simAdmin('DELETE', '/_sim/faults');
});

async function simAdmin(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(zoom.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.json();
}

/** Goes through consent as Maria and exchanges the code, as the product's callback does. */
async function connect(): Promise<ZoomTokenSet> {
  const verifier = createCodeVerifier();
  const authorize = new URL(
    oauth.authorizeUrl({ state: 'state-1', codeChallenge: codeChallengeS256(verifier) }),
  );
  const consent = await fetch(authorize);
  expect(consent.status).toBe(200);

  const form = new URLSearchParams({
    ...Object.fromEntries(authorize.searchParams),
    decision: 'allow',
    user_id: MARIA,
  });
  const decision = await fetch(`${zoom.url}/oauth/authorize/decision`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const back = new URL(decision.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe('state-1');

  const code = back.searchParams.get('code') ?? '';
  issuedSecrets.push(code, verifier);
  return remember(await oauth.exchangeCode(code, verifier));
}

/** An API client whose token source refreshes through the OAuth client, like the product's. */
function apiFor(tokens: ZoomTokenSet, refreshes: string[] = [], sleeps: number[] = []) {
  let current = tokens;
  return new ZoomApiClient({
    apiUrl: zoom.apiUrl,
    getAccessToken: async (options) => {
      if (!options?.forceRefresh) return current.accessToken;
      current = remember(await oauth.refresh(current.refreshToken));
      refreshes.push(current.accessToken);
      return current.accessToken;
    },
    logger: capture.logger,
    timeoutMs: 1_000,
    sleep: async (ms) => void sleeps.push(ms),
  });
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => expect.unreachable('the call resolved'),
    (error: unknown) => error as AppError,
  );
}

const body = () =>
  buildMeetingBody({
    title: 'Traffic school, Saturday',
    startsAt: new Date('2026-03-08T16:00:00Z'),
    durationMinutes: 240,
    timezone: 'America/Los_Angeles',
    agenda: 'Court-ordered defensive driving class',
  });

describe('Zoom clients against the simulator', () => {
  it('connects with PKCE and is granted all five scopes', async () => {
    const tokens = await connect();

    expect(missingScopes(tokens.scopes.join(' '))).toEqual([]);
    expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('reads the minimal profile of the connected user', async () => {
    const me = await apiFor(await connect()).getMe();

    expect(me).toEqual({
      id: MARIA,
      accountId: 'q6gBJVO5TzexKYTb_I2rpg',
      email: 'maria.lopez@example.com',
      displayName: expect.any(String),
      planType: 2,
    });
  });

  it('creates, reads, updates and deletes a meeting, dropping host credentials', async () => {
    const api = apiFor(await connect());

    const created = await api.createMeeting(body());
    expect(Object.keys(created).sort()).toEqual(['id', 'joinUrl']);
    expect(created.id).toMatch(/^\d+$/);

    await api.updateMeeting(
      created.id,
      buildMeetingPatch({ title: 'Moved class', startsAt: new Date('2026-03-15T16:00:00Z') }),
    );
    const read = await api.getMeeting(created.id);
    expect(read).toMatchObject({
      id: created.id,
      topic: 'Moved class',
      duration: 240,
      joinUrl: created.joinUrl,
    });
    expect(Date.parse(read.startTime)).toBe(Date.parse('2026-03-15T16:00:00Z'));
    expect(JSON.stringify(read)).not.toMatch(/start_url|password|zak/i);

    expect(await api.deleteMeeting(created.id)).toEqual({ alreadyGone: false });
    expect(await api.deleteMeeting(created.id)).toEqual({ alreadyGone: true });
    expect((await caught(api.getMeeting(created.id))).code).toBe('ZOOM_MEETING_NOT_FOUND');
  });

  it('refreshes once and retries once when the access token has expired', async () => {
    const refreshes: string[] = [];
    const api = apiFor(await connect(), refreshes);
    await simAdmin('POST', '/_sim/tokens/expire');

    expect((await api.getMe()).id).toBe(MARIA);
    expect(refreshes).toHaveLength(1);
  });

  it('rotates the refresh token, so the old one is refused as terminal', async () => {
    const tokens = await connect();
    const rotated = remember(await oauth.refresh(tokens.refreshToken));

    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    const error = await caught(oauth.refresh(tokens.refreshToken));
    expect(error.code).toBe('ZOOM_REFRESH_FAILED');
    expect(error.extra?.terminal).toBe(true);
  });

  it('does not re-create a meeting whose answer was lost', async () => {
    const api = apiFor(await connect());
    const before = zoom.simulator.meetingsOf(MARIA).length;
    await simAdmin('POST', '/_sim/faults/create_meeting/next', { kind: 'lost_answer' });

    expect((await caught(api.createMeeting(body()))).code).toBe('ZOOM_ANSWER_LOST');
    expect(zoom.simulator.meetingsOf(MARIA)).toHaveLength(before + 1);
  });

  it('waits out an injected per-second 429 and retries', async () => {
    const sleeps: number[] = [];
    const api = apiFor(await connect(), [], sleeps);
    await simAdmin('POST', '/_sim/faults/users_me/next', { kind: 'rate_limit' });

    expect((await api.getMe()).id).toBe(MARIA);
    expect(sleeps).toEqual([1_000]);
  });

  it('retries a read through injected gateway errors', async () => {
    const api = apiFor(await connect());
    const created = await api.createMeeting(body());
    await simAdmin('POST', '/_sim/faults/get_meeting/next', {
      kind: 'error',
      status: 502,
      count: 2,
    });

    expect((await api.getMeeting(created.id)).id).toBe(created.id);
  });

  it('revokes the grant, after which its token is refused', async () => {
    const tokens = await connect();

    expect(await oauth.revoke(tokens.accessToken)).toEqual({ revoked: true });
    expect((await caught(apiFor(tokens).getMe())).code).toBe('ZOOM_REFRESH_FAILED');
  });

  it('never logs a token value', () => {
    const text = capture.lines.join('\n');

    expect(capture.lines.length).toBeGreaterThan(0);
    expect(issuedSecrets.length).toBeGreaterThan(10);
    for (const secret of issuedSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer |start_url/);
  });
});
