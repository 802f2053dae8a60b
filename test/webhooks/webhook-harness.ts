/**
 * Shared set-up of the webhook tests: connected instructors with real simulator grants, class
 * sessions, signed deliveries, and snapshots of everything a webhook could change.
 *
 * Connected instructors are written straight into `zoom_connections` with tokens from a grant
 * the simulator really issued (so the token service can refresh them at the simulator), sealed
 * by the product's vault exactly as the connect flow stores them.
 */
import { createUser } from '../../src/auth/user-store.js';
import { accessContext, refreshContext } from '../../src/connections/token-service.js';
import {
  FINISH_DEAUTHORIZATION_QUEUE,
  STAFF_ALERT_QUEUE,
} from '../../src/webhooks/webhook-queues.js';
import { signWebhook } from '../../src/zoom/webhook-signature.js';
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

/** Adds a Zoom user to the simulator, grants the app and stores a connected row. */
export async function connectZoomUser(
  stack: ZoomStack,
  zoomUserId: string,
): Promise<ConnectedInstructor> {
  const sim = stack.zoom.simulator;
  serial += 1;
  sim.upsertUser({
    id: zoomUserId,
    account_id: `acct-${zoomUserId}`,
    email: `${zoomUserId.toLowerCase()}@zoom.example`,
    first_name: 'Host',
    last_name: String(serial),
    type: 2,
    timezone: 'America/Los_Angeles',
  });
  const redirectUri = stack.app.ctx.zoomApp.redirectUri;
  const outcome = sim.grants.exchangeCode(
    sim.grants.issueCode(zoomUserId, redirectUri, undefined),
    redirectUri,
    undefined,
  );
  if (!outcome.ok) throw new Error('simulator refused the test grant');

  const instructorId = await newInstructor(stack.app, zoomUserId);
  const { accessToken, refreshToken, expiresIn } = outcome.tokens;
  const connectionId = await insertConnection(stack.app, instructorId, zoomUserId, expiresIn);
  await storeTokens(stack.app, connectionId, accessToken, refreshToken);
  return { instructorId, connectionId, zoomUserId, accessToken, refreshToken };
}

async function newInstructor(app: TestApp, zoomUserId: string): Promise<number> {
  const user = await createUser(app.ctx.db, {
    email: `instructor-${zoomUserId.toLowerCase()}@school.example`,
    name: `Instructor ${zoomUserId}`,
    role: 'instructor',
    password: 'correct horse battery staple',
  });
  return user.id;
}

async function insertConnection(
  app: TestApp,
  instructorId: number,
  zoomUserId: string,
  ttl: number,
) {
  const { rows } = await app.ctx.db.query<{ id: number }>(
    `INSERT INTO zoom_connections (instructor_id, status, zoom_user_id, zoom_account_id, zoom_email,
       zoom_display_name, zoom_plan_type, scopes, access_expires_at, access_issued_at, connected_at)
     VALUES ($1, 'connected', $2, NULL, $3, $4, 2, 'meeting:write:meeting', now() + $5 * interval '1 second', now(), now())
     RETURNING id`,
    [
      instructorId,
      zoomUserId,
      `${zoomUserId.toLowerCase()}@zoom.example`,
      `Host ${zoomUserId}`,
      ttl,
    ],
  );
  return Number(rows[0]?.id);
}

async function storeTokens(app: TestApp, id: number, access: string, refresh: string) {
  await app.ctx.db.query(
    'UPDATE zoom_connections SET access_token_enc = $2, refresh_token_enc = $3 WHERE id = $1',
    [
      id,
      app.ctx.vault.seal(access, accessContext(id)),
      app.ctx.vault.seal(refresh, refreshContext(id)),
    ],
  );
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
