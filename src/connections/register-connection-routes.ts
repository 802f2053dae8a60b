/** Every route of the connections module: consent, dashboard, audit page, live profile. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerConnectRoutes } from './connect-routes.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { registerZoomProfileRoutes } from './zoom-profile-routes.js';

/** Registers the connections routes on the product's context. */
export function registerConnectionRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerConnectRoutes(app, ctx);
  registerDashboardRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerZoomProfileRoutes(app, ctx);
}
