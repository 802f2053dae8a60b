/**
 * Fan-out benchmark: one `notify.session-changed` job for a session with 10,000 enrolled
 * students goes through the whole message path (fan-out into the outbox, one delivery job per
 * row, claim, SMTP send over the pooled transport, bookkeeping) to an SMTP server in this
 * process. Prints messages per second. See README.md beside this file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { createContext } from '../../src/app/create-context.js';
import type { AppContext } from '../../src/app/app-context.js';
import { loadConfig } from '../../src/config/config.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { openPgliteDatabase } from '../../src/db/pglite-database.js';
import { SESSION_CHANGED_QUEUE } from '../../src/notify/notify-queues.js';
import { registerNotifyWorkers } from '../../src/notify/register-notify-workers.js';

const messages = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 50);
const serverUrl = process.env['BENCH_POSTGRES_URL'];

async function main(): Promise<void> {
  const smtp = await startCountingSmtp();
  const database = await openBenchDatabase();
  const config = loadConfig({
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'sdz-bench-')),
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Bench <bench@safedriver.test>',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  });
  const ctx = await createContext(config, pino({ level: 'silent' }), { db: database.db });
  await ctx.jobs.start();
  const workers = await registerNotifyWorkers(ctx, {
    deliveryConcurrency: concurrency,
    smtpMaxConnections: Number(process.env['BENCH_SMTP_CONNECTIONS'] ?? 10),
  });

  const sessionId = await seedRoster(ctx, messages);
  console.log(`engine ${ctx.db.kind}, ${messages} students, ${concurrency} delivery workers`);

  const started = Date.now();
  await ctx.jobs.send(SESSION_CHANGED_QUEUE, { sessionId, kind: 'meeting_ready', revision: 1 });
  const fannedOut = await waitUntil(
    ctx,
    sessionId,
    `SELECT count(*)::int AS n FROM notify_outbox WHERE session_id = $1`,
    messages,
  );
  const done = await waitUntil(
    ctx,
    sessionId,
    `SELECT count(*)::int AS n FROM notify_outbox WHERE session_id = $1 AND status = 'sent'`,
    messages,
  );

  const seconds = (done - started) / 1000;
  console.log(`outbox rows written in ${((fannedOut - started) / 1000).toFixed(1)} s`);
  console.log(
    `${messages} messages sent in ${seconds.toFixed(1)} s: ${(messages / seconds).toFixed(0)} messages/s`,
  );
  console.log(`SMTP server received ${smtp.count()} messages`);

  workers.close();
  await ctx.jobs.stop(2000);
  await database.drop();
  await smtp.close();
}

async function seedRoster(ctx: AppContext, count: number): Promise<number> {
  const { rows: users } = await ctx.db.query<{ id: number }>(
    `INSERT INTO users (email, name, role, password_hash) VALUES ('bench@i.test', 'Bench', 'instructor', 'x') RETURNING id`,
  );
  const { rows } = await ctx.db.query<{ id: number }>(
    `INSERT INTO class_sessions (instructor_id, title, starts_at, duration_minutes, sync_state, zoom_meeting_id, zoom_join_url)
     VALUES ($1, 'Bench class', now() + interval '7 days', 240, 'ready', '81111111111', 'https://zoom.example.test/j/81111111111')
     RETURNING id`,
    [users[0]?.id],
  );
  const sessionId = Number(rows[0]?.id);
  await ctx.db.query(
    `INSERT INTO students (name, email) SELECT 'Student ' || n, 'student' || n || '@bench.test' FROM generate_series(1, $1) AS n`,
    [count],
  );
  await ctx.db.query(
    `INSERT INTO enrollments (session_id, student_id) SELECT $1, id FROM students`,
    [sessionId],
  );
  return sessionId;
}

async function waitUntil(
  ctx: AppContext,
  sessionId: number,
  sql: string,
  target: number,
): Promise<number> {
  for (;;) {
    const { rows } = await ctx.db.query<{ n: number }>(sql, [sessionId]);
    if ((rows[0]?.n ?? 0) >= target) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function openBenchDatabase() {
  if (!serverUrl) {
    const db = await openPgliteDatabase('memory://');
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `sdz_bench_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openPgDatabase(url.toString(), 20);
  const drop = async () => {
    await db.close();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return { db, url: url.toString(), drop };
}

async function admin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function startCountingSmtp() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
