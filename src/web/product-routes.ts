/**
 * Every route of the product, registered inside its encapsulated context. Each concept owns a
 * `register…Routes(app, ctx)` function; this list is the one place they are wired.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerLoginRoutes } from './routes/login-routes.js';
import { registerConnectionRoutes } from '../connections/register-connection-routes.js';
import { registerWebhookRoutes } from '../webhooks/webhook-routes.js';
import { registerSchedulingRoutes } from '../scheduling/register-scheduling-routes.js';
import { registerNotifyRoutes } from '../notify/routes/register-notify-routes.js';

/** Registers all product routes. */
export async function registerProductRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerHealthRoutes(app, ctx);
  registerLoginRoutes(app, ctx);
  registerConnectionRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  await registerSchedulingRoutes(app, ctx);
  await registerNotifyRoutes(app, ctx);
}
