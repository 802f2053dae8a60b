/**
 * `zoom-simulator --port N`: the built-in Zoom simulator on its own, for rehearsals and for
 * pointing a second copy of the product at. Credentials come from the same settings the product
 * reads (ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET, ZOOM_WEBHOOK_SECRET_TOKEN) and it posts webhooks to
 * SIMULATOR_WEBHOOK_URL; allowed redirect URIs are SIMULATOR_REDIRECT_URIS (comma-separated).
 */
import { createLogger } from '../logging/logger.js';
import { startZoomSimulator } from '../simulator/start-zoom-simulator.js';

/** Runs until SIGINT or SIGTERM. */
export async function runSimulatorCommand(
  values: Record<string, string | undefined>,
): Promise<number> {
  const env = process.env;
  const port = Number(values['port'] ?? 9100);
  const log = createLogger(env['LOG_LEVEL'] ?? 'info');
  const redirectUris = (env['SIMULATOR_REDIRECT_URIS'] ?? 'http://localhost:3000/callback/')
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean);

  const running = await startZoomSimulator({
    port,
    host: values['host'] ?? '127.0.0.1',
    redirectUris,
    logger: log,
    ...(env['ZOOM_CLIENT_ID'] ? { clientId: env['ZOOM_CLIENT_ID'] } : {}),
    ...(env['ZOOM_CLIENT_SECRET'] ? { clientSecret: env['ZOOM_CLIENT_SECRET'] } : {}),
    ...(env['ZOOM_WEBHOOK_SECRET_TOKEN']
      ? { webhookSecretToken: env['ZOOM_WEBHOOK_SECRET_TOKEN'] }
      : {}),
    webhookUrl: env['SIMULATOR_WEBHOOK_URL'] ?? 'http://localhost:3000/webhooks/zoom',
  });
  const { clientId } = running.simulator.config;
  log.info(
    { url: running.url, apiUrl: running.apiUrl, clientId, redirectUris },
    'zoom simulator listening',
  );
  console.log(
    `Zoom simulator at ${running.url} (REST ${running.apiUrl}, inspect ${running.url}/_sim/)`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}
