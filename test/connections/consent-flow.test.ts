/**
 * The consent flow over real HTTP against the simulator: /zoom/connect, the consent page,
 * /callback/, the stored connection, and every way a callback can be refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerConnectionWorkers } from '../../src/connections/register-connection-workers.js';
import { defaultSimUsers } from '../../src/simulator/index.js';
import { ManualClock } from '../../src/support/clock.js';
import { sha256Hex } from '../../src/support/random-token.js';
import {
  connectInstructor,
  consentAs,
  decideOnConsentPage,
  followToProduct,
  startConnect,
} from '../support/connect-instructor.js';
import { Browser, seedUser, signedIn } from '../support/http.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';

const [maria, dan, priya] = defaultSimUsers.map((user) => user.id) as [string, string, string];

const clock = new ManualClock(new Date('2025-03-10T17:00:00Z'));
let stack: ZoomStack;

beforeAll(async () => {
  stack = await startZoomStack({
    clock,
    workers: false,
    simulator: { now: () => clock.now().getTime() },
  });
  await registerConnectionWorkers(stack.app.ctx);
});

afterAll(async () => {
  await stack?.close();
});

async function connectionRows(instructorId?: number) {
  const { rows } = await stack.app.ctx.db.query<Record<string, unknown>>(
    `SELECT * FROM zoom_connections WHERE ($1::bigint IS NULL OR instructor_id = $1)`,
    [instructorId ?? null],
  );
  return rows;
}

async function auditKinds(instructorId: number): Promise<string[]> {
  const { rows } = await stack.app.ctx.db.query<{ kind: string }>(
    'SELECT kind FROM audit_events WHERE instructor_id = $1 ORDER BY id',
    [instructorId],
  );
  return rows.map((row) => row.kind);
}

describe('GET /zoom/connect', () => {
  it('redirects to Zoom authorize with a 256-bit state, S256 challenge and the callback URI', async () => {
    const { browser, user } = await signedIn(stack.app, 'instructor');
    const url = await startConnect(browser);

    expect(url.origin + url.pathname).toBe(`${stack.zoom.url}/oauth/authorize`);
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.app.url}/callback/`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const state = url.searchParams.get('state') ?? '';
    expect(Buffer.from(state, 'base64url').length).toBeGreaterThanOrEqual(16);

    const { rows } = await stack.app.ctx.db.query<{
      state_hash: string;
      code_verifier_enc: string;
    }>('SELECT state_hash, code_verifier_enc FROM oauth_states WHERE instructor_id = $1', [
      user.id,
    ]);
    expect(rows[0]?.state_hash).toBe(sha256Hex(state));
    expect(rows[0]?.code_verifier_enc).toMatch(/^gAAAAA/);
  });

  it('sends a signed-out visitor to the sign-in page and refuses staff', async () => {
    const anonymous = await new Browser(stack.app.url).request('/zoom/connect');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/login');

    const { browser } = await signedIn(stack.app, 'staff');
    expect((await browser.request('/zoom/connect')).status).toBe(403);
  });
});

describe('GET /callback/', () => {
  it('links the Zoom account, stores only the promised fields and shows Zoom connected', async () => {
    const { browser, user } = await connectInstructor(stack, { zoomUserId: maria });

    const [row] = await connectionRows(user.id);
    expect(row).toMatchObject({
      status: 'connected',
      zoom_user_id: maria,
      zoom_email: 'maria.lopez@example.com',
      zoom_display_name: 'Maria Lopez',
      zoom_plan_type: 2,
      zoom_account_id: null,
    });
    expect(String(row?.['access_token_enc'])).toMatch(/^gAAAAA/);
    expect(String(row?.['refresh_token_enc'])).toMatch(/^gAAAAA/);
    expect(await auditKinds(user.id)).toEqual(['connected']);

    const { html } = await browser.page('/dashboard/?zoom=connected');
    expect(html).toContain('Zoom connected');
    expect(html).toContain('Maria Lopez');
    expect(html).toContain('maria.lopez@example.com');
    expect(html).toContain('Licensed');
    expect(html).toContain('Disconnect');
    expect(html).not.toContain('40 minutes');
  });

  it('exchanges the code with Basic auth and a form body carrying the verifier', async () => {
    const before = stack.zoom.simulator.counters().codeExchanges[dan] ?? 0;
    const { browser } = await connectInstructor(stack, { zoomUserId: dan });

    expect(stack.zoom.simulator.counters().codeExchanges[dan]).toBe(before + 1);
    const { html } = await browser.page('/dashboard/');
    expect(html).toContain('Basic');
    expect(html).toContain('40 minutes');
  });

  it('ends on a clear page and stores nothing when the state is missing', async () => {
    const { browser, user } = await signedIn(stack.app, 'instructor');
    const url = await startConnect(browser);
    const back = await decideOnConsentPage(url, priya, 'allow');
    back.searchParams.delete('state');

    const answer = await followToProduct(stack.app.url, browser, back);
    const page = await answer.text();
    expect(answer.status).toBe(400);
    expect(page).toContain('Zoom was not connected');
    expect(page).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(await connectionRows(user.id)).toEqual([]);
  });

  it('refuses a wrong state and stores nothing', async () => {
    const { browser, user } = await signedIn(stack.app, 'instructor');
    const back = await decideOnConsentPage(await startConnect(browser), priya, 'allow');
    back.searchParams.set('state', 'forged-state-value');

    const answer = await followToProduct(stack.app.url, browser, back);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('does not belong to a request made from this sign-in');
    expect(await connectionRows(user.id)).toEqual([]);
  });

  it('refuses a state used twice', async () => {
    const { browser, user } = await signedIn(stack.app, 'instructor');
    const back = await decideOnConsentPage(await startConnect(browser), priya, 'allow');
    expect((await followToProduct(stack.app.url, browser, back)).status).toBe(303);
    await browser.postForm('/zoom/disconnect', { _csrf: await csrfOf(browser) });

    const again = await followToProduct(stack.app.url, browser, back);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');
    expect((await connectionRows(user.id))[0]?.['status']).toBe('disconnected');
  });

  it('refuses a state older than 10 minutes', async () => {
    const { browser, user } = await signedIn(stack.app, 'instructor');
    const url = await startConnect(browser);
    clock.advance(10 * 60_000 + 1000);
    const back = await decideOnConsentPage(url, priya, 'allow');

    const answer = await followToProduct(stack.app.url, browser, back);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('expired');
    expect(await connectionRows(user.id)).toEqual([]);
  });

  it("refuses another user's state and leaves it usable by its owner", async () => {
    const victim = await signedIn(stack.app, 'instructor');
    const attacker = await signedIn(stack.app, 'instructor');
    const back = await decideOnConsentPage(await startConnect(victim.browser), priya, 'allow');

    const stolen = await followToProduct(stack.app.url, attacker.browser, back);
    expect(stolen.status).toBe(400);
    expect(await connectionRows(attacker.user.id)).toEqual([]);

    const own = await followToProduct(stack.app.url, victim.browser, back);
    expect(own.status).toBe(303);
    expect((await connectionRows(victim.user.id))[0]?.['zoom_user_id']).toBe(priya);
    await victim.browser.postForm('/zoom/disconnect', { _csrf: await csrfOf(victim.browser) });
  });

  it('refuses a state from another session of the same instructor', async () => {
    const instructor = await seedUser(stack.app, { role: 'instructor' });
    const first = new Browser(stack.app.url);
    const second = new Browser(stack.app.url);
    await first.signIn(instructor.email, instructor.password);
    await second.signIn(instructor.email, instructor.password);
    const back = await decideOnConsentPage(await startConnect(first), priya, 'allow');

    expect((await followToProduct(stack.app.url, second, back)).status).toBe(400);
    expect(await connectionRows(instructor.id)).toEqual([]);
  });

  it('returns to the dashboard with "Zoom was not connected" on Deny', async () => {
    const { browser, user } = await signedIn(stack.app, 'instructor');
    const answer = await consentAs(stack, browser, priya, 'deny');

    expect(answer.status).toBe(303);
    const { html } = await browser.page(answer.headers.get('location') ?? '');
    expect(html).toContain('Zoom was not connected');
    expect(html).toContain('Connect Zoom');
    expect(await connectionRows(user.id)).toEqual([]);
  });

  it('refuses a Zoom user already linked to another instructor', async () => {
    const taken = newZoomUser();
    const first = await connectInstructor(stack, { zoomUserId: taken });
    const second = await signedIn(stack.app, 'instructor');

    const answer = await consentAs(stack, second.browser, taken, 'allow');
    expect(answer.status).toBe(409);
    expect(await answer.text()).toContain('already linked to another instructor');
    expect(await connectionRows(second.user.id)).toEqual([]);
    expect(await auditKinds(second.user.id)).toEqual(['connect_refused']);
    // Zoom ended the first instructor's grant when the second consent was made.
    const [firstRow] = await connectionRows(first.user.id);
    expect(firstRow).toMatchObject({ status: 'broken', access_token_enc: null });
    const { html } = await first.browser.page('/dashboard/');
    expect(html).toContain('Reconnect Zoom');
  });

  it("replaces the instructor's own older authorization with the newer one", async () => {
    const older = newZoomUser();
    const newer = newZoomUser();
    const { user } = await connectInstructor(stack, { zoomUserId: older });
    expect(stack.zoom.simulator.grantList().filter((grant) => grant.userId === older)).toHaveLength(
      1,
    );

    await connectInstructor(stack, { zoomUserId: newer, instructor: user });
    const rows = await connectionRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'connected', zoom_user_id: newer });
    expect(stack.zoom.simulator.grantList().filter((grant) => grant.userId === older)).toEqual([]);
  });
});

let zoomUserCount = 0;

/** A fresh simulated Zoom user, so tests do not share Zoom accounts. */
function newZoomUser(type = 2): string {
  zoomUserCount += 1;
  const id = `flowUser${zoomUserCount}x${Math.random().toString(36).slice(2, 8)}`;
  stack.zoom.simulator.upsertUser({
    id,
    account_id: `acct-${id}`,
    email: `${id.toLowerCase()}@example.com`,
    first_name: 'Flow',
    last_name: `User ${zoomUserCount}`,
    type,
    timezone: 'America/Los_Angeles',
  });
  return id;
}

async function csrfOf(browser: Browser): Promise<string> {
  const { html } = await browser.page('/dashboard/');
  return /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
}
