/**
 * The product and the Zoom simulator wired to each other, both on 127.0.0.1: the simulator
 * allows the product's `/callback/` and posts its webhooks to the product's `/webhooks/zoom`.
 */
import {
  startZoomSimulator,
  type RunningZoomSimulator,
} from '../../src/simulator/start-zoom-simulator.js';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.js';
import { freePort } from './free-port.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** A product and its simulated Zoom. */
export interface ZoomStack {
  readonly app: TestApp;
  readonly zoom: RunningZoomSimulator;
  close(): Promise<void>;
}

/** Options of `startZoomStack`. */
export interface ZoomStackOptions extends TestAppOptions {
  readonly simulator?: SimulatorOptions;
}

/** Test credentials shared by the product and the simulator. */
export const testZoomApp = {
  clientId: 'test-client-id',
  clientSecret: 'test-client-secret-value',
  webhookSecretToken: 'test-webhook-secret-token',
} as const;

/** Starts the simulator, then the product pointed at it. */
export async function startZoomStack(options: ZoomStackOptions = {}): Promise<ZoomStack> {
  const port = await freePort();
  const productUrl = `http://127.0.0.1:${port}`;
  const zoom = await startZoomSimulator({
    ...testZoomApp,
    redirectUris: [`${productUrl}/callback/`],
    webhookUrl: `${productUrl}/webhooks/zoom`,
    webhookRetryDelaysMs: [200, 400, 800],
    ...options.simulator,
  });
  const app = await startTestApp({
    ...options,
    env: {
      PORT: String(port),
      ZOOM_CLIENT_ID: testZoomApp.clientId,
      ZOOM_CLIENT_SECRET: testZoomApp.clientSecret,
      ZOOM_WEBHOOK_SECRET_TOKEN: testZoomApp.webhookSecretToken,
      ZOOM_OAUTH_URL: zoom.url,
      ZOOM_API_URL: zoom.apiUrl,
      ...options.env,
    },
  });
  return {
    app,
    zoom,
    // The simulator goes first: it drops connections it is holding open (hang faults), so no
    // product request is left waiting on it while the product drains.
    close: async () => {
      await zoom.close();
      await app.close();
    },
  };
}
