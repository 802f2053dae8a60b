/**
 * Mounts the built-in Zoom simulator beside the product when no real Zoom app is configured,
 * so `npm start` alone gives a system a person can click through: consent screen, tokens,
 * meetings and webhooks, all served at `/zoom-simulator` on the product's own port.
 */
import { ZoomSimulator } from '../simulator/zoom-simulator.js';
import { zoomSimulatorPlugin } from '../simulator/zoom-simulator-plugin.js';
import type { Mount } from '../web/build-app.js';
import type { AppContext } from './app-context.js';

/** Where the simulator is mounted in the embedded default. */
export const SIMULATOR_PREFIX = '/zoom-simulator';

/** The mounts for `startServer`: the simulator at `/zoom-simulator` when Zoom is simulated. */
export function simulatorMounts(ctx: AppContext): Mount[] {
  if (!ctx.zoomApp.simulated) return [];

  const simulator = new ZoomSimulator({
    clientId: ctx.zoomApp.clientId,
    clientSecret: ctx.zoomApp.clientSecret,
    webhookSecretToken: ctx.zoomApp.webhookSecretToken,
    redirectUris: [ctx.zoomApp.redirectUri],
    webhookUrl: `${ctx.config.publicUrl}/webhooks/zoom`,
    publicUrl: ctx.zoomApp.oauthUrl,
    logger: ctx.log.child({ component: 'zoom-simulator' }),
  });
  return [
    async (app) => {
      await app.register(zoomSimulatorPlugin, { prefix: SIMULATOR_PREFIX, simulator });
    },
  ];
}
