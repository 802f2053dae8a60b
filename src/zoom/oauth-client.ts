/**
 * Zoom's OAuth endpoints for a user-managed app: the consent URL, the code exchange, refresh and
 * revoke. Hand-written over fetch instead of a generic OAuth library because Zoom's error bodies
 * (`{reason, error}`, status 400 or 401) need Zoom-specific translation, and the form is small.
 *
 * Rules followed: client authentication is HTTP Basic (RFC 6749 §2.3.1) and every token or code
 * travels in the form body, never in a query string (Zoom has refused tokens in queries since
 * 2023). Errors never carry a token, a code or the client secret, not even in `cause`.
 *
 * Failure codes:
 * - refresh refused with `invalid_grant`/`invalid_request` or reason "Invalid Token!" →
 *   `ZOOM_REFRESH_FAILED` with `extra.terminal = true`: the grant is dead (rotated away, revoked,
 *   app removed); the instructor must connect again. Other refusals carry `terminal: false`.
 * - code exchange refused → `OAUTH_CODE_EXCHANGE_FAILED`.
 * - `invalid_client` anywhere → `ZOOM_CLIENT_INVALID`: our credentials are wrong.
 * - 5xx or an unreachable Zoom → `ZOOM_UNAVAILABLE`; no answer in time → `ZOOM_TIMEOUT`.
 * - an answer that does not validate → `ZOOM_RESPONSE_INVALID`.
 *
 * A lost refresh answer (timeout, dropped connection) is flagged `extra.answerLost = true`.
 * Zoom may have rotated the refresh token already; sending the old one again is still safe,
 * because it either works or is answered `invalid_grant`, which is terminal.
 */
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';

import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { readJsonObject, readZoomAnswer } from './zoom-answer.js';
import { zoomFetch, type TransportFailureKind, type ZoomAnswer } from './zoom-fetch.js';
import { parseTokenAnswer, type ZoomTokenSet } from './zoom-token-set.js';

export type { ZoomTokenSet } from './zoom-token-set.js';
export { codeChallengeS256, createCodeVerifier } from './pkce.js';

/** Settings of the OAuth client. `oauthUrl` is the base of `/oauth/*`, e.g. `https://zoom.us`. */
export interface ZoomOAuthClientOptions {
  readonly oauthUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Must equal the redirect URL registered for the app (Zoom error 4709 otherwise). */
  readonly redirectUri: string;
  readonly logger: Logger;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
  /** Clock for `expiresAt`; default the system clock. */
  readonly now?: () => Date;
}

/** What a revoke did: false when Zoom said the token was already invalid. */
export interface ZoomRevokeResult {
  readonly revoked: boolean;
}

type TokenCall = 'exchange' | 'refresh' | 'revoke';

const TERMINAL_ERRORS = new Set(['invalid_grant', 'invalid_request']);

/** Client for Zoom's `/oauth/authorize`, `/oauth/token` and `/oauth/revoke`. */
export class ZoomOAuthClient {
  readonly #options: ZoomOAuthClientOptions;
  readonly #basic: string;

  constructor(options: ZoomOAuthClientOptions) {
    this.#options = options;
    this.#basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
  }

  /** The consent URL. No `scope` parameter: Zoom takes scopes from the app's configuration. */
  authorizeUrl(params: { state: string; codeChallenge: string }): string {
    const url = new URL(this.#endpoint('/oauth/authorize'));

    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.#options.clientId);
    url.searchParams.set('redirect_uri', this.#options.redirectUri);
    url.searchParams.set('state', params.state);
    url.searchParams.set('code_challenge', params.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');

    return url.toString();
  }

  /** Exchanges an authorization code (single use, 5 minutes) and its PKCE verifier for tokens. */
  async exchangeCode(code: string, codeVerifier: string): Promise<ZoomTokenSet> {
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.#options.redirectUri,
      code_verifier: codeVerifier,
    };

    return this.#tokenSet('exchange', await this.#post('/oauth/token', form, 'exchange'));
  }

  /** Trades a refresh token for a new token set; Zoom rotates the refresh token every time. */
  async refresh(refreshToken: string): Promise<ZoomTokenSet> {
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken };

    return this.#tokenSet('refresh', await this.#post('/oauth/token', form, 'refresh'));
  }

  /**
   * Revokes an access token, which at Zoom also uninstalls the app for that user (an
   * `app_deauthorized` webhook follows). A token Zoom already considers dead resolves with
   * `revoked: false`: the caller's goal, no live grant, is reached either way.
   */
  async revoke(accessToken: string): Promise<ZoomRevokeResult> {
    const answer = await this.#post('/oauth/revoke', { token: accessToken }, 'revoke');

    if (answer.status === 200) return { revoked: checkRevokeAnswer(answer.text) };
    if (isDeadGrantAnswer(answer)) return { revoked: false };

    throw this.#failure('revoke', answer);
  }

  #tokenSet(call: TokenCall, answer: ZoomAnswer): ZoomTokenSet {
    if (answer.status !== 200) throw this.#failure(call, answer);

    return parseTokenAnswer(answer.text, this.#now());
  }

  /** `path` below the OAuth base, keeping any path the base has (the mounted simulator's). */
  #endpoint(path: string): string {
    return this.#options.oauthUrl.replace(/\/+$/, '') + path;
  }

  async #post(path: string, form: Record<string, string>, call: TokenCall): Promise<ZoomAnswer> {
    const exchange = await zoomFetch({
      url: this.#endpoint(path),
      method: 'POST',
      headers: {
        authorization: `Basic ${this.#basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
      timeoutMs: this.#options.timeoutMs ?? 10_000,
    });

    if (exchange.ok) return exchange.answer;

    this.#options.logger.warn({ call, failure: exchange.failure }, 'zoom oauth request failed');
    throw transportError(call, exchange.failure);
  }

  #failure(call: TokenCall, answer: ZoomAnswer): AppError {
    const zoomError = readOAuthError(answer.text).error;
    const failure = classifyRefusal(call, answer);

    this.#options.logger.warn(
      { call, status: answer.status, zoomError, code: failure.code },
      'zoom oauth request refused',
    );
    return failure;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

/** Turns a non-success token-endpoint answer into the product's error for that call. */
function classifyRefusal(call: TokenCall, answer: ZoomAnswer): AppError {
  const body = readOAuthError(answer.text);
  const extra = { status: answer.status, zoomError: body.error };

  if (answer.status >= 500)
    return new AppError('ZOOM_UNAVAILABLE', 'zoom oauth unavailable', { extra });
  if (body.error === 'invalid_client') {
    return new AppError('ZOOM_CLIENT_INVALID', 'zoom client id or secret refused', { extra });
  }
  if (call === 'exchange') {
    return new AppError('OAUTH_CODE_EXCHANGE_FAILED', 'zoom refused the authorization code', {
      extra,
    });
  }
  if (call === 'refresh') {
    const terminal = isDeadGrantAnswer(answer);
    return new AppError('ZOOM_REFRESH_FAILED', 'zoom refused the refresh token', {
      extra: { ...extra, terminal },
    });
  }
  return new AppError('ZOOM_REQUEST_INVALID', 'zoom refused the revoke request', { extra });
}

/** Zoom's dead-grant answer: 400/401 with `invalid_grant`, `invalid_request` or "Invalid Token!". */
function isDeadGrantAnswer(answer: ZoomAnswer): boolean {
  if (answer.status !== 400 && answer.status !== 401) return false;

  const body = readOAuthError(answer.text);
  return (
    (body.error !== undefined && TERMINAL_ERRORS.has(body.error)) ||
    body.reason === 'Invalid Token!'
  );
}

/**
 * Reads `error` and `reason` from an OAuth error body. Only a short snake_case `error` is kept
 * for logs and problem documents; `reason` is free text that could echo a submitted value, so
 * it is compared but never passed on.
 */
function readOAuthError(text: string): { error?: string; reason?: string } {
  const { error, reason } = readJsonObject(text) ?? {};
  return {
    error: typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? error : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

const RevokeAnswer = Type.Object({ status: Type.Literal('success') });

function checkRevokeAnswer(text: string): boolean {
  readZoomAnswer(text, RevokeAnswer, 'revoke');
  return true;
}

function transportError(call: TokenCall, failure: TransportFailureKind): AppError {
  const code: ErrorCode = failure === 'timeout' ? 'ZOOM_TIMEOUT' : 'ZOOM_UNAVAILABLE';
  // A refresh whose answer never arrived may have rotated the token at Zoom: see the top comment.
  const answerLost = call === 'refresh' && failure !== 'not-sent';
  const message = failure === 'timeout' ? 'zoom oauth timed out' : 'zoom oauth unreachable';

  return new AppError(code, message, { extra: { call, failure, answerLost, terminal: false } });
}
