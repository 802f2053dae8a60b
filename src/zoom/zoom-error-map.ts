/**
 * Translates Zoom's REST error answers into the product's codes, once, here at the boundary.
 * Callers above this module see only AppError codes; Zoom's own number and message travel in
 * `extra` (`zoomCode`, `zoomMessage`) for logs and problem documents.
 */
import { AppError } from '../errors/app-error.js';
import type { ZoomErrorBody } from './zoom-error-body.js';
import type { ZoomAnswer } from './zoom-fetch.js';
import type { RateLimitVerdict } from './rate-limit.js';

/** What a call was about, which decides how a 404 reads. */
export type ZoomResource = 'user' | 'meeting';

/** Zoom's code on an access token that is expired, invalid or sent the wrong way. */
export const ZOOM_CODE_TOKEN_INVALID = 124;

/** True when the body says the token lacks a scope (4711; Zoom's docs list it under 4700). */
export function isScopeError(body: ZoomErrorBody): boolean {
  if (body.code === 4711) return true;

  return body.code === 4700 && /scope/i.test(body.message ?? '');
}

/** The scope names listed in a message like "does not contain scopes:[a, b]". */
export function scopesInMessage(message: string | undefined): string[] {
  const list = /scopes?\s*:?\s*\[([^\]]*)\]/i.exec(message ?? '')?.[1] ?? '';

  return list.split(/[\s,]+/).filter((scope) => /^[a-z_]+(:[a-z_]+)+$/.test(scope));
}

/** The error for a final Zoom refusal (not a 429, not retried further). */
export function zoomRefusalError(
  answer: ZoomAnswer,
  body: ZoomErrorBody,
  resource: ZoomResource,
): AppError {
  const extra = { status: answer.status, zoomCode: body.code, zoomMessage: body.message };

  if (isScopeError(body)) {
    const missing = scopesInMessage(body.message);
    return new AppError('ZOOM_SCOPE_MISSING', 'zoom token lacks a scope', {
      extra: { ...extra, missingScopes: missing },
    });
  }
  if (answer.status === 401)
    return new AppError('ZOOM_UNAUTHORIZED', 'zoom refused the access token', { extra });
  if (answer.status >= 500) return new AppError('ZOOM_UNAVAILABLE', 'zoom unavailable', { extra });

  return clientError(answer, body, resource, extra);
}

function clientError(
  answer: ZoomAnswer,
  body: ZoomErrorBody,
  resource: ZoomResource,
  extra: Record<string, unknown>,
): AppError {
  if (answer.status === 404 && resource === 'meeting') {
    return new AppError('ZOOM_MEETING_NOT_FOUND', 'zoom meeting not found', { extra });
  }
  // 404 (code 1001) on users/me: the token's owner no longer exists at Zoom.
  if (answer.status === 404)
    return new AppError('ZOOM_UNAUTHORIZED', 'zoom user not found', { extra });

  const fields = body.code === 300 ? body.errors : undefined;
  return new AppError('ZOOM_REQUEST_INVALID', 'zoom rejected the request', { fields, extra });
}

/** The error for a 429 the client will not wait out; `retryAt` lets a job queue reschedule. */
export function rateLimitError(verdict: RateLimitVerdict, body: ZoomErrorBody): AppError {
  const extra = {
    retryAt: verdict.retryAt.toISOString(),
    zoomCode: body.code,
    zoomMessage: body.message,
  };

  if (verdict.daily) return new AppError('ZOOM_DAILY_LIMIT', 'zoom daily limit reached', { extra });

  return new AppError('ZOOM_RATE_LIMITED', 'zoom rate limit reached', { extra });
}
