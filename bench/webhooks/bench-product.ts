/**
 * The product as the benchmark runs it: the real server (`startServer`) on a fresh PostgreSQL
 * database, logging at warn so that log output does not take part in the figures, and a
 * seeding step that makes many connected instructors with sealed tokens and upcoming sessions.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

import { startServer } from '../../src/app/server.js';
import { loadConfig } from '../../src/config/config.js';
import { KeyRing } from '../../src/crypto/key-ring.js';
import { SecretBox, secretContext } from '../../src/crypto/secret-box.js';
import { createLogger } from '../../src/logging/logger.js';

/** Settings shared by the benchmark's processes. */
export interface BenchProductSettings {
  readonly databaseUrl: string;
  readonly port: number;
  readonly tokenKey: string;
  readonly webhookSecret: string;
}

/** Starts the product server; resolves with its base URL. */
export async function startBenchProduct(settings: BenchProductSettings): Promise<string> {
  const config = loadConfig({
    DATABASE_URL: settings.databaseUrl,
    PORT: String(settings.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${settings.port}`,
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'sdz-bench-')),
    TOKEN_KEYS: settings.tokenKey,
    ZOOM_CLIENT_ID: 'bench-client-id',
    ZOOM_CLIENT_SECRET: 'bench-client-secret',
    ZOOM_WEBHOOK_SECRET_TOKEN: settings.webhookSecret,
    ZOOM_OAUTH_URL: 'http://127.0.0.1:9/unused',
    ZOOM_API_URL: 'http://127.0.0.1:9/unused/v2',
    LOG_LEVEL: 'warn',
  });
  const server = await startServer(config, createLogger('warn'));
  return server.url;
}

/** Creates `count` connected instructors (Zoom users `BenchUser<n>`), two upcoming sessions each. */
export async function seedConnectedInstructors(
  settings: BenchProductSettings,
  count: number,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: settings.databaseUrl });
  await client.connect();
  try {
    const ids = await insertConnections(client, count);
    await sealTokens(client, new SecretBox(new KeyRing([settings.tokenKey])), ids);
    await client.query(
      `INSERT INTO class_sessions (instructor_id, title, starts_at, duration_minutes)
       SELECT instructor_id, 'Traffic school', now() + s * interval '1 day', 240
         FROM zoom_connections, generate_series(1, 2) s`,
    );
    return ids.map((row) => row.zoomUserId);
  } finally {
    await client.end();
  }
}

async function insertConnections(client: pg.Client, count: number) {
  const { rows } = await client.query<{ id: string; zoom_user_id: string }>(
    `WITH people AS (
       INSERT INTO users (email, name, role, password_hash)
       SELECT 'bench-' || g || '@school.example', 'Bench Instructor ' || g, 'instructor', 'unused'
         FROM generate_series(1, $1) g
       RETURNING id)
     INSERT INTO zoom_connections (instructor_id, status, zoom_user_id, zoom_email,
       zoom_display_name, zoom_plan_type, access_expires_at, access_issued_at, connected_at)
     SELECT id, 'connected', 'BenchUser' || id, 'host' || id || '@zoom.example', 'Host ' || id, 2,
            now() + interval '1 hour', now(), now()
       FROM people
     RETURNING id, zoom_user_id`,
    [count],
  );
  return rows.map((row) => ({ id: Number(row.id), zoomUserId: row.zoom_user_id }));
}

async function sealTokens(client: pg.Client, vault: SecretBox, rows: { id: number }[]) {
  const access = rows.map((row) =>
    vault.seal(`access-${row.id}`, secretContext('zoom_connections', row.id, 'access_token')),
  );
  const refresh = rows.map((row) =>
    vault.seal(`refresh-${row.id}`, secretContext('zoom_connections', row.id, 'refresh_token')),
  );
  await client.query(
    `UPDATE zoom_connections c SET access_token_enc = t.access, refresh_token_enc = t.refresh
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, access, refresh)
      WHERE c.id = t.id`,
    [rows.map((row) => row.id), access, refresh],
  );
}
