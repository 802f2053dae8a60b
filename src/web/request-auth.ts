/**
 * Who is asking: a browser session (cookie) or an API token (Bearer header). Resolved once per
 * request; routes then state which roles they admit with `requireRole`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { findUserByApiToken } from '../auth/api-token-store.js';
import type { Role, User } from '../auth/user-store.js';
import { findWebSession } from '../auth/web-session-store.js';
import { AppError } from '../errors/app-error.js';
import { constantTimeEqual } from '../support/random-token.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'sdz_session';

/** The signed-in caller. */
export type RequestAuth =
  | {
      readonly via: 'session';
      readonly user: User;
      readonly csrfToken: string;
      readonly sessionHash: string;
    }
  | { readonly via: 'token'; readonly user: User };

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | undefined;
  }
}

/** Resolves `request.auth` from the Authorization header or the session cookie. */
export async function resolveAuth(ctx: AppContext, request: FastifyRequest): Promise<void> {
  request.auth = undefined;
  // Only a Bearer header is ours. Zoom's webhook deliveries may carry its legacy verification
  // token in a bare `authorization` header; that one is ignored here and the route checks the
  // signature instead.
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const user = await findUserByApiToken(ctx.db, bearer);
    if (!user) throw new AppError('UNAUTHENTICATED', 'api token is not valid');
    request.auth = { via: 'token', user };
    return;
  }

  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined) return;
  const session = await findWebSession(ctx.db, cookie, ctx.clock.now());
  if (!session) return;
  request.auth = {
    via: 'session',
    user: session.user,
    csrfToken: session.csrfToken,
    sessionHash: session.tokenHash,
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Browser-session requests that change state must carry the session's CSRF token, in the form
 * field `_csrf` or the `x-csrf-token` header. API tokens are not sent by browsers on their own,
 * so they need none.
 */
export function checkCsrf(request: FastifyRequest): void {
  if (safeMethods.has(request.method) || request.auth?.via !== 'session') return;
  const body = request.body as Record<string, unknown> | undefined;
  const sent = request.headers['x-csrf-token'] ?? body?.['_csrf'];
  if (typeof sent !== 'string' || !constantTimeEqual(sent, request.auth.csrfToken)) {
    throw new AppError('CSRF_INVALID', 'csrf token is missing or wrong');
  }
}

/**
 * A route `onRequest` hook that admits only signed-in users with one of `allowed` roles. It runs
 * before the body is parsed or validated, so a caller without the right role learns nothing
 * about what the route would accept.
 */
export function requireRole(...allowed: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = request.auth;
    if (!auth) {
      if (wantsHtml(request)) {
        await reply.redirect(
          `/login?next=${encodeURIComponent(request.url.split('?')[0] ?? '/')}`,
          303,
        );
        return;
      }
      throw new AppError('UNAUTHENTICATED', 'sign-in required');
    }
    if (!allowed.includes(auth.user.role)) {
      throw new AppError('FORBIDDEN', 'this role may not do that', {
        detail: `This needs one of the roles: ${allowed.join(', ')}.`,
      });
    }
  };
}

/** True for browser page requests (not the JSON API). */
export function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/');
}

/** The signed-in user; for routes behind `requireRole`. */
export function currentUser(request: FastifyRequest): User {
  if (!request.auth) throw new AppError('UNAUTHENTICATED', 'sign-in required');
  return request.auth.user;
}

/** The CSRF token to put in forms, or an empty string when not signed in by session. */
export function csrfTokenOf(request: FastifyRequest): string {
  return request.auth?.via === 'session' ? request.auth.csrfToken : '';
}
