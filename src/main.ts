/**
 * `npm start`: reads the configuration, starts the server on it, prints how to sign in when
 * running on the embedded defaults, and stops cleanly on SIGTERM or SIGINT.
 */
import 'dotenv/config';
import { ensureDemoAccounts } from './app/demo-accounts.js';
import { enforceTlsFloor } from './app/tls-floor.js';
import { startServer } from './app/server.js';
import { simulatorMounts } from './app/simulator-mount.js';
import { loadConfig } from './config/config.js';
import { isAppError } from './errors/app-error.js';
import { createLogger } from './logging/logger.js';

async function main(): Promise<void> {
  enforceTlsFloor();
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log, { mounts: simulatorMounts });

  if (!config.production) {
    const accounts = await ensureDemoAccounts(server.ctx.db, config.dataDir);
    for (const account of accounts) {
      log.info({ email: account.email, role: account.role }, 'demo account');
    }
    process.stdout.write(signInHelp(config.publicUrl, accounts));
  }
  if (server.ctx.zoomApp.simulated) {
    log.warn(
      { oauthUrl: server.ctx.zoomApp.oauthUrl },
      'zoom is simulated: no real Zoom account is used',
    );
  }
  if (!config.twilio)
    log.warn('sms is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM are not set');
  log.info({ url: server.url, database: server.ctx.db.kind }, 'server started');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

function signInHelp(
  publicUrl: string,
  accounts: { email: string; role: string; password: string }[],
): string {
  if (accounts.length === 0) return '';
  const lines = accounts.map((a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(34)} ${a.password}`);
  return `\nSign in at ${publicUrl}/login with a demo account:\n${lines.join('\n')}\n\n`;
}

main().catch((error: unknown) => {
  const message = isAppError(error) ? error.message : String(error);
  process.stderr.write(`safedriver-zoom could not start: ${message}\n`);
  process.exit(1);
});
