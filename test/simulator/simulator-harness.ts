/** Helpers the simulator tests share: a movable clock, the consent dance, REST calls. */
import { createHash, randomBytes } from 'node:crypto';

import Fastify, { type FastifyInstance } from 'fastify';

import {
  startZoomSimulator,
  type RunningZoomSimulator,
  type StandaloneSimulatorOptions,
} from '../../src/simulator/index.js';

export const clientId = 'test_client';
export const clientSecret = 'test_secret';
export const webhookSecret = 'test_webhook_secret';
export const redirectUri = 'http://127.0.0.1:9/callback/';
export const maria = 'KDcuGIm1QgePTO8WbOqwIQ';
export const dan = 'z8yBXksPRMa7q3VbLX1Rwg';

/** A clock tests move by hand. */
export class TestClock {
  ms = Date.parse('2025-03-10T17:00:00.000Z');

  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Starts a simulator on port 0 with test credentials and a test clock. */
export async function startTestSimulator(
  options: StandaloneSimulatorOptions = {},
): Promise<RunningZoomSimulator & { clock: TestClock }> {
  const clock = new TestClock();
  const running = await startZoomSimulator({
    clientId,
    clientSecret,
    webhookSecretToken: webhookSecret,
    redirectUris: [redirectUri],
    webhookRetryDelaysMs: [30, 30, 30],
    now: clock.now,
    ...options,
  });
  return { ...running, clock };
}

export function basic(id = clientId, secret = clientSecret): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Posts the consent form as a browser would and returns the redirect's Location. */
export async function decide(
  url: string,
  userId: string,
  decision: 'allow' | 'deny',
  extra: Record<string, string> = {},
): Promise<URL> {
  const form = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state: 'state-123',
    user_id: userId,
    decision,
    ...extra,
  });
  const response = await fetch(`${url}/oauth/authorize/decision`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  if (response.status !== 302) throw new TypeError(`decision answered ${response.status}`);
  return new URL(response.headers.get('location') ?? '');
}

/** Consents as a user and returns the authorization code. */
export async function consent(url: string, userId: string, extra: Record<string, string> = {}) {
  const location = await decide(url, userId, 'allow', extra);
  return location.searchParams.get('code') ?? '';
}

/** Calls the token endpoint with a form body and Basic client credentials. */
export async function tokenCall(
  url: string,
  fields: Record<string, string>,
  authorization = basic(),
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Consents and exchanges the code: the tokens of a fresh grant. */
export async function connect(url: string, userId: string) {
  const code = await consent(url, userId);
  const answer = await tokenCall(url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
  });
  if (answer.status !== 200) throw new TypeError(`code exchange answered ${answer.status}`);
  return answer.body as { access_token: string; refresh_token: string; scope: string };
}

/** A REST call with a bearer token. */
export async function api(
  apiUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${apiUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** What a webhook receiver saw. */
export interface ReceivedHook {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawBody: string;
}

/** A tiny webhook receiver keeping raw bodies; `answer` decides each reply. */
export async function startReceiver(
  answer: (hook: ReceivedHook, index: number) => Promise<{ status: number; body?: unknown }>,
): Promise<{ url: string; received: ReceivedHook[]; app: FastifyInstance }> {
  const received: ReceivedHook[] = [];
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/webhooks/zoom', async (request, reply) => {
    const hook = { headers: request.headers, rawBody: String(request.body) };
    received.push(hook);
    const result = await answer(hook, received.length - 1);
    return reply.code(result.status).send(result.body ?? '');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/webhooks/zoom`, received, app };
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new TypeError('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
