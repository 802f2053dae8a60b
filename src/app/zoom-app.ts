/** The Zoom app the product talks to, after filling development defaults in. */
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import type { DevSecrets } from './dev-defaults.js';

/** Credentials and addresses of the Zoom Marketplace app (or its simulator). */
export interface ZoomApp {
  readonly simulated: boolean;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecretToken: string;
  readonly oauthUrl: string;
  readonly apiUrl: string;
  readonly redirectUri: string;
}

/** Resolves the Zoom app from the configuration, with dev secrets where settings are absent. */
export function resolveZoomApp(config: Config, dev: DevSecrets | undefined): ZoomApp {
  const zoom = config.zoom;
  const clientId = zoom.clientId ?? (zoom.simulated ? dev?.zoomClientId : undefined);
  const clientSecret = zoom.clientSecret ?? (zoom.simulated ? dev?.zoomClientSecret : undefined);
  const webhookSecretToken = zoom.webhookSecretToken ?? dev?.zoomWebhookSecretToken;
  if (!clientId || !clientSecret || !webhookSecretToken) {
    throw new AppError('CONFIG_INVALID', 'zoom app credentials are incomplete', {
      detail: 'Set ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and ZOOM_WEBHOOK_SECRET_TOKEN together.',
    });
  }
  return {
    simulated: zoom.simulated,
    clientId,
    clientSecret,
    webhookSecretToken,
    oauthUrl: zoom.oauthUrl,
    apiUrl: zoom.apiUrl,
    redirectUri: config.redirectUri,
  };
}
