/**
 * The checks in front of every simulated REST call, in Zoom's order: a bearer token in the
 * Authorization header (401 code 124 otherwise; a token in the query string fails too), the
 * scope the route needs (400 code 4711), then the rate limits (429).
 */
import type { FastifyRequest } from 'fastify';

import type { Grant } from './oauth-grants.js';
import type { RateCategory } from './rate-limiter.js';
import { zoomError, type SimAnswer, type SimContext } from './sim-route.js';
import type { SimUser } from './user-directory.js';

/** A caller that passed the checks, with the headers its answer should carry. */
export interface RestCaller {
  readonly grant: Grant;
  readonly user: SimUser;
  readonly headers: Record<string, string>;
}

/** What a route needs from the caller. */
export interface RestNeeds {
  readonly scope: string;
  readonly category: RateCategory;
  readonly meetingWrite: boolean;
}

/** Either the caller, or the answer that refuses it. */
export type RestAccess = { ok: true; caller: RestCaller } | { ok: false; answer: SimAnswer };

const invalidToken = zoomError(401, 124, 'Invalid access token.');

function bearerToken(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && 'access_token' in query) return undefined;

  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function scopeMissing(scope: string): SimAnswer {
  return zoomError(400, 4711, `Invalid access token, does not contain scopes:[${scope}].`);
}

/** Runs the token, scope and rate checks for a REST call. */
export function checkRestAccess(
  ctx: SimContext,
  request: FastifyRequest,
  needs: RestNeeds,
): RestAccess {
  const token = bearerToken(request);
  const grant = token === undefined ? undefined : ctx.sim.grants.authenticate(token);
  const user = grant && ctx.sim.users.get(grant.userId);
  if (!grant || !user) return { ok: false, answer: invalidToken };

  if (!grant.scopes.includes(needs.scope)) return { ok: false, answer: scopeMissing(needs.scope) };

  const decision = ctx.sim.rateLimiter.take({
    accountId: user.account_id,
    userId: user.id,
    category: needs.category,
    meetingWrite: needs.meetingWrite,
  });
  if (!decision.allowed) {
    return { ok: false, answer: { status: 429, body: decision.body, headers: decision.headers } };
  }
  return { ok: true, caller: { grant, user, headers: decision.headers } };
}
