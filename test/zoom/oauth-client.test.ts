import { createHash } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { isAppError } from '../../src/errors/app-error.js';
import { ZoomOAuthClient } from '../../src/zoom/oauth-client.js';
import { codeChallengeS256, createCodeVerifier } from '../../src/zoom/pkce.js';
import {
  captureLogger,
  dropConnection,
  hang,
  sendJson,
  startLocalZoomServer,
  type LocalZoomServer,
  type Responder,
} from './local-zoom-server.js';

const CLIENT_SECRET = 'client-secret-value-42';
const GOOD_ANSWER = {
  access_token: 'access-token-abc',
  refresh_token: 'refresh-token-def',
  expires_in: 3600,
  scope: 'user:read:user meeting:write:meeting',
  token_type: 'bearer',
  api_url: 'https://api.zoom.us',
};

let server: LocalZoomServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(respond: Responder) {
  server = await startLocalZoomServer(respond);
  const capture = captureLogger();
  const client = new ZoomOAuthClient({
    oauthUrl: server.url,
    clientId: 'client-id-1',
    clientSecret: CLIENT_SECRET,
    redirectUri: 'http://localhost:3000/callback/',
    logger: capture.logger,
    timeoutMs: 300,
    now: () => new Date('2026-01-10T12:00:00Z'),
  });
  return { client, server, lines: capture.lines };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call resolved'),
    (error: unknown) => error,
  );
}

describe('PKCE', () => {
  it('makes a verifier of 43 base64url characters from 32 random bytes', () => {
    const verifier = createCodeVerifier();

    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(verifier, 'base64url')).toHaveLength(32);
    expect(createCodeVerifier()).not.toBe(verifier);
  });

  it('derives the challenge as base64url of the SHA-256 of the verifier', () => {
    const verifier = createCodeVerifier();
    const expected = createHash('sha256').update(verifier).digest('base64url');

    expect(codeChallengeS256(verifier)).toBe(expected);
  });

  it('matches the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

    expect(codeChallengeS256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('ZoomOAuthClient.authorizeUrl', () => {
  it('builds the consent URL with PKCE and without a scope parameter', () => {
    const client = new ZoomOAuthClient({
      oauthUrl: 'https://zoom.us',
      clientId: 'client-id-1',
      clientSecret: CLIENT_SECRET,
      redirectUri: 'http://localhost:3000/callback/',
      logger: captureLogger().logger,
    });

    const url = new URL(client.authorizeUrl({ state: 'state-1', codeChallenge: 'challenge-1' }));

    expect(url.origin + url.pathname).toBe('https://zoom.us/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-id-1',
      redirect_uri: 'http://localhost:3000/callback/',
      state: 'state-1',
      code_challenge: 'challenge-1',
      code_challenge_method: 'S256',
    });
    expect(url.toString()).not.toContain(CLIENT_SECRET);
  });

  it('keeps the path of an OAuth base that is mounted below a prefix', () => {
    const client = new ZoomOAuthClient({
      oauthUrl: 'http://localhost:3000/zoom-simulator/',
      clientId: 'client-id-1',
      clientSecret: CLIENT_SECRET,
      redirectUri: 'http://localhost:3000/callback/',
      logger: captureLogger().logger,
    });

    const url = new URL(client.authorizeUrl({ state: 'state-1', codeChallenge: 'challenge-1' }));

    expect(url.origin + url.pathname).toBe('http://localhost:3000/zoom-simulator/oauth/authorize');
  });
});

describe('ZoomOAuthClient token calls', () => {
  it('exchanges a code with Basic auth and a form body, and types the answer', async () => {
    const { client, server } = await clientFor((_request, reply) =>
      sendJson(reply, 200, GOOD_ANSWER),
    );

    const tokens = await client.exchangeCode('code-xyz', 'verifier-123');

    expect(tokens).toEqual({
      accessToken: 'access-token-abc',
      refreshToken: 'refresh-token-def',
      expiresAt: new Date('2026-01-10T13:00:00Z'),
      scopes: ['user:read:user', 'meeting:write:meeting'],
    });
    const seen = server.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/oauth/token');
    expect(seen.headers.authorization).toBe(
      `Basic ${Buffer.from(`client-id-1:${CLIENT_SECRET}`).toString('base64')}`,
    );
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'code-xyz',
      redirect_uri: 'http://localhost:3000/callback/',
      code_verifier: 'verifier-123',
    });
  });

  it('refreshes with the refresh token in the form body only', async () => {
    const { client, server } = await clientFor((_request, reply) =>
      sendJson(reply, 200, GOOD_ANSWER),
    );

    await client.refresh('old-refresh-token');

    const seen = server.requests[0]!;
    expect(seen.url).toBe('/oauth/token');
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh-token',
    });
  });

  it.each([
    ['a missing refresh token', { ...GOOD_ANSWER, refresh_token: undefined }],
    ['a zero lifetime', { ...GOOD_ANSWER, expires_in: 0 }],
    ['a lifetime given as text', { ...GOOD_ANSWER, expires_in: '3600' }],
    ['a token type other than bearer', { ...GOOD_ANSWER, token_type: 'mac' }],
    ['a missing scope', { ...GOOD_ANSWER, scope: undefined }],
  ])('rejects a token answer with %s', async (_name, body) => {
    const { client } = await clientFor((_request, reply) => sendJson(reply, 200, body));

    const error = await caught(client.refresh('old-refresh-token'));

    expect(isAppError(error, 'ZOOM_RESPONSE_INVALID')).toBe(true);
    expect(JSON.stringify(error)).not.toContain('access-token-abc');
  });

  it('rejects a token answer that is not JSON', async () => {
    const { client } = await clientFor((_request, reply) =>
      reply.code(200).send('<html>hi</html>'),
    );

    expect(isAppError(await caught(client.refresh('r')), 'ZOOM_RESPONSE_INVALID')).toBe(true);
  });

  it.each([
    [400, { reason: 'Invalid Token!', error: 'invalid_grant' }],
    [400, { error: 'invalid_grant' }],
    [400, { reason: 'Invalid Token!', error: 'invalid_request' }],
    [401, { reason: 'Invalid Token!' }],
  ])('marks a refresh answered %i %j as terminal', async (status, body) => {
    const { client } = await clientFor((_request, reply) => sendJson(reply, status, body));

    const error = await caught(client.refresh('dead-refresh-token'));

    expect(isAppError(error, 'ZOOM_REFRESH_FAILED')).toBe(true);
    expect((error as { extra: { terminal: boolean } }).extra.terminal).toBe(true);
  });

  it('marks another refusal of a refresh as not terminal', async () => {
    const { client } = await clientFor((_request, reply) =>
      sendJson(reply, 400, { error: 'unsupported_grant_type' }),
    );

    const error = await caught(client.refresh('r'));

    expect(isAppError(error, 'ZOOM_REFRESH_FAILED')).toBe(true);
    expect((error as { extra: { terminal: boolean } }).extra.terminal).toBe(false);
  });

  it('reports refused client credentials with their own code', async () => {
    const { client } = await clientFor((_request, reply) =>
      sendJson(reply, 400, {
        reason: 'Invalid client_id or client_secret',
        error: 'invalid_client',
      }),
    );

    expect(isAppError(await caught(client.refresh('r')), 'ZOOM_CLIENT_INVALID')).toBe(true);
    expect(isAppError(await caught(client.exchangeCode('c', 'v')), 'ZOOM_CLIENT_INVALID')).toBe(
      true,
    );
  });

  it('reports a refused code exchange as OAUTH_CODE_EXCHANGE_FAILED', async () => {
    const { client } = await clientFor((_request, reply) =>
      sendJson(reply, 400, {
        reason: 'Invalid authorization code code-xyz',
        error: 'invalid_request',
      }),
    );

    const error = await caught(client.exchangeCode('code-xyz', 'verifier-123'));

    expect(isAppError(error, 'OAUTH_CODE_EXCHANGE_FAILED')).toBe(true);
    expect(JSON.stringify(error)).not.toContain('code-xyz');
  });

  it('reports a 5xx as ZOOM_UNAVAILABLE', async () => {
    const { client } = await clientFor((_request, reply) => reply.code(503).send('down'));

    expect(isAppError(await caught(client.refresh('r')), 'ZOOM_UNAVAILABLE')).toBe(true);
  });

  it('reports a refresh that times out as ZOOM_TIMEOUT with the answer marked lost', async () => {
    const { client } = await clientFor((_request, reply) => hang(reply));

    const error = await caught(client.refresh('r'));

    expect(isAppError(error, 'ZOOM_TIMEOUT')).toBe(true);
    expect((error as { extra: { answerLost: boolean } }).extra.answerLost).toBe(true);
  });

  it('reports a dropped connection as ZOOM_UNAVAILABLE', async () => {
    const { client } = await clientFor((request, reply) => dropConnection(request, reply));

    expect(isAppError(await caught(client.exchangeCode('c', 'v')), 'ZOOM_UNAVAILABLE')).toBe(true);
  });

  it('keeps tokens, codes and the client secret out of errors and logs', async () => {
    const { client, lines } = await clientFor((request, reply) =>
      request.url === '/oauth/revoke'
        ? sendJson(reply, 400, { reason: 'bad access-secret-4', error: 'unsupported_token_type' })
        : sendJson(reply, 400, {
            reason: 'Invalid Token! refresh-secret-1',
            error: 'invalid_grant',
          }),
    );

    const errors = [
      await caught(client.refresh('refresh-secret-1')),
      await caught(client.exchangeCode('code-secret-2', 'verifier-secret-3')),
      await caught(client.revoke('access-secret-4')),
    ];

    const text = JSON.stringify(errors) + errors.map(String).join() + lines.join();
    for (const secret of [
      'refresh-secret-1',
      'code-secret-2',
      'verifier-secret-3',
      'access-secret-4',
      CLIENT_SECRET,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('ZoomOAuthClient.revoke', () => {
  it('posts the access token in the form body with Basic auth', async () => {
    const { client, server } = await clientFor((_request, reply) =>
      sendJson(reply, 200, { status: 'success' }),
    );

    expect(await client.revoke('access-token-abc')).toEqual({ revoked: true });
    const seen = server.requests[0]!;
    expect(seen.url).toBe('/oauth/revoke');
    expect(seen.headers.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(seen.body).get('token')).toBe('access-token-abc');
  });

  it('resolves with revoked false when Zoom says the token is already dead', async () => {
    const { client } = await clientFor((_request, reply) =>
      sendJson(reply, 400, { reason: 'Invalid Token!', error: 'invalid_grant' }),
    );

    expect(await client.revoke('a')).toEqual({ revoked: false });
  });

  it('rejects a revoke answer without status success', async () => {
    const { client } = await clientFor((_request, reply) =>
      sendJson(reply, 200, { status: 'maybe' }),
    );

    expect(isAppError(await caught(client.revoke('a')), 'ZOOM_RESPONSE_INVALID')).toBe(true);
  });
});
