/**
 * When Zoom will accept a request again after a 429. Zoom sends `Retry-After` as seconds on
 * per-second limits and as a date (ISO 8601, or an HTTP date) on daily limits; on the per-user
 * daily limit of 100 meeting creates and updates it has been seen to send neither, only the
 * message "... You may resume these requests at GMT 00:00:00.", so that message and
 * `X-RateLimit-Type: Daily-limit` mean "after the next 00:00 UTC".
 */
import type { ZoomAnswer } from './zoom-fetch.js';

/** The kind of limit hit and when to try again. */
export interface RateLimitVerdict {
  readonly daily: boolean;
  readonly retryAt: Date;
}

// Without any hint, a per-second limit is over within a second.
const DEFAULT_QPS_WAIT_MS = 1_000;

/** Reads a 429 answer's headers and message into a retry time no earlier than `now`. */
export function readRateLimit(
  answer: ZoomAnswer,
  message: string | undefined,
  now: Date,
): RateLimitVerdict {
  const type = answer.headers.get('x-ratelimit-type') ?? '';
  const daily = /daily/i.test(type) || /daily rate limit/i.test(message ?? '');
  const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), now);

  if (retryAfter !== undefined) return { daily, retryAt: retryAfter };
  if (daily) return { daily, retryAt: nextUtcMidnight(now) };

  return { daily, retryAt: new Date(now.getTime() + DEFAULT_QPS_WAIT_MS) };
}

/** `Retry-After` as delta-seconds or a date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): Date | undefined {
  if (value === null || value.trim() === '') return undefined;

  const text = value.trim();
  if (/^\d+$/.test(text)) return new Date(now.getTime() + Number(text) * 1000);

  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;

  return new Date(Math.max(at, now.getTime()));
}

/** The next 00:00:00 UTC strictly after `now`. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
