import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STAFF_ALERT_QUEUE } from '../../src/webhooks/webhook-queues.js';
import { startZoomStack, testZoomApp, type ZoomStack } from '../support/zoom-fixture.js';
import {
  addSession,
  connectZoomUser,
  databaseSnapshot,
  deauthorizedBody,
  jobsOf,
  nowSeconds,
  postWebhook,
  signedHeaders,
  tokensLeft,
  waitFor,
} from './webhook-harness.js';
import { seedUser } from '../support/http.js';

let stack: ZoomStack;

beforeAll(async () => {
  stack = await startZoomStack({ workers: true });
});
afterAll(() => stack.close());

async function connectionOf(instructorId: number) {
  const { rows } = await stack.app.ctx.db.query<Record<string, unknown>>(
    'SELECT * FROM zoom_connections WHERE instructor_id = $1',
    [instructorId],
  );
  return rows[0] ?? {};
}

async function sessionsOf(instructorId: number) {
  const { rows } = await stack.app.ctx.db.query<{
    id: number;
    sync_state: string;
    host_link_lost_at: Date | null;
    zoom_join_url: string | null;
  }>(
    'SELECT id, sync_state, host_link_lost_at, zoom_join_url FROM class_sessions WHERE instructor_id = $1 ORDER BY id',
    [instructorId],
  );
  return rows;
}

async function removeInMarketplace(zoomUserId: string): Promise<string> {
  const base = `${stack.zoom.url}/marketplace/manage/added-apps`;
  const list = await (await fetch(base)).text();
  expect(list).toContain(zoomUserId);

  const response = await fetch(`${base}/remove/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_id: zoomUserId, reason: '' }).toString(),
  });
  return response.text();
}

describe('app_deauthorized', () => {
  it('deletes the tokens and zoom profile, keeps the row, audits and flags upcoming sessions before answering', async () => {
    const host = await connectZoomUser(stack, 'RemoveViaMarketplace1');
    const upcoming = [
      await addSession(stack.app, host.instructorId, 60),
      await addSession(stack.app, host.instructorId, 60 * 24 * 7),
    ];
    const past = await addSession(stack.app, host.instructorId, -180);
    const cancelled = await addSession(stack.app, host.instructorId, 120, 'cancelled');

    const page = await removeInMarketplace(host.zoomUserId);

    expect(page).toContain('app_deauthorized: delivered');
    const delivery = stack.zoom.simulator.webhookDeliveries().at(-1);
    expect(delivery?.attempts[0]?.status).toBe(200);
    expect(delivery?.attempts[0]?.durationMs).toBeLessThan(3000);

    const row = await connectionOf(host.instructorId);
    expect(row).toMatchObject({
      status: 'deauthorized',
      access_token_enc: null,
      refresh_token_enc: null,
      access_expires_at: null,
      zoom_email: null,
      zoom_display_name: null,
      zoom_plan_type: null,
      zoom_user_id: host.zoomUserId,
    });

    const sessions = await sessionsOf(host.instructorId);
    const flagged = sessions
      .filter((session) => session.sync_state === 'host_disconnected')
      .map((s) => s.id);
    expect(flagged).toEqual(upcoming);
    expect(sessions.find((s) => s.id === past)?.sync_state).toBe('ready');
    expect(sessions.find((s) => s.id === cancelled)?.sync_state).toBe('ready');
    expect(sessions.every((s) => s.zoom_join_url !== null)).toBe(true);

    const { rows: audit } = await stack.app.ctx.db.query(
      `SELECT kind, instructor_id, zoom_user_id FROM audit_events WHERE kind = 'deauthorized' AND instructor_id = $1`,
      [host.instructorId],
    );
    expect(audit).toEqual([
      { kind: 'deauthorized', instructor_id: host.instructorId, zoom_user_id: host.zoomUserId },
    ]);

    const alerts = await jobsOf<Record<string, unknown>>(stack.app, STAFF_ALERT_QUEUE);
    expect(alerts).toContainEqual({
      kind: 'instructor_deauthorized',
      instructorId: host.instructorId,
      sessionIds: upcoming,
    });
  });

  it('changes nothing more on a redelivery of the same event and still answers 200', async () => {
    const host = await connectZoomUser(stack, 'RedeliveredUser2');
    await addSession(stack.app, host.instructorId, 90);
    const body = deauthorizedBody(host.zoomUserId, 'a1'.repeat(32));
    const secret = testZoomApp.webhookSecretToken;

    const first = await postWebhook(
      stack.app,
      body,
      signedHeaders(secret, nowSeconds(stack.app), body),
    );
    expect(first.status).toBe(200);
    expect(await tokensLeft(stack.app)).toBe(0);
    const after = await databaseSnapshot(stack.app);

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const again = await postWebhook(
        stack.app,
        body,
        signedHeaders(secret, nowSeconds(stack.app), body),
      );
      expect(again.status).toBe(200);
    }

    expect(await databaseSnapshot(stack.app)).toBe(after);
    const alerts = await jobsOf<{ instructorId: number }>(stack.app, STAFF_ALERT_QUEUE);
    expect(alerts.filter((alert) => alert.instructorId === host.instructorId)).toHaveLength(1);
  });

  it('answers 200 for a zoom user it does not know and changes no connection', async () => {
    const host = await connectZoomUser(stack, 'BystanderUser3');
    const body = deauthorizedBody('NobodyWeKnow');

    const response = await postWebhook(
      stack.app,
      body,
      signedHeaders(testZoomApp.webhookSecretToken, nowSeconds(stack.app), body),
    );

    expect(response.status).toBe(200);
    expect((await connectionOf(host.instructorId))['status']).toBe('connected');
    expect(await tokensLeft(stack.app)).toBe(1);
  });

  it('emails staff that the instructor removed the app, listing the upcoming sessions', async () => {
    const staff = await seedUser(stack.app, { role: 'staff', email: 'scheduler@school.example' });
    const host = await connectZoomUser(stack, 'EmailedAboutUser5');
    const upcoming = await addSession(stack.app, host.instructorId, 60 * 24);

    await removeInMarketplace(host.zoomUserId);

    const { rows: people } = await stack.app.ctx.db.query<{ email: string }>(
      'SELECT email FROM users WHERE id = $1',
      [host.instructorId],
    );
    const mail = async () => {
      const { rows } = await stack.app.ctx.db.query<{ subject: string; text_body: string }>(
        `SELECT subject, text_body FROM notify_dev_outbox WHERE recipient = $1 AND text_body LIKE $2`,
        [staff.email, `%${people[0]?.email ?? 'no instructor'}%`],
      );
      return rows[0];
    };
    expect(await waitFor(async () => (await mail()) !== undefined)).toBe(true);
    expect((await mail())?.text_body).toContain(`/admin/sessions/${upcoming}`);
  });

  it('leaves the meetings on zoom', async () => {
    const host = await connectZoomUser(stack, 'MeetingKeeper4');
    const api = `${stack.zoom.apiUrl}/users/me/meetings`;
    const made = await fetch(api, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        topic: 'Traffic school',
        type: 2,
        start_time: '2030-01-01T17:00:00Z',
        duration: 60,
        timezone: 'America/Los_Angeles',
      }),
    });
    expect(made.status).toBe(201);

    await removeInMarketplace(host.zoomUserId);

    expect(stack.zoom.simulator.meetingsOf(host.zoomUserId)).toHaveLength(1);
    expect((await connectionOf(host.instructorId))['status']).toBe('deauthorized');
  });
});
