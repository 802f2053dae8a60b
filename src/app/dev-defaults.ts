/**
 * The embedded defaults a newcomer gets without any setting: a Fernet key and simulated Zoom app
 * credentials generated once into DATA_DIR, so restarts keep reading the same tokens. Production
 * never reaches this (the configuration check refuses to start without the real settings).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateFernetKey } from '../crypto/key-ring.js';

/** Secrets generated for development. */
export interface DevSecrets {
  readonly tokenKey: string;
  readonly zoomClientId: string;
  readonly zoomClientSecret: string;
  readonly zoomWebhookSecretToken: string;
}

/** Reads `DATA_DIR/dev-secrets.json`, creating it (mode 0600) on first use. */
export async function loadDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = path.join(dataDir, 'dev-secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DevSecrets;
  } catch {
    const secrets: DevSecrets = {
      tokenKey: generateFernetKey(),
      zoomClientId: `sim_${randomBytes(8).toString('hex')}`,
      zoomClientSecret: randomBytes(24).toString('base64url'),
      zoomWebhookSecretToken: randomBytes(16).toString('base64url'),
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
}
