/**
 * The simulator as a Fastify plugin, mountable at any prefix:
 * `app.register(zoomSimulatorPlugin, { prefix: '/zoom-simulator', simulator })`.
 * It is deliberately not wrapped in fastify-plugin, so its parsers, hooks and error handler
 * stay inside its own encapsulated context and never touch the host application's routes.
 */
import type { Socket } from 'node:net';

import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';

import { registerAdminRoutes } from './admin-routes.js';
import { registerMarketplaceRoutes } from './marketplace-routes.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { registerRestRoutes } from './rest-routes.js';
import { logRequest, markRequestStart, send, simCallOf, type SimContext } from './sim-route.js';
import { zoomError } from './sim-route.js';
import { ZoomSimulator } from './zoom-simulator.js';

/** Options of the plugin; pass a simulator to keep a handle on it, or let the plugin make one. */
export interface ZoomSimulatorPluginOptions {
  readonly simulator: ZoomSimulator;
}

function addFormParser(app: FastifyInstance): void {
  if (app.hasContentTypeParser('application/x-www-form-urlencoded')) return;

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
}

function addHooks(app: FastifyInstance, ctx: SimContext): void {
  app.addHook('onRequest', async (request) => markRequestStart(request));
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.slice(ctx.prefix.length);
    if (path.startsWith('/_sim')) return;

    const call = simCallOf(request);
    logRequest(ctx, request, reply.statusCode, call?.route ?? null, call?.fault ?? null);
  });
  app.addHook('preClose', async () => {
    for (const socket of ctx.hanging) socket.destroy();
    ctx.sim.close();
  });
}

function addErrorHandler(app: FastifyInstance, ctx: SimContext): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const isBodyError = error.code?.startsWith('FST_ERR_CTP') ?? false;
    if (isBodyError)
      return send(reply, zoomError(400, 300, 'Request Body should be a valid JSON object.'));

    ctx.sim.config.logger?.error(
      { err: error, path: request.routeOptions.url },
      'zoom simulator failed',
    );
    return send(reply, zoomError(500, 500, 'Internal server error.'));
  });
}

/** Serves the simulated Zoom: OAuth, REST under /v2, Marketplace pages and the /_sim/ API. */
export const zoomSimulatorPlugin: FastifyPluginAsync<ZoomSimulatorPluginOptions> = async (
  app,
  options,
) => {
  const ctx: SimContext = {
    sim: options.simulator,
    prefix: app.prefix,
    hanging: new Set<Socket>(),
  };

  addFormParser(app);
  addHooks(app, ctx);
  addErrorHandler(app, ctx);
  registerOAuthRoutes(app, ctx);
  registerRestRoutes(app, ctx);
  registerMarketplaceRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  app.get('/', (_request, reply) => reply.redirect(`${ctx.prefix}/_sim/`));
};
