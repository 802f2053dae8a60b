import Fastify from 'fastify';

import type { SimulatorOptions } from './simulator-options.js';
import { zoomSimulatorPlugin } from './zoom-simulator-plugin.js';
import { ZoomSimulator } from './zoom-simulator.js';

/** Where and how a standalone simulator listens. */
export interface StandaloneSimulatorOptions extends SimulatorOptions {
  /** TCP port; 0 picks a free one (tests). */
  port?: number;
  /** Interface to listen on; loopback by default. */
  host?: string;
}

/** A running standalone simulator. */
export interface RunningZoomSimulator {
  /** The OAuth base URL (`/oauth/authorize` and friends live below it). */
  readonly url: string;
  /** The REST base URL, `url` + `/v2`. */
  readonly apiUrl: string;
  /** The simulator's state and typed accessors. */
  readonly simulator: ZoomSimulator;
  /** Stops listening, drops held connections and cancels webhook retries. */
  close(): Promise<void>;
}

/** Runs the simulator on its own HTTP server, mounted at the root. */
export async function startZoomSimulator(
  options: StandaloneSimulatorOptions = {},
): Promise<RunningZoomSimulator> {
  const { port = 0, host = '127.0.0.1', ...simulatorOptions } = options;
  const simulator = new ZoomSimulator(simulatorOptions);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(zoomSimulatorPlugin, { simulator });

  await app.listen({ port, host });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = simulator.config.publicUrl ?? `http://${host}:${boundPort}`;
  return { url, apiUrl: `${url}/v2`, simulator, close: () => app.close() };
}
