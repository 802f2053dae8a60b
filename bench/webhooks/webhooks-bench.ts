/**
 * Our `POST /webhooks/zoom` next to a peer built on Zoom's published sample recipe (see
 * sample-recipe-peer.ts), in one run on loopback:
 *   1. throughput and latency of valid signed deliveries (autocannon, same settings for both),
 *      for `endpoint.url_validation` and for a ~1 KB event neither acts on;
 *   2. what each accepts of two forged deliveries (re-serialised body, stale timestamp);
 *   3. for ours, the time from each `app_deauthorized` delivery to its answer, with a check
 *      right after each answer that the instructor's tokens are gone, over many connected
 *      instructors on a fresh PostgreSQL database. The peer has nothing to delete.
 * Each server runs in a child process of its own, so autocannon does not share their CPU.
 *
 * Run: `npm run build && node dist/bench/webhooks/webhooks-bench.js` with optional
 * `--duration 10 --connections 10 --instructors 1000 --concurrency 10 --database-url <admin url>`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

import { generateFernetKey } from '../../src/crypto/key-ring.js';
import {
  startBenchProduct,
  seedConnectedInstructors,
  type BenchProductSettings,
} from './bench-product.js';
import { startSampleRecipePeer } from './sample-recipe-peer.js';

const { values: options } = parseArgs({
  options: {
    serve: { type: 'string' },
    settings: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    instructors: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '10' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

const SECRET = randomBytes(16).toString('base64url');

interface Row {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
}

function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function signedHeaders(
  secret: string,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
) {
  return {
    'content-type': 'application/json',
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': sign(secret, timestamp, body),
  };
}

const bodies = {
  url_validation: JSON.stringify({
    payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
    event_ts: Date.now(),
    event: 'endpoint.url_validation',
  }),
  '1 KB event': JSON.stringify({
    event: 'meeting.participant_joined',
    event_ts: Date.now(),
    payload: {
      account_id: 'AAAAAABBBB',
      object: {
        id: '85746065432',
        uuid: 'a'.repeat(24),
        topic: 'Traffic school',
        pad: 'x'.repeat(760),
      },
    },
  }),
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Child process role: start one server and report its URL to the parent. */
async function serve(role: string, settings: BenchProductSettings): Promise<void> {
  const url =
    role === 'product'
      ? await startBenchProduct(settings)
      : (await startSampleRecipePeer(settings.webhookSecret)).url;
  process.send?.({ url });
}

function spawnServer(
  role: string,
  settings: BenchProductSettings,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', role, '--settings', JSON.stringify(settings)],
    { stdio: 'inherit' },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, url: (message as { url: string }).url }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${String(code)}`)));
  });
}

async function load(
  name: string,
  url: string,
  body: string,
  seconds = Number(options.duration),
): Promise<Row> {
  const result = await autocannon({
    url: `${url}/webhooks/zoom`,
    method: 'POST',
    headers: signedHeaders(SECRET, body),
    body,
    connections: Number(options.connections),
    duration: seconds,
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

async function forgeries(url: string): Promise<string> {
  const body = bodies['url_validation'];
  const spaced = JSON.stringify(JSON.parse(body), null, 1);
  const reserialized = await fetch(`${url}/webhooks/zoom`, {
    method: 'POST',
    headers: signedHeaders(SECRET, body),
    body: spaced,
  });
  const staleAt = String(Math.floor(Date.now() / 1000) - 3600);
  const stale = await fetch(`${url}/webhooks/zoom`, {
    method: 'POST',
    headers: signedHeaders(SECRET, body, staleAt),
    body,
  });
  return `re-serialised body → ${reserialized.status}, timestamp 1 h old → ${stale.status}`;
}

function deauthorizedBody(zoomUserId: string): string {
  return JSON.stringify({
    event: 'app_deauthorized',
    event_ts: Date.now(),
    payload: {
      account_id: 'BenchAccount',
      user_id: zoomUserId,
      signature: randomBytes(32).toString('hex'),
      deauthorization_time: new Date().toISOString(),
      client_id: 'bench-client-id',
      user_data_retention: null,
    },
  });
}

/** Deauthorizes every seeded user, `concurrency` at a time; each answer is checked in the database. */
async function deauthorizations(url: string, databaseUrl: string, users: string[]) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(options.concurrency) });
  const times: number[] = [];
  let notGone = 0;
  let failed = 0;
  const queue = [...users];
  const worker = async () => {
    for (let user = queue.shift(); user !== undefined; user = queue.shift()) {
      const body = deauthorizedBody(user);
      const started = performance.now();
      const answer = await fetch(`${url}/webhooks/zoom`, {
        method: 'POST',
        headers: signedHeaders(SECRET, body),
        body,
      });
      await answer.arrayBuffer();
      times.push(performance.now() - started);
      if (answer.status !== 200) failed += 1;
      const { rows } = await pool.query<{ left: boolean }>(
        `SELECT access_token_enc IS NOT NULL OR refresh_token_enc IS NOT NULL AS left FROM zoom_connections WHERE zoom_user_id = $1`,
        [user],
      );
      if (rows[0]?.left !== false) notGone += 1;
    }
  };
  await Promise.all(Array.from({ length: Number(options.concurrency) }, worker));
  await pool.end();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    count: times.length,
    p50: at(0.5),
    p99: at(0.99),
    max: times.at(-1) ?? NaN,
    notGone,
    failed,
  };
}

async function withFreshDatabase<T>(
  adminUrl: string,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const name = `sdz_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function printRows(rows: Row[]): void {
  console.log(
    '\nvalid signed deliveries (autocannon, %s connections, %s s each)',
    options.connections,
    options.duration,
  );
  console.log(
    'case'.padEnd(34) +
      'req/s'.padStart(10) +
      'p50 ms'.padStart(9) +
      'p99 ms'.padStart(9) +
      'non-2xx'.padStart(9),
  );
  for (const row of rows) {
    console.log(
      row.name.padEnd(34) +
        row.rps.toFixed(0).padStart(10) +
        String(row.p50).padStart(9) +
        String(row.p99).padStart(9) +
        String(row.non2xx).padStart(9),
    );
  }
}

async function main(): Promise<void> {
  await withFreshDatabase(options['database-url'] as string, async (databaseUrl) => {
    const settings: BenchProductSettings = {
      databaseUrl,
      port: await freePort(),
      tokenKey: generateFernetKey(),
      webhookSecret: SECRET,
    };
    const product = await spawnServer('product', settings);
    const peer = await spawnServer('peer', settings);
    try {
      const users = await seedConnectedInstructors(settings, Number(options.instructors));
      // One untimed second per case first, so neither side is measured while still compiling.
      for (const url of [product.url, peer.url]) {
        for (const body of Object.values(bodies)) await load('warm-up', url, body, 1);
      }
      const rows: Row[] = [];
      for (const [name, body] of Object.entries(bodies)) {
        rows.push(await load(`ours  ${name}`, product.url, body));
        rows.push(await load(`peer  ${name}`, peer.url, body));
      }
      printRows(rows);
      console.log(
        '\nforged deliveries: ours %s; peer %s',
        await forgeries(product.url),
        await forgeries(peer.url),
      );
      const deauth = await deauthorizations(product.url, databaseUrl, users);
      console.log(
        '\napp_deauthorized, ours (%d connected instructors, %s at a time): p50 %s ms, p99 %s ms, max %s ms; non-200 %d; tokens left after the answer %d',
        deauth.count,
        options.concurrency,
        deauth.p50.toFixed(1),
        deauth.p99.toFixed(1),
        deauth.max.toFixed(1),
        deauth.failed,
        deauth.notGone,
      );
    } finally {
      product.child.kill('SIGTERM');
      peer.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
}

if (options.serve)
  await serve(options.serve, JSON.parse(options.settings ?? '{}') as BenchProductSettings);
else await main();
