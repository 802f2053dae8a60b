/** `GET /healthz`: 200 when the database answers, 503 otherwise. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { AppError } from '../../errors/app-error.js';

/** Registers the health check. */
export function registerHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async (request, reply) => {
    try {
      await withTimeout(ctx.db.query('SELECT 1'), 2000);
      return { status: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('SERVICE_UNAVAILABLE', 'database did not answer in time')),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
