/**
 * The token lifecycle against the simulator: refresh ahead of expiry, one refresh for many
 * callers, dead and lost grants ending in the broken state, a deauthorization racing a
 * refresh, disconnect, and logs free of every token and code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { registerConnectionWorkers } from '../../src/connections/register-connection-workers.js';
import {
  accessContext,
  refreshContext,
  TokenService,
} from '../../src/connections/token-service.js';
import { isAppError } from '../../src/errors/app-error.js';
import { ManualClock } from '../../src/support/clock.js';
import {
  connectInstructor,
  decideOnConsentPage,
  followToProduct,
  startConnect,
} from '../support/connect-instructor.js';
import { signedIn, type Browser } from '../support/http.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';

const clock = new ManualClock(new Date('2025-03-10T17:00:00Z'));
const seenSecrets = new Set<string>();
let stack: ZoomStack;
let tokens: TokenService;
let userCount = 0;

beforeAll(async () => {
  stack = await startZoomStack({
    clock,
    workers: false,
    simulator: { now: () => clock.now().getTime(), rateLimits: { lightPerSecond: 1000 } },
  });
  await registerConnectionWorkers(stack.app.ctx);
  tokens = new TokenService(stack.app.ctx);
});

afterAll(async () => {
  await stack?.close();
});

beforeEach(() => {
  stack.zoom.simulator.faults.clear();
  stack.zoom.simulator.configure({ accessTokenTtlSeconds: 3600 });
});

/** A fresh Zoom user linked to a fresh instructor; remembers the tokens for the log check. */
async function connected(): Promise<{
  instructorId: number;
  zoomUserId: string;
  browser: Browser;
}> {
  userCount += 1;
  const zoomUserId = `tokenUser${userCount}${Math.random().toString(36).slice(2, 7)}`;
  stack.zoom.simulator.upsertUser({
    id: zoomUserId,
    account_id: `acct-${zoomUserId}`,
    email: `${zoomUserId.toLowerCase()}@example.com`,
    first_name: 'Token',
    last_name: `User ${userCount}`,
    type: 2,
    timezone: 'America/Los_Angeles',
  });
  const { browser, user } = await connectInstructor(stack, { zoomUserId });
  await rememberStoredTokens(user.id);
  return { instructorId: user.id, zoomUserId, browser };
}

async function rememberStoredTokens(instructorId: number): Promise<void> {
  const row = await connectionRow(instructorId);
  const vault = stack.app.ctx.vault;
  if (row.access_token_enc)
    seenSecrets.add(vault.open(row.access_token_enc, accessContext(row.id)));
  if (row.refresh_token_enc)
    seenSecrets.add(vault.open(row.refresh_token_enc, refreshContext(row.id)));
}

async function connectionRow(instructorId: number) {
  const { rows } = await stack.app.ctx.db.query<{
    id: number;
    status: string;
    status_reason: string | null;
    access_token_enc: string | null;
    refresh_token_enc: string | null;
  }>('SELECT * FROM zoom_connections WHERE instructor_id = $1', [instructorId]);
  return rows[0]!;
}

async function auditKinds(instructorId: number): Promise<string[]> {
  const { rows } = await stack.app.ctx.db.query<{ kind: string }>(
    'SELECT kind FROM audit_events WHERE instructor_id = $1 ORDER BY id',
    [instructorId],
  );
  return rows.map((row) => row.kind);
}

async function alertJobs(instructorId: number): Promise<unknown[]> {
  const { rows } = await stack.app.ctx.db.query<{ data: unknown }>(
    `SELECT data FROM pgboss.job WHERE name = 'notify.staff-alert'`,
  );
  return rows
    .map(
      (row) =>
        (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as {
          instructorId: number;
        },
    )
    .filter((data) => data.instructorId === instructorId);
}

function refreshGrants(zoomUserId: string): number {
  return stack.zoom.simulator.counters().refreshGrants[zoomUserId] ?? 0;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAppError(error) ? error.code : String(error);
  }
}

describe('TokenService', () => {
  it('uses the stored token while more than 5 minutes remain and refreshes inside the margin', async () => {
    const { instructorId, zoomUserId } = await connected();
    const first = await tokens.getAccessToken(instructorId);

    clock.advance(54 * 60_000);
    expect(await tokens.getAccessToken(instructorId)).toBe(first);
    expect(refreshGrants(zoomUserId)).toBe(0);

    clock.advance(2 * 60_000);
    const renewed = await tokens.getAccessToken(instructorId);
    seenSecrets.add(renewed);
    await rememberStoredTokens(instructorId);
    expect(renewed).not.toBe(first);
    expect(refreshGrants(zoomUserId)).toBe(1);
    expect(await auditKinds(instructorId)).toEqual(['connected', 'refreshed']);
  });

  it('refreshes a short-lived token at half its lifetime', async () => {
    stack.zoom.simulator.configure({ accessTokenTtlSeconds: 60 });
    const { instructorId, zoomUserId } = await connected();

    clock.advance(29_000);
    await tokens.getAccessToken(instructorId);
    expect(refreshGrants(zoomUserId)).toBe(0);

    clock.advance(2_000);
    seenSecrets.add(await tokens.getAccessToken(instructorId));
    await rememberStoredTokens(instructorId);
    expect(refreshGrants(zoomUserId)).toBe(1);
  });

  it('makes one refresh for fifty concurrent callers after expiry', async () => {
    const { instructorId, zoomUserId } = await connected();
    clock.advance(61 * 60_000);

    const handed = await Promise.all(
      Array.from({ length: 50 }, () =>
        new TokenService(stack.app.ctx).getAccessToken(instructorId),
      ),
    );
    await rememberStoredTokens(instructorId);
    expect(new Set(handed).size).toBe(1);
    expect(refreshGrants(zoomUserId)).toBe(1);
    expect(stack.zoom.simulator.counters().invalidGrants[zoomUserId]).toBeUndefined();
  });

  it('refreshes once and retries when Zoom answers 401 code 124', async () => {
    const { instructorId, zoomUserId } = await connected();
    const staff = await signedIn(stack.app, 'staff');
    stack.zoom.simulator.expireAccessTokens();

    const answer = await staff.browser.request(`/api/v1/instructors/${instructorId}/zoom-profile`);
    await rememberStoredTokens(instructorId);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      zoom: { userId: zoomUserId },
      matchesLinkedAccount: true,
    });
    expect(refreshGrants(zoomUserId)).toBe(1);
  });

  it('marks the connection broken, audits and alerts when Zoom answers invalid_grant', async () => {
    const { instructorId, zoomUserId, browser } = await connected();
    stack.zoom.simulator.grants.revokeUser(zoomUserId, 'revoked');
    clock.advance(61 * 60_000);

    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_CONNECTION_BROKEN');
    const row = await connectionRow(instructorId);
    expect(row).toMatchObject({
      status: 'broken',
      access_token_enc: null,
      refresh_token_enc: null,
    });
    expect(row.status_reason).toContain('Zoom no longer accepts');
    expect(await auditKinds(instructorId)).toEqual(['connected', 'refresh_failed']);
    expect(await alertJobs(instructorId)).toEqual([{ kind: 'connection_broken', instructorId }]);

    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_CONNECTION_BROKEN');
    expect(stack.zoom.simulator.counters().invalidGrants[zoomUserId]).toBe(1);
    const { html } = await browser.page('/dashboard/');
    expect(html).toContain('Reconnect Zoom');
    expect(html).toContain('Zoom no longer accepts');
  });

  it('ends a lost refresh answer in the broken state after exactly one attempt', async () => {
    const { instructorId } = await connected();
    clock.advance(61 * 60_000);
    const before = stack.zoom.simulator.requests('token').length;
    stack.zoom.simulator.faults.next('token', { kind: 'lost_answer' });

    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_CONNECTION_BROKEN');
    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_CONNECTION_BROKEN');
    expect(stack.zoom.simulator.requests('token').length - before).toBe(1);
    expect((await connectionRow(instructorId)).status).toBe('broken');
    expect(await alertJobs(instructorId)).toHaveLength(1);
    expect(stack.app.logs.text()).toContain('zoom refresh answer lost');
  });

  it('keeps the tokens when Zoom answers a refresh with a 500', async () => {
    const { instructorId } = await connected();
    clock.advance(61 * 60_000);
    stack.zoom.simulator.faults.next('token', { kind: 'error', status: 500 });

    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_UNAVAILABLE');
    expect((await connectionRow(instructorId)).status).toBe('connected');
    seenSecrets.add(await tokens.getAccessToken(instructorId));
    await rememberStoredTokens(instructorId);
  });

  it('answers ZOOM_NOT_CONNECTED naming the instructor and their email', async () => {
    const { user } = await signedIn(stack.app, 'instructor', 'Nora Notlinked');
    const staff = await signedIn(stack.app, 'staff');

    const answer = await staff.browser.request(`/api/v1/instructors/${user.id}/zoom-profile`);
    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await answer.json()) as { code: string; detail: string };
    expect(problem.code).toBe('ZOOM_NOT_CONNECTED');
    expect(problem.detail).toContain('Nora Notlinked');
    expect(problem.detail).toContain(user.email);
  });

  it('writes no token while a deauthorization of the Zoom user is pending', async () => {
    const { instructorId, zoomUserId } = await connected();
    await stack.app.ctx.db.query(
      `INSERT INTO zoom_deauthorizations (event_key, state, zoom_user_id, deauthorized_at)
       VALUES ($1, 'pending', $2, now())`,
      [`pending-${zoomUserId}`, zoomUserId],
    );
    const before = (await connectionRow(instructorId)).access_token_enc;
    clock.advance(61 * 60_000);

    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_NOT_CONNECTED');
    expect(refreshGrants(zoomUserId)).toBe(0);
    expect((await connectionRow(instructorId)).access_token_enc).toBe(before);
  });

  it('leaves no token behind when a deauthorization races a refresh', async () => {
    const { instructorId, zoomUserId } = await connected();
    const row = await connectionRow(instructorId);
    clock.advance(61 * 60_000);
    stack.zoom.simulator.refreshHold.start(5000, zoomUserId);

    const refreshing = codeOf(tokens.getAccessToken(instructorId));
    await waitUntil(() => stack.zoom.simulator.refreshHold.waiting() === 1);
    const deauthorizing = stack.app.ctx.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM zoom_connections WHERE id = $1 FOR UPDATE', [row.id]);
      await tx.query(
        `UPDATE zoom_connections SET status = 'deauthorized', access_token_enc = NULL,
           refresh_token_enc = NULL WHERE id = $1`,
        [row.id],
      );
    });
    stack.zoom.simulator.refreshHold.release();

    await Promise.all([refreshing, deauthorizing]);
    expect(await connectionRow(instructorId)).toMatchObject({
      status: 'deauthorized',
      access_token_enc: null,
      refresh_token_enc: null,
    });
    expect(await codeOf(tokens.getAccessToken(instructorId))).toBe('ZOOM_NOT_CONNECTED');
  });
});

describe('POST /zoom/disconnect', () => {
  it('revokes at Zoom, deletes the tokens, audits and shows Connect Zoom again', async () => {
    const { instructorId, zoomUserId, browser } = await connected();
    const csrf =
      /name="_csrf" value="([^"]*)"/.exec((await browser.page('/dashboard/')).html)?.[1] ?? '';

    const answer = await browser.postForm('/zoom/disconnect', { _csrf: csrf });
    expect(answer.status).toBe(303);
    expect(
      stack.zoom.simulator.grantList(true).find((g) => g.userId === zoomUserId)?.endReason,
    ).toBe('revoked');
    expect(await connectionRow(instructorId)).toMatchObject({
      status: 'disconnected',
      access_token_enc: null,
    });
    expect(await auditKinds(instructorId)).toEqual(['connected', 'disconnected']);
    const { html } = await browser.page(answer.headers.get('location') ?? '');
    expect(html).toContain('Connect Zoom');
    expect(html).not.toContain('Zoom connected');
  });

  it('refreshes an expired access token before revoking it', async () => {
    const { zoomUserId, browser } = await connected();
    clock.advance(61 * 60_000);
    const before = stack.zoom.simulator.counters().refreshGrants[zoomUserId] ?? 0;
    const csrf =
      /name="_csrf" value="([^"]*)"/.exec((await browser.page('/dashboard/')).html)?.[1] ?? '';

    expect((await browser.postForm('/zoom/disconnect', { _csrf: csrf })).status).toBe(303);
    expect(stack.zoom.simulator.counters().refreshGrants[zoomUserId]).toBe(before + 1);
    expect(
      stack.zoom.simulator.grantList(true).find((g) => g.userId === zoomUserId)?.endReason,
    ).toBe('revoked');
  });

  it('deletes the tokens even when Zoom fails the revoke', async () => {
    const { instructorId, browser } = await connected();
    stack.zoom.simulator.faults.next('revoke', { kind: 'error', status: 500 });
    const csrf =
      /name="_csrf" value="([^"]*)"/.exec((await browser.page('/dashboard/')).html)?.[1] ?? '';

    expect((await browser.postForm('/zoom/disconnect', { _csrf: csrf })).status).toBe(303);
    expect(await connectionRow(instructorId)).toMatchObject({
      status: 'disconnected',
      refresh_token_enc: null,
    });
    expect(await auditKinds(instructorId)).toEqual(['connected', 'revoke_failed', 'disconnected']);
  });

  it('refuses a disconnect without the CSRF token', async () => {
    const { instructorId, browser } = await connected();

    expect((await browser.postForm('/zoom/disconnect', {})).status).toBe(403);
    expect((await connectionRow(instructorId)).status).toBe('connected');
  });
});

describe('logs', () => {
  it('never contain a token or an authorization code of the whole flow', async () => {
    const { browser } = await signedIn(stack.app, 'instructor');
    const back = await decideOnConsentPage(
      await startConnect(browser),
      'KDcuGIm1QgePTO8WbOqwIQ',
      'allow',
    );
    const code = back.searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(10);
    await followToProduct(stack.app.url, browser, back);
    await followToProduct(stack.app.url, browser, back);
    for (const grant of stack.zoom.simulator.grants.allGrants())
      seenSecrets.add(grant.refreshToken);

    const text = stack.app.logs.text();
    expect(seenSecrets.size).toBeGreaterThan(10);
    for (const secret of [...seenSecrets, code]) expect(text).not.toContain(secret);
  });
});

async function waitUntil(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
