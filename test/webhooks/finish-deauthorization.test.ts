import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  insertDeauthorization,
  isDeauthorizationPending,
} from '../../src/webhooks/deauthorization-store.js';
import {
  FINISH_DEAUTHORIZATION_QUEUE,
  STAFF_ALERT_QUEUE,
} from '../../src/webhooks/webhook-queues.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { addSession, connectZoomUser, jobsOf, tokensLeft, waitFor } from './webhook-harness.js';

let stack: ZoomStack;

beforeAll(async () => {
  stack = await startZoomStack();
});
afterAll(() => stack.close());

describe('deferred deauthorization', () => {
  it('is pending for its zoom user until the job has deleted the tokens', async () => {
    const host = await connectZoomUser(stack, 'DeferredUser1');
    const other = await connectZoomUser(stack, 'UntouchedUser2');
    const session = await addSession(stack.app, host.instructorId, 30);
    const db = stack.app.ctx.db;

    const id = await db.transaction((tx) =>
      insertDeauthorization(tx, {
        eventKey: 'deferred-test-key',
        state: 'pending',
        zoomUserId: host.zoomUserId,
        deauthorizedAt: new Date(),
        affected: [],
      }),
    );
    expect(await isDeauthorizationPending(db, host.zoomUserId)).toBe(true);
    expect(await isDeauthorizationPending(db, other.zoomUserId)).toBe(false);

    await stack.app.ctx.jobs.send(FINISH_DEAUTHORIZATION_QUEUE, { deauthorizationId: id });

    expect(await waitFor(async () => !(await isDeauthorizationPending(db, host.zoomUserId)))).toBe(
      true,
    );
    expect(await tokensLeft(stack.app)).toBe(1);
    const { rows } = await db.query<{ status: string; zoom_user_id: string | null }>(
      'SELECT c.status, d.zoom_user_id FROM zoom_deauthorizations d, zoom_connections c WHERE d.id = $1 AND c.instructor_id = $2',
      [id, host.instructorId],
    );
    expect(rows[0]).toEqual({ status: 'deauthorized', zoom_user_id: null });
    expect(
      await waitFor(async () =>
        (
          await jobsOf<{ instructorId: number; sessionIds: number[] }>(stack.app, STAFF_ALERT_QUEUE)
        ).some(
          (alert) => alert.instructorId === host.instructorId && alert.sessionIds.includes(session),
        ),
      ),
    ).toBe(true);
  });
});
