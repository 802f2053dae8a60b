/**
 * Sign-in and sign-out. The login form has no session yet, so its CSRF token is a
 * double-submit pair: a random cookie and the same value in a hidden field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import {
  clearLoginFailures,
  isLoginThrottled,
  recordLoginFailure,
} from '../../auth/login-throttle.js';
import { decoyPasswordHash, verifyPassword } from '../../auth/passwords.js';
import { findUserForLogin, type User } from '../../auth/user-store.js';
import {
  createWebSession,
  deleteWebSession,
  SESSION_LIFETIME_MS,
} from '../../auth/web-session-store.js';
import { constantTimeEqual, randomToken } from '../../support/random-token.js';
import { html } from '../html.js';
import { layout } from '../pages/layout.js';
import { SESSION_COOKIE } from '../request-auth.js';

const LOGIN_CSRF_COOKIE = 'sdz_login_csrf';

interface LoginBody {
  email?: unknown;
  password?: unknown;
  _csrf?: unknown;
}

/** Where each role lands after signing in. */
export function homeOf(user: User): string {
  return user.role === 'instructor' ? '/dashboard/' : '/admin/';
}

/** Registers `/login`, `/logout` and `/`. */
export function registerLoginRoutes(app: FastifyInstance, ctx: AppContext): void {
  const secure = ctx.config.publicUrl.startsWith('https://');
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;

  app.get('/', async (request, reply) => {
    await reply.redirect(request.auth ? homeOf(request.auth.user) : '/login', 303);
  });

  app.get('/login', async (request, reply) => {
    if (request.auth) return reply.redirect(homeOf(request.auth.user), 303);
    return sendLoginForm(reply, cookieOptions, 200);
  });

  app.post<{ Body: LoginBody }>('/login', async (request, reply) => {
    const body = request.body ?? {};
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';

    if (!loginCsrfMatches(request, body)) {
      return sendLoginForm(reply, cookieOptions, 403, 'The form expired. Please sign in again.');
    }
    if (await isLoginThrottled(ctx.db, email, request.ip, ctx.clock.now())) {
      request.log.warn({ address: request.ip }, 'sign-in throttled');
      return sendLoginForm(
        reply,
        cookieOptions,
        429,
        'Too many attempts. Try again in 15 minutes.',
      );
    }

    const user = await checkCredentials(ctx, email, password);
    if (!user) {
      await recordLoginFailure(ctx.db, email, request.ip, ctx.clock.now());
      request.log.info({ address: request.ip }, 'sign-in failed');
      return sendLoginForm(reply, cookieOptions, 401, 'Email or password is incorrect.', email);
    }

    await clearLoginFailures(ctx.db, email);
    const token = await createWebSession(ctx.db, user.id, ctx.clock.now());
    request.log.info({ userId: user.id, role: user.role }, 'signed in');
    void reply.setCookie(SESSION_COOKIE, token, {
      ...cookieOptions,
      maxAge: SESSION_LIFETIME_MS / 1000,
    });
    void reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    return reply.redirect(homeOf(user), 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.auth?.via === 'session') await deleteWebSession(ctx.db, request.auth.sessionHash);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}

async function checkCredentials(ctx: AppContext, email: string, password: string) {
  const found = email === '' ? undefined : await findUserForLogin(ctx.db, email);
  const hash = found?.passwordHash ?? (await decoyPasswordHash());
  const valid = await verifyPassword(hash, password);
  if (!found || !valid) return undefined;
  return { id: found.id, email: found.email, name: found.name, role: found.role } satisfies User;
}

function loginCsrfMatches(request: FastifyRequest, body: LoginBody): boolean {
  const cookie = request.cookies[LOGIN_CSRF_COOKIE];
  return (
    typeof body._csrf === 'string' && cookie !== undefined && constantTimeEqual(body._csrf, cookie)
  );
}

function sendLoginForm(
  reply: FastifyReply,
  cookieOptions: { path: string; httpOnly: boolean; sameSite: 'lax'; secure: boolean },
  status: number,
  error?: string,
  email = '',
): FastifyReply {
  const csrf = randomToken();
  void reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...cookieOptions, maxAge: 3600 });
  const body = html`<section class="card" style="max-width:460px;margin:2rem auto">
    <h1>Sign in</h1>
    ${error ? html`<p class="flash flash-error" role="alert">${error}</p>` : ''}
    <form method="post" action="/login" class="stack">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label
        >Email <input type="email" name="email" value="${email}" autocomplete="username" required
      /></label>
      <label
        >Password <input type="password" name="password" autocomplete="current-password" required
      /></label>
      <button type="submit">Sign in</button>
    </form>
  </section>`;
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(layout({ title: 'Sign in', body }));
}
