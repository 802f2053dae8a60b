/**
 * Shared set-up of the webhook tests: connected instructors with real simulator grants, class
 * sessions, signed deliveries, and snapshots of everything a webhook could change.
 *
 * Connected instructors go through the real consent flow against the simulator, so their
 * tokens are real simulator grants the token service can refresh.
 */
import { accessContext, refreshContext } from '../../src/connections/token-service.js';
import {
  FINISH_DEAUTHORIZATION_QUEUE,
  STAFF_ALERT_QUEUE,
} from '../../src/webhooks/webhook-queues.js';
import { signWebhook } from '../../src/zoom/webhook-signature.js';
import { connectInstructor } from '../support/connect-instructor.js';
import type { TestApp } from '../support/test-app.js';
import type { ZoomStack } from '../support/zoom-fixture.js';

/** An instructor linked to a simulated Zoom user. */
export interface ConnectedInstructor {
  readonly instructorId: number;
  readonly connectionId: number;
  readonly zoomUserId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

let serial = 0;
let sessionSerial = 0;

/** Adds a Zoom user to the simulator and connects a new instructor to it through consent. */
export async function connectZoomUser(
  stack: ZoomStack,
  zoomUserId: string,
): Promise<ConnectedInstructor> {
  serial += 1;
  stack.zoom.simulator.upsertUser({
    id: zoomUserId,
    account_id: `acct-${zoomUserId}`,
    email: `${zoomUserId.toLowerCase()}@zoom.example`,
    first_name: 'Host',
    last_name: String(serial),
    type: 2,
    timezone: 'America/Los_Angeles',
  });
  const { user } = await connectInstructor(stack, { zoomUserId });

  const { rows } = await stack.app.ctx.db.query<{
    id: number;
    access_token_enc: string;
    refresh_token_enc: string;
  }>(
    `SELECT id, access_token_enc, refresh_token_enc FROM zoom_connections
      WHERE instructor_id = $1 AND status = 'connected'`,
    [user.id],
  );
  const row = rows[0];
  if (!row) throw new Error('consent left no connected row');
  const vault = stack.app.ctx.vault;
  return {
    instructorId: user.id,
    connectionId: Number(row.id),
    zoomUserId,
    accessToken: vault.open(row.access_token_enc, accessContext(row.id)),
    refreshToken: vault.open(row.refresh_token_enc, refreshContext(row.id)),
  };
}

/** Inserts a class session starting `minutesFromNow` from the database's now. */
export async function addSession(
  app: TestApp,
  instructorId: number,
  minutesFromNow: number,
  status: 'scheduled' | 'cancelled' = 'scheduled',
): Promise<number> {
  sessionSerial += 1;
  const { rows } = await app.ctx.db.query<{ id: number }>(
    `INSERT INTO class_sessions (instructor_id, title, starts_at, duration_minutes, status,
       zoom_meeting_id, zoom_join_url, sync_state)
     VALUES ($1, 'Defensive driving', now() + $2 * interval '1 minute', 120, $3, $4, $5, 'ready')
     RETURNING id`,
    [
      instructorId,
      minutesFromNow,
      status,
      String(80_000_000_000 + sessionSerial),
      `https://zoom.example/j/${80_000_000_000 + sessionSerial}`,
    ],
  );
  return Number(rows[0]?.id);
}

/** Headers Zoom sends with a signed delivery. */
export function signedHeaders(
  secret: string,
  timestamp: string,
  body: string | Buffer,
): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': signWebhook(secret, timestamp, body),
  };
}

/** Posts one delivery to the product's webhook endpoint. */
export async function postWebhook(
  app: TestApp,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(`${app.url}/webhooks/zoom`, { method: 'POST', headers, body });
}

/** The current unix time in seconds of the product's clock, as Zoom's header carries it. */
export function nowSeconds(app: TestApp): string {
  return String(Math.floor(app.clock.now().getTime() / 1000));
}

/** An `app_deauthorized` body as Zoom sends it. */
export function deauthorizedBody(zoomUserId: string, eventId = 'e'.repeat(64)): string {
  return JSON.stringify({
    event: 'app_deauthorized',
    event_ts: 1_749_365_726_209,
    payload: {
      account_id: `acct-${zoomUserId}`,
      user_id: zoomUserId,
      signature: eventId,
      deauthorization_time: '2025-06-08T06:55:26.209Z',
      client_id: 'test-client-id',
      user_data_retention: null,
    },
  });
}

/** Connections still holding any token. */
export async function tokensLeft(app: TestApp): Promise<number> {
  const { rows } = await app.ctx.db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM zoom_connections
      WHERE access_token_enc IS NOT NULL OR refresh_token_enc IS NOT NULL OR access_expires_at IS NOT NULL`,
  );
  return rows[0]?.count ?? 0;
}

/** Everything a webhook may change, as comparable text. */
export async function databaseSnapshot(app: TestApp): Promise<string> {
  const tables = ['zoom_connections', 'class_sessions', 'audit_events', 'zoom_deauthorizations'];
  const parts: unknown[] = [];
  for (const table of tables) {
    const { rows } = await app.ctx.db.query(`SELECT * FROM ${table} ORDER BY id`);
    parts.push(rows);
  }
  // Only the queues a webhook sends to: other modules run timed jobs of their own.
  const { rows } = await app.ctx.db.query(
    `SELECT name, data FROM pgboss.job WHERE name = ANY($1) ORDER BY created_on, id`,
    [[STAFF_ALERT_QUEUE, FINISH_DEAUTHORIZATION_QUEUE]],
  );
  parts.push(rows);
  return JSON.stringify(parts);
}

/** The data of every job sent to a queue. */
export async function jobsOf<Data>(app: TestApp, queue: string): Promise<Data[]> {
  const { rows } = await app.ctx.db.query<{ data: Data }>(
    'SELECT data FROM pgboss.job WHERE name = $1 ORDER BY created_on',
    [queue],
  );
  return rows.map((row) => row.data);
}

/** Polls `probe` until it is true or `timeoutMs` passes. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return probe();
}
