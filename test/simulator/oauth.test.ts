import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  api,
  basic,
  connect,
  consent,
  decide,
  maria,
  pkcePair,
  redirectUri,
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

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'test_client',
    redirect_uri: redirectUri,
    state: 'state-123',
    ...params,
  });
  return `${sim.url}/oauth/authorize?${query}`;
}

const exchange = (code: string, extra: Record<string, string> = {}) =>
  tokenCall(sim.url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    ...extra,
  });

describe('consent', () => {
  it('shows the app, its five permissions, the Zoom users and the request in hidden fields', async () => {
    const response = await fetch(authorizeUrl({}));
    const page = await response.text();

    expect(response.status).toBe(200);
    expect(page).toContain('California Safe Driver');
    expect(page).toContain('create new meetings on your account');
    expect(page).toContain('read your Zoom profile (name, email, account type)');
    expect(page).toContain('action="/oauth/authorize/decision"');
    expect(page).toContain('name="state" value="state-123"');
    expect(page).toContain('maria.lopez@example.com');
    expect(page.match(/<li>/g)).toHaveLength(5);
  });

  it('shows an error page for a redirect URI off the allow list, and for a wrong client_id', async () => {
    const mismatch = await fetch(authorizeUrl({ redirect_uri: 'http://127.0.0.1:9/callback/x' }));
    const wrongClient = await fetch(authorizeUrl({ client_id: 'someone_else' }));

    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('4709');
    expect(wrongClient.status).toBe(400);
  });

  it('redirects with the code and state on Allow, with access_denied on Deny', async () => {
    const allowed = await decide(sim.url, maria, 'allow');
    const denied = await decide(sim.url, maria, 'deny');

    expect(allowed.origin + allowed.pathname).toBe(redirectUri);
    expect(allowed.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    expect(allowed.searchParams.get('state')).toBe('state-123');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('state-123');
    expect(denied.searchParams.has('code')).toBe(false);
  });
});

describe('code exchange', () => {
  it('takes a consent through tokens, the profile and a meeting create, read, update, delete', async () => {
    const code = await consent(sim.url, maria);
    const tokens = await exchange(code);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, api_url: sim.url });
    expect(tokens.body.scope).toBe(
      'user:read:user meeting:write:meeting meeting:read:meeting meeting:update:meeting meeting:delete:meeting',
    );
    const accessToken = String(tokens.body.access_token);
    expect(accessToken.length).toBeGreaterThanOrEqual(40);

    const me = await api(sim.apiUrl, accessToken, 'GET', '/users/me');
    expect(await me.json()).toMatchObject({ id: maria, type: 2, email: 'maria.lopez@example.com' });

    const created = await api(sim.apiUrl, accessToken, 'POST', '/users/me/meetings', {
      topic: 'Traffic school, part 1',
      type: 2,
      start_time: '2025-03-12T16:00:00Z',
      duration: 240,
      timezone: 'America/Los_Angeles',
    });
    expect(created.status).toBe(201);
    const meeting = (await created.json()) as Record<string, unknown>;
    expect(String(meeting.id)).toMatch(/^\d{11}$/);
    expect(meeting.join_url).toMatch(new RegExp(`^${sim.url}/j/${meeting.id}\\?pwd=[\\w-]{20,}$`));
    expect(meeting.start_url).toMatch(/\/s\/\d+\?zak=[\w-]{100,}$/);
    expect(meeting).toMatchObject({
      host_id: maria,
      duration: 240,
      start_time: '2025-03-12T16:00:00Z',
    });

    const patched = await api(sim.apiUrl, accessToken, 'PATCH', `/meetings/${meeting.id}`, {
      topic: 'Traffic school, moved',
      start_time: '2025-03-13T16:00:00Z',
    });
    expect(patched.status).toBe(204);
    expect(await patched.text()).toBe('');

    const read = await api(sim.apiUrl, accessToken, 'GET', `/meetings/${meeting.id}`);
    expect(await read.json()).toMatchObject({
      topic: 'Traffic school, moved',
      start_time: '2025-03-13T16:00:00Z',
    });

    const deleted = await api(sim.apiUrl, accessToken, 'DELETE', `/meetings/${meeting.id}`);
    expect(deleted.status).toBe(204);
    expect(sim.simulator.meetingsOf(maria)).toHaveLength(0);
    expect((await api(sim.apiUrl, accessToken, 'GET', `/meetings/${meeting.id}`)).status).toBe(404);
  });

  it('refuses a second use of a code and revokes the tokens the first use issued', async () => {
    const code = await consent(sim.url, maria);
    const first = await exchange(code);
    const second = await exchange(code);

    expect(second).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_grant' }),
    });
    const me = await api(sim.apiUrl, String(first.body.access_token), 'GET', '/users/me');
    expect(me.status).toBe(401);
  });

  it('refuses a code older than five minutes', async () => {
    const code = await consent(sim.url, maria);
    sim.clock.advance(5 * 60_000 + 1);

    const answer = await exchange(code);

    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('binds a code to its redirect URI and PKCE verifier', async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };

    const wrongRedirect = await tokenCall(sim.url, {
      grant_type: 'authorization_code',
      code: await consent(sim.url, maria, pkce),
      redirect_uri: 'http://127.0.0.1:9/elsewhere/',
      code_verifier: verifier,
    });
    const wrongVerifier = await exchange(await consent(sim.url, maria, pkce), {
      code_verifier: 'x'.repeat(43),
    });
    const noVerifier = await exchange(await consent(sim.url, maria, pkce));
    const right = await exchange(await consent(sim.url, maria, pkce), { code_verifier: verifier });

    expect(wrongRedirect.status).toBe(400);
    expect(wrongVerifier.body.error).toBe('invalid_grant');
    expect(noVerifier.body.error).toBe('invalid_grant');
    expect(right.status).toBe(200);
  });

  it('answers invalid_client without Basic credentials or with a wrong secret', async () => {
    const code = await consent(sim.url, maria);
    const fields = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };

    const wrong = await tokenCall(sim.url, fields, basic('test_client', 'nope'));
    const none = await tokenCall(sim.url, fields, '');

    expect(wrong).toEqual({
      status: 400,
      body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    });
    expect(none.body.error).toBe('invalid_client');
  });

  it('refuses a JSON body on the token endpoint', async () => {
    const response = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('refresh', () => {
  it('rotates the refresh token on every refresh and refuses the old one', async () => {
    const first = await connect(sim.url, maria);
    const second = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    const reused = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });

    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(reused).toEqual({
      status: 400,
      body: { reason: 'Invalid Token!', error: 'invalid_grant' },
    });

    const third = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: String(second.body.refresh_token),
    });
    expect(third.status).toBe(200);
    expect(sim.simulator.counters()).toMatchObject({
      refreshGrants: { [maria]: 2 },
      invalidGrants: { [maria]: 1 },
      codeExchanges: { [maria]: 1 },
    });
  });

  it('ends the older grant when the same Zoom user authorizes again', async () => {
    const older = await connect(sim.url, maria);
    const newer = await connect(sim.url, maria);

    const oldApi = await api(sim.apiUrl, older.access_token, 'GET', '/users/me');
    const oldRefresh = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: older.refresh_token,
    });
    const newApi = await api(sim.apiUrl, newer.access_token, 'GET', '/users/me');

    expect(oldApi.status).toBe(401);
    expect(oldRefresh.body.error).toBe('invalid_grant');
    expect(newApi.status).toBe(200);
    expect(sim.simulator.grantList(true).map((grant) => grant.endReason)).toEqual([
      'superseded',
      null,
    ]);
  });

  it('expires access tokens after the configured lifetime', async () => {
    const tokens = await connect(sim.url, maria);
    sim.clock.advance(3600_000);

    const response = await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me');

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 124, message: 'Invalid access token.' });
  });
});

describe('revoke', () => {
  it('revokes the grant and answers success', async () => {
    const tokens = await connect(sim.url, maria);
    const response = await fetch(`${sim.url}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: basic() },
      body: new URLSearchParams({ token: tokens.access_token }),
    });

    expect(await response.json()).toEqual({ status: 'success' });
    expect((await api(sim.apiUrl, tokens.access_token, 'GET', '/users/me')).status).toBe(401);
    const refresh = await tokenCall(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });
});
