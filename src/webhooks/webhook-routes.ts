/**
 * `POST /webhooks/zoom`, Zoom's event notification endpoint, in a Fastify scope of its own so
 * its body handling applies to it alone: the only parser is JSON kept as raw bytes (the
 * signature covers the exact bytes received, and re-serialised JSON would not match), limited
 * to 64 KiB. Errors answer as problem+json whatever the client accepts, and the rejection's
 * log line names the reason only: never the body, never the signature.
 *
 * Order of checks: size and content type (by the parser), headers, signature (constant time),
 * timestamp window, then JSON and event shape. Nothing is read from or written to the
 * database before a request has passed all of them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { AppContext } from '../app/app-context.js';
import { AppError } from '../errors/app-error.js';
import { toAppError, toProblem } from '../web/problem.js';
import { parseWebhookEvent, type ZoomWebhookEvent } from '../zoom/webhook-event.js';
import { urlValidationResponse, verifyWebhookSignature } from '../zoom/webhook-signature.js';
import { handleDeauthorization } from './handle-deauthorization.js';
import { IgnoredEventCounter } from './ignored-event-counter.js';

/** Where Zoom posts events. */
export const WEBHOOK_PATH = '/webhooks/zoom';

/** Largest body accepted; Zoom's event bodies are a few hundred bytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/** Registers the webhook endpoint in its own encapsulated scope. */
export function registerWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  void app.register(async (scope) => webhookScope(scope, ctx));
}

async function webhookScope(scope: FastifyInstance, ctx: AppContext): Promise<void> {
  const ignored = new IgnoredEventCounter();

  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  scope.setErrorHandler(answerRejection);

  scope.post(WEBHOOK_PATH, (request, reply) => receive(ctx, ignored, request, reply));
}

async function receive(
  ctx: AppContext,
  ignored: IgnoredEventCounter,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const rawBody = verifiedBody(ctx, request);
  const event = parseWebhookEvent(rawBody);

  const answer = await dispatch(ctx, ignored, event, request);
  return reply.code(200).send(answer);
}

function verifiedBody(ctx: AppContext, request: FastifyRequest): Buffer {
  // No body at all means no content type was sent, so no parser ran.
  if (!Buffer.isBuffer(request.body)) {
    throw new AppError('WEBHOOK_CONTENT_TYPE_UNSUPPORTED', 'zoom webhook body must be json');
  }

  const check = verifyWebhookSignature({
    secret: ctx.zoomApp.webhookSecretToken,
    timestampHeader: request.headers['x-zm-request-timestamp'],
    signatureHeader: request.headers['x-zm-signature'],
    rawBody: request.body,
    nowMs: ctx.clock.now().getTime(),
    toleranceSeconds: ctx.config.webhookToleranceSeconds,
  });
  if (!check.ok) throw new AppError(check.code, 'zoom webhook not verified');

  return request.body;
}

async function dispatch(
  ctx: AppContext,
  ignored: IgnoredEventCounter,
  event: ZoomWebhookEvent,
  request: FastifyRequest,
): Promise<object> {
  if (event.event === 'endpoint.url_validation' && 'plainToken' in event) {
    request.log.info({ event: event.event }, 'zoom webhook url validation answered');
    return urlValidationResponse(ctx.zoomApp.webhookSecretToken, event.plainToken);
  }

  if (event.event === 'app_deauthorized' && 'userId' in event) {
    const log = ctx.log.child({ requestId: request.id });
    const outcome = await handleDeauthorization(ctx, event, log);
    request.log.info(
      { event: event.event, zoomUserId: event.userId, outcome },
      'zoom webhook handled',
    );
    return { received: true };
  }

  ignored.record(event.event.slice(0, 100), ctx.log.child({ requestId: request.id }));
  return { received: true };
}

async function answerRejection(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const rejection = webhookError(error);

  if (rejection.status >= 500)
    request.log.error({ err: error, code: rejection.code }, 'zoom webhook failed');
  else request.log.info({ reason: rejection.code }, 'zoom webhook rejected');

  return reply.code(rejection.status).type('application/problem+json').send(toProblem(rejection));
}

// Fastify's own refusals, raised before the handler runs, in this endpoint's codes.
function webhookError(error: unknown): AppError {
  if (error instanceof AppError) return error;

  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('WEBHOOK_BODY_TOO_LARGE', 'zoom webhook body too large', { cause: error });
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('WEBHOOK_CONTENT_TYPE_UNSUPPORTED', 'zoom webhook body must be json', {
      cause: error,
    });
  }

  const general = toAppError(error);
  if (general.status >= 500) return general;
  return new AppError('WEBHOOK_BODY_INVALID', 'zoom webhook request malformed', { cause: error });
}
