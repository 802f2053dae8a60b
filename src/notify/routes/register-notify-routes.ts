/** Every route of students and messages: the JSON API and the staff pages. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { registerNotifyApi } from './notify-api-routes.js';
import { registerNotifyPages } from './notify-page-routes.js';

/** Registers the enrolment and message routes. */
export async function registerNotifyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerNotifyPages(app, ctx);
  await registerNotifyApi(app, ctx);
}
