/**
 * How the token service behaves when many callers in several processes need a token at the
 * moment it expires: 3 processes × 50 concurrent callers (by default) share one PostgreSQL
 * database and one simulated Zoom with short-lived access tokens. For each expiry it prints
 * how many refresh grants Zoom saw, and over all rounds the median and p99 time a caller
 * waited for its token.
 *
 *   npm run build && node dist/bench/refresh-contention/refresh-contention.js [rounds] [processes] [callers]
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * a fresh database is created and dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { createContext } from '../../src/app/create-context.js';
import { createUser } from '../../src/auth/user-store.js';
import { loadConfig } from '../../src/config/config.js';
import { linkZoomAccount } from '../../src/connections/link-zoom-account.js';
import { generateFernetKey } from '../../src/crypto/key-ring.js';
import { createLogger } from '../../src/logging/logger.js';
import { startZoomSimulator } from '../../src/simulator/index.js';
import { zoomOAuthFor } from '../../src/connections/zoom-oauth-for.js';
import { codeChallengeS256, createCodeVerifier } from '../../src/zoom/pkce.js';
import { ZoomApiClient } from '../../src/zoom/api-client.js';

const [rounds = 5, processes = 3, callers = 50] = process.argv.slice(2).map(Number);
const TTL_SECONDS = 4;
const ZOOM_USER = 'KDcuGIm1QgePTO8WbOqwIQ';
const serverUrl =
  process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Worker {
  readonly child: ChildProcess;
  readonly lines: Interface;
}

async function main(): Promise<void> {
  const databaseUrl = await createDatabase();
  const zoom = await startZoomSimulator({
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    webhookSecretToken: 'bench-webhook',
    redirectUris: ['http://127.0.0.1:9/callback/'],
    accessTokenTtlSeconds: TTL_SECONDS,
  });
  const env = {
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: 'http://127.0.0.1:9',
    TOKEN_KEYS: generateFernetKey(),
    DATA_DIR: path.join('/tmp', `sdz-bench-${randomBytes(4).toString('hex')}`),
    ZOOM_CLIENT_ID: 'bench-client',
    ZOOM_CLIENT_SECRET: 'bench-secret',
    ZOOM_WEBHOOK_SECRET_TOKEN: 'bench-webhook',
    ZOOM_OAUTH_URL: zoom.url,
    ZOOM_API_URL: zoom.apiUrl,
  };

  const instructorId = await connectInstructor(env, zoom.simulator);
  const workers = Array.from({ length: processes }, () => startWorker(env));
  const waits: number[] = [];

  console.log(`${processes} processes x ${callers} callers, access tokens live ${TTL_SECONDS} s`);
  for (let round = 1; round <= rounds; round += 1) {
    await sleep(TTL_SECONDS * 1000 + 200);
    const before = zoom.simulator.counters().refreshGrants[ZOOM_USER] ?? 0;
    const results = await Promise.all(workers.map((worker) => ask(worker, instructorId)));
    const grants = (zoom.simulator.counters().refreshGrants[ZOOM_USER] ?? 0) - before;
    results.forEach((result) => waits.push(...result));
    console.log(
      `expiry ${round}: ${grants} refresh grant(s), ${results.flat().length} callers served`,
    );
  }

  const invalid = Object.values(zoom.simulator.counters().invalidGrants).reduce((a, b) => a + b, 0);
  console.log(`invalid_grant answers: ${invalid}`);
  console.log(
    `token wait: median ${percentile(waits, 50).toFixed(1)} ms, p99 ${percentile(waits, 99).toFixed(1)} ms, max ${Math.max(...waits).toFixed(1)} ms`,
  );

  for (const worker of workers) worker.child.stdin?.write('quit\n');
  await Promise.all(
    workers.map((worker) => new Promise((resolve) => worker.child.once('exit', resolve))),
  );
  await zoom.close();
  await dropDatabase(databaseUrl);
}

/** Links the simulated Zoom user to a new instructor with the product's own linking code. */
async function connectInstructor(
  env: Record<string, string>,
  sim: Awaited<ReturnType<typeof startZoomSimulator>>['simulator'],
) {
  const ctx = await createContext(loadConfig(env), createLogger('warn'));
  const user = await createUser(ctx.db, {
    email: 'bench@example.test',
    name: 'Bench Instructor',
    role: 'instructor',
    password: 'bench password 1234',
  });
  const verifier = createCodeVerifier();
  const code = sim.grants.issueCode(
    ZOOM_USER,
    ctx.zoomApp.redirectUri,
    codeChallengeS256(verifier),
  );
  const tokens = await zoomOAuthFor(ctx).exchangeCode(code, verifier);
  const profile = await new ZoomApiClient({
    apiUrl: ctx.zoomApp.apiUrl,
    getAccessToken: async () => tokens.accessToken,
    logger: ctx.log,
  }).getMe();

  await linkZoomAccount(ctx, { instructorId: user.id, tokens, profile });
  await ctx.db.close();
  return user.id;
}

function startWorker(env: Record<string, string>): Worker {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'caller-process.js');
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return { child, lines: createInterface({ input: child.stdout! }) };
}

function ask(worker: Worker, instructorId: number): Promise<number[]> {
  return new Promise((resolve) => {
    worker.lines.once('line', (line) => resolve((JSON.parse(line) as { waits: number[] }).waits));
    worker.child.stdin?.write(`go ${instructorId} ${callers}\n`);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function createDatabase(): Promise<string> {
  const name = `sdz_bench_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(url: string): Promise<void> {
  await admin((client) =>
    client.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`),
  );
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
