/**
 * Bulk sync benchmark: 1,000 class sessions across 100 instructors (each its own Zoom account),
 * simulated Zoom with 150 ms added to every meeting call and Pro rate limits. Each session gets
 * its meeting through the one-click API call, many clicks in flight at once; then every session
 * is rescheduled. Prints the wall time of each phase beside the lower bound the limits and the
 * latency allow, and the server time per one-click create with Zoom's latency taken out.
 *
 * Instructors are linked by minting grants straight in the in-process simulator and storing the
 * sealed tokens, as the connect flow would, so the figures measure scheduling alone.
 *
 *   npm run build && node dist/bench/bulk-sync/bulk-sync.js [sessions] [instructors] [inFlight]
 *
 * DATABASE_URL selects PostgreSQL; without it the embedded PGlite is used.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer } from '../../src/app/server.js';
import { createApiToken } from '../../src/auth/api-token-store.js';
import { createUser } from '../../src/auth/user-store.js';
import { loadConfig } from '../../src/config/config.js';
import { secretContext } from '../../src/crypto/secret-box.js';
import { generateFernetKey } from '../../src/crypto/key-ring.js';
import { createLogger } from '../../src/logging/logger.js';
import { startZoomSimulator } from '../../src/simulator/start-zoom-simulator.js';

const sessions = Number(process.argv[2] ?? 1000);
const instructors = Number(process.argv[3] ?? 100);
const inFlight = Number(process.argv[4] ?? 100);
const latencyMs = 150;
const mediumPerSecond = 20;
const lightPerSecond = 30;

const app = {
  clientId: 'bench-client',
  clientSecret: 'bench-secret-value',
  webhookSecretToken: 'bench-webhook-secret',
};

async function main(): Promise<void> {
  const zoom = await startZoomSimulator({
    ...app,
    rateLimits: { mediumPerSecond, lightPerSecond },
  });
  for (const route of ['create_meeting', 'update_meeting'] as const)
    zoom.simulator.faults.set(route, { latencyMs });

  const config = loadConfig({
    PORT: '0',
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'sdz-bench-')),
    TOKEN_KEYS: generateFernetKey(),
    LOG_LEVEL: 'warn',
    ZOOM_CLIENT_ID: app.clientId,
    ZOOM_CLIENT_SECRET: app.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: app.webhookSecretToken,
    ZOOM_OAUTH_URL: zoom.url,
    ZOOM_API_URL: zoom.apiUrl,
    ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}),
  });
  const server = await startServer(config, createLogger('warn'));
  const { ctx } = server;

  const ids = await linkInstructors(ctx, zoom.simulator);
  const staff = await createUser(ctx.db, {
    email: 'bench-staff@example.test',
    name: 'Bench Staff',
    role: 'staff',
    password: 'bench staff password',
  });
  const token = await createApiToken(ctx.db, staff);
  const call = apiCaller(server.url, token);

  const created: number[] = [];
  for (let i = 0; i < sessions; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const answer = await call('POST', '/api/v1/class-sessions', {
      instructorId: ids[i % ids.length],
      title: `Bench class ${i}`,
      startsAt: `2027-06-${day}T17:00:00Z`,
      durationMinutes: 60,
    });
    created.push((answer.body as { id: number }).id);
  }

  const perHost = Math.ceil(sessions / instructors);
  const bound = (perHost - 1) / mediumPerSecond + latencyMs / 1000;
  // A few clicks one at a time first: the server's own time without other clicks queueing.
  const quiet = await inParallel(created.slice(0, 20), 1, async (id) => {
    const start = performance.now();
    const answer = await call('POST', `/api/v1/class-sessions/${id}/zoom-meeting`);
    return { ms: performance.now() - start, status: answer.status };
  });
  const quietMs = quiet.filter((c) => c.status === 200).map((c) => c.ms - latencyMs);

  const createPhase = await timed(() =>
    inParallel(created.slice(20), inFlight, async (id) => {
      const start = performance.now();
      const answer = await call('POST', `/api/v1/class-sessions/${id}/zoom-meeting`);
      return { ms: performance.now() - start, status: answer.status };
    }),
  );
  await waitAllReady(call, created);
  const createWall = (performance.now() - createPhase.startedAt) / 1000;

  const clicks = createPhase.results;
  const settledIn200 = clicks.filter((c) => c.status === 200);
  const serverMs = settledIn200.map((c) => c.ms - latencyMs);
  const zoomCreateMs = zoom.simulator
    .requests('create_meeting')
    .filter((r) => r.status === 201)
    .map((r) => r.durationMs);

  const moveStart = performance.now();
  await inParallel(created, inFlight, (id) =>
    call('PATCH', `/api/v1/class-sessions/${id}`, { startsAt: '2027-07-01T18:00:00Z' }),
  );
  await waitAll(
    () =>
      zoom.simulator.requests('update_meeting').filter((r) => r.status === 204).length >= sessions,
  );
  await waitAllReady(call, created);
  const moveWall = (performance.now() - moveStart) / 1000;
  const moveBound = (perHost - 1) / lightPerSecond + latencyMs / 1000;

  const meetings = zoom.simulator.meetings;
  const live =
    ids.length === 0
      ? 0
      : zoom.simulator.users.list().reduce((n, u) => n + zoom.simulator.meetingsOf(u.id).length, 0);
  void meetings;

  console.log(
    `bulk sync: ${sessions} sessions, ${instructors} instructors (${perHost} per host), Zoom latency ${latencyMs} ms, Pro limits (create ${mediumPerSecond}/s, update ${lightPerSecond}/s per account), ${inFlight} clicks in flight, database ${ctx.db.kind}`,
  );
  console.log(
    `create phase (20 one by one, then ${sessions - 20} with ${inFlight} in flight): wall ${createWall.toFixed(2)} s; lower bound ${bound.toFixed(2)} s (${perHost} creates per host at ${mediumPerSecond}/s + ${latencyMs} ms)`,
  );
  console.log(
    `  one-click answers: ${settledIn200.length} × 200, ${clicks.length - settledIn200.length} × 202; Zoom create as seen by the simulator: median ${pct(zoomCreateMs, 50).toFixed(0)} ms`,
  );
  console.log(
    `  server time per one-click create excluding Zoom's ${latencyMs} ms, one click at a time: median ${pct(quietMs, 50).toFixed(1)} ms, p99 ${pct(quietMs, 99).toFixed(1)} ms`,
  );
  console.log(
    `  the same with ${inFlight} clicks in flight (queueing for the database included): median ${pct(serverMs, 50).toFixed(1)} ms, p99 ${pct(serverMs, 99).toFixed(1)} ms`,
  );
  console.log(
    `reschedule phase: wall ${moveWall.toFixed(2)} s; lower bound ${moveBound.toFixed(2)} s (${perHost} updates per host at ${lightPerSecond}/s + ${latencyMs} ms)`,
  );
  console.log(
    `meetings at Zoom: ${live} live for ${sessions} sessions; creates sent ${zoom.simulator.requests('create_meeting').length}, 429s ${zoom.simulator.requests().filter((r) => r.status === 429).length}`,
  );

  await server.stop();
  await zoom.close();
}

type Caller = (
  method: string,
  pathname: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>;

function apiCaller(base: string, token: string): Caller {
  return async (method, pathname, body) => {
    const response = await fetch(base + pathname, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
}

async function linkInstructors(
  ctx: Awaited<ReturnType<typeof startServer>>['ctx'],
  sim: Awaited<ReturnType<typeof startZoomSimulator>>['simulator'],
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < instructors; i += 1) {
    const zoomId = `benchuser${String(i).padStart(3, '0')}`;
    sim.upsertUser({
      id: zoomId,
      account_id: `benchaccount${i}`,
      email: `host${i}@example.test`,
      first_name: 'Host',
      last_name: String(i),
      type: 2,
      timezone: 'America/Los_Angeles',
    });
    const user = await createUser(ctx.db, {
      email: `instructor${i}@example.test`,
      name: `Instructor ${i}`,
      role: 'instructor',
      password: 'bench instructor password',
    });
    const code = sim.grants.issueCode(zoomId, 'http://127.0.0.1/callback/', undefined);
    const outcome = sim.grants.exchangeCode(code, 'http://127.0.0.1/callback/', undefined);
    if (!outcome.ok) throw new Error('simulator refused the bench grant');
    const { rows } = await ctx.db.query<{ id: string }>(
      `INSERT INTO zoom_connections (instructor_id, status, zoom_user_id, zoom_account_id, zoom_email, zoom_display_name, zoom_plan_type, scopes, access_expires_at, access_issued_at, connected_at)
       VALUES ($1, 'connected', $2, $3, $4, $5, 2, $6, now() + interval '1 hour', now(), now()) RETURNING id`,
      [
        user.id,
        zoomId,
        `benchaccount${i}`,
        `host${i}@example.test`,
        `Host ${i}`,
        outcome.tokens.grant.scopes.join(' '),
      ],
    );
    const id = rows[0]!.id;
    await ctx.db.query(
      'UPDATE zoom_connections SET access_token_enc = $2, refresh_token_enc = $3 WHERE id = $1',
      [
        id,
        ctx.vault.seal(
          outcome.tokens.accessToken,
          secretContext('zoom_connections', id, 'access_token'),
        ),
        ctx.vault.seal(
          outcome.tokens.refreshToken,
          secretContext('zoom_connections', id, 'refresh_token'),
        ),
      ],
    );
    ids.push(user.id);
  }
  return ids;
}

async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

async function timed<R>(work: () => Promise<R>): Promise<{ results: R; startedAt: number }> {
  const startedAt = performance.now();
  return { results: await work(), startedAt };
}

async function waitAllReady(call: Caller, ids: number[]): Promise<void> {
  await waitAll(async () => {
    const list = (await call('GET', '/api/v1/class-sessions?from=2027-01-01T00:00:00Z')).body as {
      zoom: { syncState: string };
    }[];
    return list.filter((s) => s.zoom.syncState === 'ready').length >= ids.length;
  });
}

async function waitAll(check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('bench timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
