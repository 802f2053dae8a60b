/**
 * The REST transport every Zoom API call goes through: Bearer token in the Authorization header
 * only, per-try timeout, the retry rules and the translation of Zoom's errors.
 *
 * Retry rules, per call:
 * - 401 with code 124 (token expired or invalid): ask for a fresh token once
 *   (`getAccessToken({ forceRefresh: true })`) and try once more; a second 401 is final.
 * - 429: wait for `Retry-After` or the daily reset when that is within `maxRateLimitWaitMs`;
 *   otherwise throw `ZOOM_RATE_LIMITED`/`ZOOM_DAILY_LIMIT` with `extra.retryAt` so the job queue
 *   reschedules instead of holding a worker for hours.
 * - 5xx and transport failures: backoff with full jitter up to `maxAttempts` tries, then
 *   `ZOOM_UNAVAILABLE` or `ZOOM_TIMEOUT`.
 *
 * Lost answers. POST (create) is not idempotent: when its try timed out, its connection dropped,
 * or a gateway answered 502/504, Zoom may have made the meeting although we never heard of it.
 * Such a create is never sent again automatically; it fails with `ZOOM_ANSWER_LOST` so the sync
 * engine marks the session `needs_check` and a person looks in Zoom before anything is
 * created again. A create is repeated only when the connection was never made, or Zoom itself
 * (not a gateway) refused it with 429, 500 or 503. Known gap: a 500 sent after Zoom stored the
 * meeting would make a duplicate on retry; no such case is reported, and sending every Zoom
 * hiccup to a person costs more. Treating 500 like 502 here would close the gap.
 * GET, PATCH and DELETE are idempotent and are retried on timeouts and drops too.
 *
 * Errors thrown by `getAccessToken` (a dead grant, for one) pass through unchanged.
 */
import type { Logger } from 'pino';

import { AppError } from '../errors/app-error.js';
import { readRateLimit } from './rate-limit.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { parseZoomErrorBody } from './zoom-error-body.js';
import {
  rateLimitError,
  ZOOM_CODE_TOKEN_INVALID,
  zoomRefusalError,
  type ZoomResource,
} from './zoom-error-map.js';
import {
  zoomFetch,
  type TransportFailureKind,
  type ZoomAnswer,
  type ZoomExchange,
} from './zoom-fetch.js';

/** Hands out the current access token, or a freshly refreshed one when asked. */
export type AccessTokenSource = (options?: { forceRefresh?: boolean }) => Promise<string>;

/** Settings of the REST transport. Only `apiUrl`, `getAccessToken` and `logger` are required. */
export interface ZoomHttpOptions {
  /** Base of the REST API including `/v2`, e.g. `https://api.zoom.us/v2`. */
  readonly apiUrl: string;
  readonly getAccessToken: AccessTokenSource;
  readonly logger: Logger;
  /** Per-try timeout; default 10 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** The longest 429 wait done in-call; default 10 s. */
  readonly maxRateLimitWaitMs?: number;
  /** Injectable so tests need not wait; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  /** Source of jitter in [0, 1); default Math.random. */
  readonly random?: () => number;
}

/** One REST call. `path` is relative to `apiUrl` and starts with `/`. */
export interface ZoomCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  /** The success status: 200, 201 or 204. */
  readonly expectStatus: number;
  readonly resource: ZoomResource;
}

interface CallState {
  attempt: number;
  rateLimitWaits: number;
  refreshed: boolean;
  forceRefresh: boolean;
}

type Step =
  | { readonly kind: 'done'; readonly answer: ZoomAnswer }
  | { readonly kind: 'fail'; readonly error: AppError }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly why: string };

/** Sends REST calls to Zoom with the retry and translation rules of the top comment. */
export class ZoomHttp {
  readonly #options: ZoomHttpOptions;
  readonly #policy: RetryPolicy;

  constructor(options: ZoomHttpOptions) {
    this.#options = options;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Sends the call until it succeeds or a rule says stop; resolves with the success answer. */
  async send(call: ZoomCall): Promise<ZoomAnswer> {
    const state: CallState = {
      attempt: 1,
      rateLimitWaits: 0,
      refreshed: false,
      forceRefresh: false,
    };

    for (;;) {
      const exchange = await this.#try(call, state);
      const step = this.#judge(call, exchange, state);

      if (step.kind === 'done') return step.answer;
      if (step.kind === 'fail') throw step.error;

      this.#options.logger.warn(
        {
          method: call.method,
          path: call.path,
          why: step.why,
          attempt: state.attempt,
          delayMs: step.delayMs,
        },
        'zoom request retried',
      );
      if (step.delayMs > 0) await this.#sleep(step.delayMs);
    }
  }

  async #try(call: ZoomCall, state: CallState): Promise<ZoomExchange> {
    const token = await this.#options.getAccessToken(
      state.forceRefresh ? { forceRefresh: true } : undefined,
    );
    state.forceRefresh = false;

    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    return zoomFetch({
      url: this.#options.apiUrl.replace(/\/+$/, '') + call.path,
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      timeoutMs: this.#options.timeoutMs ?? 10_000,
    });
  }

  #judge(call: ZoomCall, exchange: ZoomExchange, state: CallState): Step {
    if (!exchange.ok) return this.#judgeTransport(call, exchange.failure, state);
    if (exchange.answer.status === call.expectStatus)
      return { kind: 'done', answer: exchange.answer };

    return this.#judgeAnswer(call, exchange.answer, state);
  }

  #judgeTransport(call: ZoomCall, failure: TransportFailureKind, state: CallState): Step {
    if (call.method === 'POST' && failure !== 'not-sent') return answerLost(call, { failure });

    const error =
      failure === 'timeout'
        ? new AppError('ZOOM_TIMEOUT', 'zoom did not answer in time', { extra: { failure } })
        : new AppError('ZOOM_UNAVAILABLE', 'zoom unreachable', { extra: { failure } });
    return this.#backoffOrFail(state, error, failure);
  }

  #judgeAnswer(call: ZoomCall, answer: ZoomAnswer, state: CallState): Step {
    const body = parseZoomErrorBody(answer.text);

    if (answer.status === 401 && body.code === ZOOM_CODE_TOKEN_INVALID && !state.refreshed) {
      state.refreshed = true;
      state.forceRefresh = true;
      return { kind: 'retry', delayMs: 0, why: 'token-refresh' };
    }
    if (answer.status === 429) return this.#judgeRateLimit(answer, body, state);
    if (answer.status >= 500) return this.#judgeServerError(call, answer, state);

    return { kind: 'fail', error: zoomRefusalError(answer, body, call.resource) };
  }

  #judgeRateLimit(
    answer: ZoomAnswer,
    body: ReturnType<typeof parseZoomErrorBody>,
    state: CallState,
  ): Step {
    const now = this.#now();
    const verdict = readRateLimit(answer, body.message, now);
    const waitMs = verdict.retryAt.getTime() - now.getTime();
    const limit = this.#options.maxRateLimitWaitMs ?? 10_000;

    if (waitMs > limit || state.rateLimitWaits >= this.#policy.maxRateLimitRetries) {
      return { kind: 'fail', error: rateLimitError(verdict, body) };
    }

    state.rateLimitWaits += 1;
    return { kind: 'retry', delayMs: waitMs, why: verdict.daily ? 'daily-limit' : 'rate-limit' };
  }

  #judgeServerError(call: ZoomCall, answer: ZoomAnswer, state: CallState): Step {
    const gateway = answer.status === 502 || answer.status === 504;
    if (call.method === 'POST' && gateway) return answerLost(call, { status: answer.status });

    const body = parseZoomErrorBody(answer.text);
    return this.#backoffOrFail(
      state,
      zoomRefusalError(answer, body, call.resource),
      `status-${answer.status}`,
    );
  }

  #backoffOrFail(state: CallState, error: AppError, why: string): Step {
    if (state.attempt >= this.#policy.maxAttempts) return { kind: 'fail', error };

    const delayMs = backoffDelayMs(
      this.#policy,
      state.attempt,
      this.#options.random ?? Math.random,
    );
    state.attempt += 1;
    return { kind: 'retry', delayMs, why };
  }

  #sleep(ms: number): Promise<void> {
    if (this.#options.sleep) return this.#options.sleep(ms);

    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

// See the top comment: the meeting may exist at Zoom, so the caller must check, not re-create.
function answerLost(call: ZoomCall, extra: Record<string, unknown>): Step {
  const error = new AppError('ZOOM_ANSWER_LOST', 'zoom answer lost; the meeting may exist', {
    extra: { method: call.method, path: call.path, ...extra },
  });

  return { kind: 'fail', error };
}
