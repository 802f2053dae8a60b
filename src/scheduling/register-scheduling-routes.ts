/** Wires the scheduling module's pages and JSON API into the product. */
import type { FastifyInstance } from 'fastify';

import type { AppContext } from '../app/app-context.js';
import { registerSchedulingPages } from './admin-routes.js';
import { registerSchedulingApi } from './scheduling-api-routes.js';

/** Registers `/admin/…` pages and `/api/v1/instructors`, `/api/v1/class-sessions…`. */
export async function registerSchedulingRoutes(
  app: FastifyInstance,
  ctx: AppContext,
): Promise<void> {
  registerSchedulingPages(app, ctx);
  await app.register(async (api) => registerSchedulingApi(api, ctx));
}
