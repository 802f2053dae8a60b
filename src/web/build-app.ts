/**
 * Builds the Fastify application: parsers, security headers, request logging without query
 * strings, the one error handler, and the product's routes in their own encapsulated context
 * (so that a simulator mounted beside them shares none of their hooks).
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { requestLogFields } from '../logging/logger.js';
import { randomToken } from '../support/random-token.js';
import { appCss, appJs } from './assets.js';
import { html } from './html.js';
import { layout } from './pages/layout.js';
import { toAppError, toProblem } from './problem.js';
import { registerProductRoutes } from './product-routes.js';
import { checkCsrf, csrfTokenOf, resolveAuth, wantsHtml } from './request-auth.js';
import { AppError } from '../errors/app-error.js';

/** Extra routes mounted beside the product, outside its hooks (e.g. the Zoom simulator). */
export type Mount = (app: FastifyInstance) => Promise<void>;

/** Builds the app; call `listen` or `inject` on the result. */
export async function buildApp(
  ctx: AppContext,
  mounts: readonly Mount[] = [],
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    // Fastify's own request lines would print URLs with their query (an OAuth code); ours below
    // log the path alone.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomToken(9),
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.production,
  });

  await app.register(cookie);
  await app.register(formbody);
  app.addHook('onRequest', securityHeaders);
  app.addHook('onResponse', logResponse);
  app.get('/assets/app.css', (_, reply) =>
    reply.type('text/css').header('cache-control', 'max-age=300').send(appCss),
  );
  app.get('/assets/app.js', (_, reply) => reply.type('text/javascript').send(appJs));

  await app.register(async (product) => {
    product.addHook('onRoute', (route) => recordRoute(app, route.method, route.url));
    product.decorateRequest('auth', undefined);
    product.addHook('onRequest', async (request) => resolveAuth(ctx, request));
    product.addHook('preHandler', async (request) => checkCsrf(request));
    product.setErrorHandler(handleError);
    product.setNotFoundHandler(handleNotFound);
    await product.register(swagger, { openapi: openApiInfo(ctx) });
    product.get('/api/openapi.json', { schema: { hide: true } }, () => product.swagger());
    await registerProductRoutes(product, ctx);
  });

  for (const mount of mounts) await mount(app);
  return app;
}

const productRoutes = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

function recordRoute(app: FastifyInstance, method: string | string[], url: string): void {
  const list = productRoutes.get(app) ?? [];
  for (const one of Array.isArray(method) ? method : [method]) list.push({ method: one, url });
  productRoutes.set(app, list);
}

/** The product's own routes (not the mounts), for the test that checks every route's guard. */
export function listProductRoutes(
  app: FastifyInstance,
): readonly { method: string; url: string }[] {
  return productRoutes.get(app) ?? [];
}

async function securityHeaders(_: FastifyRequest, reply: FastifyReply): Promise<void> {
  // no-referrer keeps the OAuth code in /callback/?code=… out of every Referer header.
  void reply.headers({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' http: https:",
  });
}

async function logResponse(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  request.log.info(
    { ...requestLogFields(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
    'request completed',
  );
}

async function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  if (appError.status >= 500)
    request.log.error({ err: error, code: appError.code }, 'request failed');
  else request.log.info({ code: appError.code }, 'request rejected');

  if (wantsHtml(request) && !isJsonRequest(request)) return sendErrorPage(request, reply, appError);
  return reply.code(appError.status).type('application/problem+json').send(toProblem(appError));
}

async function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return handleError(new AppError('NOT_FOUND', 'no such page'), request, reply);
}

function isJsonRequest(request: FastifyRequest): boolean {
  return (
    (request.headers.accept ?? '').includes('application/json') &&
    !(request.headers.accept ?? '').includes('text/html')
  );
}

function sendErrorPage(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const title =
    error.status === 404
      ? 'Not found'
      : error.status >= 500
        ? 'Something went wrong'
        : 'Request refused';
  const text =
    error.status >= 500
      ? 'The server could not finish this request. Nothing was changed; please try again.'
      : (error.detail ?? capitalise(error.message) + '.');
  const body = html`<section class="card">
    <h1>${title}</h1>
    <p>${text}</p>
    <p><a href="/">Back to the start</a></p>
  </section>`;
  const user = request.auth?.user;
  const page = layout({ title, body, user, csrfToken: csrfTokenOf(request) });
  return reply.code(error.status).type('text/html; charset=utf-8').send(page);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function openApiInfo(ctx: AppContext) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'safedriver-zoom API',
      version: '1',
      description:
        'Class sessions, their Zoom meetings, enrolments and messages. Authenticate with ' +
        '`Authorization: Bearer <token>` (tokens from `create-api-token`) or a browser session. ' +
        'Errors are application/problem+json (RFC 9457) with a stable `code`.',
    },
    servers: [{ url: ctx.config.publicUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
  };
}
