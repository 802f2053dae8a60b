/**
 * The consent flow: `GET /zoom/connect` sends the instructor to Zoom's consent screen,
 * `GET /callback/` takes Zoom's answer, `POST /zoom/disconnect` drops the link.
 *
 * The callback's query holds a single-use authorization code: the request log writes paths
 * without queries, this module never logs the query or the code, and every problem ends on a
 * page that says what happened in plain words with nothing stored (no stack trace, ever).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { html } from '../web/html.js';
import { layout } from '../web/pages/layout.js';
import { csrfTokenOf, currentUser, requireRole } from '../web/request-auth.js';
import { ZoomApiClient } from '../zoom/api-client.js';
import { consumeConsent, startConsent, type ConsentOwner } from './consent-state-store.js';
import { disconnectZoom } from './disconnect-zoom.js';
import { linkZoomAccount } from './link-zoom-account.js';
import { zoomOAuthFor } from './zoom-oauth-for.js';

interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/** Registers the consent and disconnect routes. */
export function registerConnectRoutes(app: FastifyInstance, ctx: AppContext): void {
  const instructorOnly = { onRequest: requireRole('instructor') };

  app.get('/zoom/connect', instructorOnly, async (request, reply) => {
    const consent = await startConsent(ctx, ownerOf(request));
    const url = zoomOAuthFor(ctx).authorizeUrl(consent);

    request.log.info({ userId: currentUser(request).id }, 'zoom consent started');
    return reply.redirect(url, 302);
  });

  app.get<{ Querystring: CallbackQuery }>('/callback/', async (request, reply) => {
    try {
      return await handleCallback(ctx, request, reply);
    } catch (error) {
      return sendCallbackProblem(request, reply, error);
    }
  });

  app.post('/zoom/disconnect', instructorOnly, async (request, reply) => {
    const user = currentUser(request);
    await disconnectZoom(ctx, user.id, user.id);

    return reply.redirect('/dashboard/?zoom=disconnected', 303);
  });
}

/** The scope without which the consenting Zoom account cannot be identified. */
const PROFILE_SCOPE = 'user:read:user';

async function handleCallback(
  ctx: AppContext,
  request: FastifyRequest<{ Querystring: CallbackQuery }>,
  reply: FastifyReply,
) {
  const query = singleValues(request.query as Record<string, unknown>);
  const owner = callbackOwner(request);

  if (query.error !== undefined) return declined(ctx, request, reply, owner, query);
  if (query.code === undefined || query.code === '') {
    await consumeConsent(ctx, query.state, owner);
    throw new AppError('BAD_REQUEST', 'zoom sent no authorization code');
  }

  const verifier = await consumeConsent(ctx, query.state, owner);
  const oauth = zoomOAuthFor(ctx);
  const tokens = await oauth.exchangeCode(query.code, verifier);
  if (!tokens.scopes.includes(PROFILE_SCOPE)) {
    return withoutProfileScope(request, reply, owner, () => oauth.revoke(tokens.accessToken));
  }
  const profile = await profileWith(ctx, tokens.accessToken);

  await linkZoomAccount(ctx, { instructorId: owner.instructorId, tokens, profile });
  request.log.info({ userId: owner.instructorId }, 'zoom connected');
  return reply.redirect('/dashboard/?zoom=connected', 303);
}

/**
 * Without `user:read:user` we cannot tell which Zoom account consented, so we cannot link it:
 * the grant is given back to Zoom (best effort), nothing is stored, and the dashboard names the
 * missing permission. The other four scopes are checked after linking and named on the card.
 */
async function withoutProfileScope(
  request: FastifyRequest,
  reply: FastifyReply,
  owner: ConsentOwner,
  revoke: () => Promise<unknown>,
) {
  await revoke().catch((error: unknown) => {
    request.log.warn({ err: error, userId: owner.instructorId }, 'zoom revoke failed');
  });
  request.log.warn(
    { userId: owner.instructorId, scope: PROFILE_SCOPE },
    'zoom profile scope missing',
  );
  return reply.redirect('/dashboard/?zoom=profile-scope-missing', 303);
}

/** Zoom's "Deny" (or another OAuth error): the state is used up, nothing else is stored. */
async function declined(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  owner: ConsentOwner,
  query: CallbackQuery,
) {
  await consumeConsent(ctx, query.state, owner);

  const reason = /^[a-z_]{1,40}$/.test(query.error ?? '') ? query.error : 'unknown';
  request.log.info({ userId: owner.instructorId, oauthError: reason }, 'zoom consent declined');
  if (reason !== 'access_denied') {
    throw new AppError('OAUTH_ACCESS_DENIED', 'zoom did not grant access', {
      detail: `Zoom answered "${reason}" instead of granting access. Zoom was not connected.`,
    });
  }
  return reply.redirect('/dashboard/?zoom=denied', 303);
}

function profileWith(ctx: AppContext, accessToken: string) {
  const client = new ZoomApiClient({
    apiUrl: ctx.zoomApp.apiUrl,
    getAccessToken: async () => accessToken,
    logger: ctx.log,
    now: () => ctx.clock.now(),
  });
  return client.getMe();
}

function ownerOf(request: FastifyRequest): ConsentOwner {
  const auth = request.auth;
  if (auth?.via !== 'session') {
    throw new AppError('FORBIDDEN', 'zoom is connected from a browser session');
  }
  return { instructorId: auth.user.id, sessionHash: auth.sessionHash };
}

function callbackOwner(request: FastifyRequest): ConsentOwner {
  const auth = request.auth;
  if (auth?.via !== 'session' || auth.user.role !== 'instructor') {
    throw new AppError('OAUTH_STATE_MISMATCH', 'no instructor signed in for this consent', {
      detail: 'Sign in to your instructor account, then click "Connect Zoom" again.',
    });
  }
  return { instructorId: auth.user.id, sessionHash: auth.sessionHash };
}

/** A repeated query parameter is taken as absent rather than guessed at. */
function singleValues(query: Record<string, unknown>): CallbackQuery {
  const pick = (name: string) => {
    const value = query[name];
    return typeof value === 'string' ? value : undefined;
  };
  return { code: pick('code'), state: pick('state'), error: pick('error') };
}

const problemWords: Record<string, string> = {
  OAUTH_STATE_MISSING: 'The answer from Zoom did not carry the request it belongs to.',
  OAUTH_STATE_MISMATCH: 'The answer from Zoom does not belong to a request made from this sign-in.',
  OAUTH_STATE_REUSED: 'This answer from Zoom was already used.',
  OAUTH_STATE_EXPIRED: 'The request to Zoom took longer than 10 minutes and expired.',
  OAUTH_CODE_EXCHANGE_FAILED: 'Zoom did not accept the authorization.',
  ZOOM_USER_ALREADY_LINKED: 'This Zoom account is already linked to another instructor.',
};

function sendCallbackProblem(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const known = isAppError(error) && error.status < 500;
  const code = isAppError(error) ? error.code : 'INTERNAL';
  if (known) request.log.info({ code }, 'zoom callback refused');
  else
    request.log.error({ code, err: isAppError(error) ? undefined : error }, 'zoom callback failed');

  const what = problemWords[code] ?? (known ? (error as AppError).detail : undefined);
  const text = what ?? 'Something went wrong while talking to Zoom. Nothing was changed.';
  const detail =
    isAppError(error) && error.detail !== undefined && error.detail !== what ? error.detail : '';
  const body = html`<section class="card broken">
    <h1>Zoom was not connected</h1>
    <p>${text}</p>
    ${detail ? html`<p>${detail}</p>` : ''}
    <p class="muted">Nothing was stored. You can start again from your dashboard.</p>
    <p><a class="button" href="/dashboard/">Back to your dashboard</a></p>
  </section>`;
  const status = isAppError(error) ? Math.max(error.status, 400) : 500;
  const page = layout({
    title: 'Zoom was not connected',
    user: request.auth?.user,
    csrfToken: csrfTokenOf(request),
    body,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}
