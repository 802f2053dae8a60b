/**
 * How the REST client spaces its retries: exponential backoff with full jitter (a random delay
 * between zero and the capped exponential step), so many workers retrying after one Zoom outage
 * do not arrive together.
 */

/** Bounds of the retries of one call. */
export interface RetryPolicy {
  /** Tries in all, the first included, for 5xx and transport failures. */
  readonly maxAttempts: number;
  /** The cap of the first backoff step; each later step doubles it. */
  readonly baseDelayMs: number;
  /** No backoff step is longer than this. */
  readonly maxDelayMs: number;
  /** Waits on a 429 within one call, beyond which the caller reschedules. */
  readonly maxRateLimitRetries: number;
}

/** Three tries with at most 0.25 s, 0.5 s between them; two in-call waits on 429. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRateLimitRetries: 2,
});

/** The delay before try `attempt + 1`, after `attempt` failed tries (1-based). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));

  return Math.floor(random() * ceiling);
}
