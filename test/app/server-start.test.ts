import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { spawnNode, waitFor } from '../support/processes.js';

const main = new URL('../../dist/src/main.js', import.meta.url).pathname;

describe('the server process', () => {
  it('starts on the embedded defaults, prints demo accounts, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sdz-start-'));
    const port = await freePort();
    const server = spawnNode(main, [], { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '' });
    try {
      await waitFor(() => server.output().includes('server started'), 60_000, 'server start');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`http://127.0.0.1:${port}/login`)).status).toBe(200);
      const consent = await fetch(`http://127.0.0.1:${port}/zoom-simulator/_sim/`);
      expect(consent.status).toBe(200);

      expect(server.output()).toContain('instructor@demo.safedriver.test');
      expect(server.output()).toContain('zoom is simulated');
      const secrets = JSON.parse(await readFile(path.join(dataDir, 'dev-secrets.json'), 'utf8'));
      expect(server.output()).not.toContain(secrets.tokenKey);
      expect(server.output()).not.toContain(secrets.zoomClientSecret);
    } finally {
      server.process.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('server stopped');
  });

  it('refuses to start in production without its settings, naming each one', async () => {
    const server = spawnNode(main, [], { NODE_ENV: 'production', DATABASE_URL: '' });
    expect(await server.exited).toBe(1);
    for (const name of [
      'DATABASE_URL',
      'ZOOM_CLIENT_ID',
      'ZOOM_CLIENT_SECRET',
      'ZOOM_WEBHOOK_SECRET_TOKEN',
      'TOKEN_KEYS',
      'SMTP_URL',
      'MAIL_FROM',
      'PUBLIC_URL',
      'simulator',
    ]) {
      expect(server.output()).toContain(name);
    }
  });
});
