/**
 * A deauthorization racing a token refresh. The token service holds the connection's row lock
 * while Zoom answers the refresh; the simulator holds that answer (its refresh-hold fault) while
 * `app_deauthorized` arrives. Holds shorter than the webhook's lock wait exercise the path where
 * the webhook gets the lock after the refresh committed; longer ones the deferred path, where
 * the webhook answers without the lock and the finishing job deletes the tokens. Row locks with
 * a lock timeout exist on PostgreSQL only: PGlite runs every transaction under one process-wide
 * lock, so this file runs on PostgreSQL (CI always has it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TokenService } from '../../src/connections/token-service.js';
import { systemClock } from '../../src/support/clock.js';
import { LOCK_WAIT_MS } from '../../src/webhooks/handle-deauthorization.js';
import { onPostgres } from '../support/test-database.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { connectZoomUser, tokensLeft, waitFor } from './webhook-harness.js';

const ROUNDS = 20;

describe.runIf(onPostgres)('app_deauthorized during a held token refresh', () => {
  let stack: ZoomStack;

  beforeAll(async () => {
    stack = await startZoomStack({ clock: systemClock });
  });
  afterAll(() => stack.close());

  async function statusOf(instructorId: number): Promise<string | undefined> {
    const { rows } = await stack.app.ctx.db.query<{ status: string }>(
      'SELECT status FROM zoom_connections WHERE instructor_id = $1',
      [instructorId],
    );
    return rows[0]?.status;
  }

  async function pendingCount(): Promise<number> {
    const { rows } = await stack.app.ctx.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM zoom_deauthorizations WHERE state = 'pending'`,
    );
    return rows[0]?.count ?? 0;
  }

  async function raceOnce(round: number) {
    const sim = stack.zoom.simulator;
    const host = await connectZoomUser(stack, `RaceUser${round}x`);
    const holdMs = round % 2 === 0 ? LOCK_WAIT_MS + 1500 : LOCK_WAIT_MS - 1000;
    sim.refreshHold.start(holdMs, host.zoomUserId);

    const tokens = new TokenService(stack.app.ctx);
    const refreshing = tokens
      .getAccessToken(host.instructorId, { forceRefresh: true })
      .catch((error: unknown) => error);
    expect(await waitFor(async () => sim.refreshHold.waiting() === 1, 5000)).toBe(true);

    // Every fourth round removes the app the Marketplace way (the grant ends, so the held
    // refresh is refused); the others only notify, so the held refresh succeeds and tries to
    // write fresh tokens back: the dangerous case.
    const delivery =
      round % 4 === 3
        ? await sim.deauthorize(host.zoomUserId)
        : await sim.sendDeauthorized(host.zoomUserId);
    await refreshing;

    const gone = await waitFor(
      async () => (await tokensLeft(stack.app)) === 0 && (await pendingCount()) === 0,
      15_000,
    );
    return { delivery, gone, status: await statusOf(host.instructorId), holdMs };
  }

  it(`leaves no token behind in ${ROUNDS} rounds and answers each webhook within 3 s`, async () => {
    const results = [];
    for (let round = 0; round < ROUNDS; round += 1) results.push(await raceOnce(round));

    for (const result of results) {
      expect(result.delivery?.state).toBe('delivered');
      expect(result.delivery?.attempts).toHaveLength(1);
      expect(result.delivery?.attempts[0]?.durationMs).toBeLessThan(3000);
      expect(result.gone).toBe(true);
      expect(result.status).toBe('deauthorized');
    }
    expect(await tokensLeft(stack.app)).toBe(0);
    const deferred = stack.app.logs.lines.filter((line) =>
      line.includes('deauthorization deferred'),
    );
    expect(deferred.length).toBeGreaterThanOrEqual(ROUNDS / 4);
  }, 180_000);
});
