/**
 * Zoom's OAuth endpoints for a user-managed app: the authorize request with its consent page,
 * the consent decision, the token endpoint (code exchange and refresh) and revoke.
 * Token values are read from the form body only, never from the query string.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { consentPage, type AuthorizeParams } from './consent-page.js';
import { errorPage } from './html-page.js';
import type { IssuedTokens, TokenOutcome } from './oauth-grants.js';
import { baseUrlOf, runSimRoute, type SimAnswer, type SimContext } from './sim-route.js';

type Fields = Record<string, string | undefined>;

const invalidClient: SimAnswer = {
  status: 400,
  body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
};

function fieldsOf(value: unknown): Fields {
  if (typeof value !== 'object' || value === null) return {};

  const entries = Object.entries(value).map(([key, item]) => [
    key,
    typeof item === 'string' ? item : undefined,
  ]);
  return Object.fromEntries(entries) as Fields;
}

function authorizeParams(fields: Fields): AuthorizeParams {
  return {
    response_type: fields.response_type ?? '',
    client_id: fields.client_id ?? '',
    redirect_uri: fields.redirect_uri ?? '',
    state: fields.state,
    code_challenge: fields.code_challenge,
    code_challenge_method: fields.code_challenge_method,
  };
}

/** Why an authorize request cannot go on, as the error page shows it; undefined when it can. */
function authorizeProblem(ctx: SimContext, params: AuthorizeParams): [string, number] | undefined {
  const config = ctx.sim.config;
  if (params.client_id !== config.clientId) return ['Invalid client_id.', 4702];
  if (!config.redirectUris.includes(params.redirect_uri)) {
    return ['Invalid redirect: the redirect_uri is not on the app\u2019s allow list.', 4709];
  }
  if (params.response_type !== 'code') return ['Unsupported response_type: only "code".', 4700];
  if (params.code_challenge !== undefined && params.code_challenge_method !== 'S256') {
    return ['Unsupported code_challenge_method: only "S256".', 4700];
  }
  return undefined;
}

function redirectWith(redirectUri: string, values: Fields): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}

function showError(reply: FastifyReply, problem: [string, number]): FastifyReply {
  return reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(errorPage('Something went wrong', ...problem));
}

function handleAuthorize(ctx: SimContext, request: FastifyRequest, reply: FastifyReply) {
  const params = authorizeParams(fieldsOf(request.query));
  const problem = authorizeProblem(ctx, params);
  if (problem) return showError(reply, problem);

  const page = consentPage({
    appName: ctx.sim.config.appName,
    scopes: ctx.sim.config.grantedScopes,
    users: ctx.sim.users.list(),
    params,
    action: `${ctx.prefix}/oauth/authorize/decision`,
  });
  return reply.type('text/html; charset=utf-8').send(page);
}

function handleDecision(ctx: SimContext, request: FastifyRequest, reply: FastifyReply) {
  const fields = fieldsOf(request.body);
  const params = authorizeParams(fields);
  const problem = authorizeProblem(ctx, params);
  if (problem) return showError(reply, problem);

  if (fields.decision !== 'allow') {
    return reply.redirect(
      redirectWith(params.redirect_uri, { error: 'access_denied', state: params.state }),
    );
  }
  const user = ctx.sim.users.get(fields.user_id ?? '');
  if (!user) return showError(reply, ['Unknown Zoom user.', 4700]);

  const code = ctx.sim.grants.issueCode(user.id, params.redirect_uri, params.code_challenge);
  return reply.redirect(redirectWith(params.redirect_uri, { code, state: params.state }));
}

/** Checks `Authorization: Basic base64(client_id:client_secret)`. */
function clientAuthenticated(ctx: SimContext, request: FastifyRequest): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded === `${ctx.sim.config.clientId}:${ctx.sim.config.clientSecret}`;
}

function isFormBody(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function tokenBody(ctx: SimContext, request: FastifyRequest, tokens: IssuedTokens): SimAnswer {
  return {
    status: 200,
    body: {
      access_token: tokens.accessToken,
      token_type: 'bearer',
      refresh_token: tokens.refreshToken,
      expires_in: tokens.expiresIn,
      scope: tokens.grant.scopes.join(' '),
      api_url: baseUrlOf(ctx, request),
    },
  };
}

function outcomeAnswer(ctx: SimContext, request: FastifyRequest, outcome: TokenOutcome): SimAnswer {
  if (!outcome.ok) return { status: 400, body: outcome.refusal };
  return tokenBody(ctx, request, outcome.tokens);
}

function exchangeCode(ctx: SimContext, request: FastifyRequest, fields: Fields): SimAnswer {
  const outcome = ctx.sim.grants.exchangeCode(
    fields.code ?? '',
    fields.redirect_uri ?? '',
    fields.code_verifier,
  );
  if (outcome.ok) ctx.sim.counterStore.codeExchanged(outcome.tokens.grant.userId);
  return outcomeAnswer(ctx, request, outcome);
}

async function refreshToken(
  ctx: SimContext,
  request: FastifyRequest,
  fields: Fields,
): Promise<SimAnswer> {
  const token = fields.refresh_token ?? '';
  const userId = ctx.sim.grants.userOfRefreshToken(token);
  await ctx.sim.refreshHold.pass(userId);

  const outcome = ctx.sim.grants.refresh(token);
  if (outcome.ok) ctx.sim.counterStore.refreshGranted(outcome.tokens.grant.userId);
  else ctx.sim.counterStore.refreshRefused(userId);
  return outcomeAnswer(ctx, request, outcome);
}

async function handleToken(ctx: SimContext, request: FastifyRequest): Promise<SimAnswer> {
  if (!clientAuthenticated(ctx, request)) return invalidClient;
  if (!isFormBody(request)) {
    return {
      status: 400,
      body: { reason: 'Body must be application/x-www-form-urlencoded', error: 'invalid_request' },
    };
  }

  const fields = fieldsOf(request.body);
  if (fields.grant_type === 'authorization_code') return exchangeCode(ctx, request, fields);
  if (fields.grant_type === 'refresh_token') return refreshToken(ctx, request, fields);
  return {
    status: 400,
    body: { reason: 'Unsupported grant type', error: 'unsupported_grant_type' },
  };
}

function handleRevoke(ctx: SimContext, request: FastifyRequest): SimAnswer {
  if (!clientAuthenticated(ctx, request)) return invalidClient;

  const grant = ctx.sim.grants.revokeByToken(fieldsOf(request.body).token ?? '');
  if (!grant) return { status: 400, body: { reason: 'Invalid Token!', error: 'invalid_request' } };

  // Revoking uninstalls the app, so Zoom follows up with app_deauthorized.
  setImmediate(() => void ctx.sim.sendDeauthorized(grant.userId));
  return { status: 200, body: { status: 'success' } };
}

/** Registers `/oauth/*` on the simulator's instance. */
export function registerOAuthRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/oauth/authorize', (request, reply) => handleAuthorize(ctx, request, reply));
  app.post('/oauth/authorize/decision', (request, reply) => handleDecision(ctx, request, reply));
  app.post('/oauth/token', (request, reply) =>
    runSimRoute(ctx, 'token', request, reply, () => handleToken(ctx, request)),
  );
  app.post('/oauth/revoke', (request, reply) =>
    runSimRoute(ctx, 'revoke', request, reply, () => handleRevoke(ctx, request)),
  );
}
