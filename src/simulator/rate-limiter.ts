/**
 * Zoom's request budgets as the product meets them: per account and second by rate-limit
 * category, and 100 meeting creates plus updates per host and UTC day. Windows are fixed
 * (one per clock second, one per UTC day); Zoom does not publish its window shape.
 */
import type { SimRateLimits } from './simulator-options.js';

/** Zoom's rate-limit labels the simulated routes use. */
export type RateCategory = 'Light' | 'Medium';

/** One request to budget. */
export interface RateRequest {
  readonly accountId: string;
  readonly userId: string;
  readonly category: RateCategory;
  /** True for meeting create and update, which also spend the daily per-user budget. */
  readonly meetingWrite: boolean;
}

/** Zoom's 429 body. */
export interface RateLimitBody {
  readonly code: 429;
  readonly message: string;
}

/** Whether a request may pass, with the headers Zoom sends either way. */
export type RateDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; body: RateLimitBody };

const qpsMessage =
  'You have reached the maximum per-second rate limit for this API. Try again later.';

function dailyMessage(limit: number): string {
  return (
    `You have exceeded the daily rate limit (${limit}) of Meeting Create/Update API requests ` +
    'permitted for this particular user. You may resume these requests at GMT 00:00:00.'
  );
}

/** The UTC day of a time, `yyyy-MM-dd`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextUtcMidnight(ms: number): string {
  const day = new Date(ms);
  day.setUTCHours(24, 0, 0, 0);
  return day.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Counts requests per account-second and meeting writes per user-day. */
export class RateLimiter {
  readonly #limits: SimRateLimits;
  readonly #now: () => number;
  #second = -1;
  readonly #perSecond = new Map<string, number>();
  readonly #perDay = new Map<string, number>();

  constructor(limits: SimRateLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Spends budget for a request, or says why it is refused. */
  take(request: RateRequest): RateDecision {
    const now = this.#now();
    const qps = this.#takeSecond(request, now);
    if (!qps.allowed || !request.meetingWrite) return qps;

    return this.#takeDay(request, now);
  }

  /** Meeting writes a user has spent on the UTC day of `ms`. */
  dailyWrites(userId: string, ms: number): number {
    return this.#perDay.get(`${userId}:${utcDay(ms)}`) ?? 0;
  }

  /** Forgets every count. */
  reset(): void {
    this.#perSecond.clear();
    this.#perDay.clear();
  }

  #takeSecond(request: RateRequest, now: number): RateDecision {
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#perSecond.clear();
    }

    const limit =
      request.category === 'Medium' ? this.#limits.mediumPerSecond : this.#limits.lightPerSecond;
    const key = `${request.accountId}:${request.category}`;
    const used = this.#perSecond.get(key) ?? 0;
    const headers = rateHeaders(request.category, 'QPS', limit, Math.max(0, limit - used - 1));
    if (used >= limit) {
      // The window ends with the current second, so one second is always enough to wait.
      const retryAfter = '1';
      return {
        allowed: false,
        headers: { ...headers, 'Retry-After': retryAfter },
        body: { code: 429, message: qpsMessage },
      };
    }

    this.#perSecond.set(key, used + 1);
    return { allowed: true, headers };
  }

  #takeDay(request: RateRequest, now: number): RateDecision {
    const limit = this.#limits.meetingWritesPerUserPerDay;
    const key = `${request.userId}:${utcDay(now)}`;
    const used = this.#perDay.get(key) ?? 0;
    if (used >= limit) {
      const headers = rateHeaders(request.category, 'Daily-limit', limit, 0);
      const body: RateLimitBody = { code: 429, message: dailyMessage(limit) };
      return { allowed: false, headers: { ...headers, 'Retry-After': nextUtcMidnight(now) }, body };
    }

    this.#perDay.set(key, used + 1);
    return {
      allowed: true,
      headers: rateHeaders(request.category, 'Daily-limit', limit, limit - used - 1),
    };
  }
}

function rateHeaders(
  category: RateCategory,
  type: 'QPS' | 'Daily-limit',
  limit: number,
  remaining: number,
): Record<string, string> {
  return {
    'X-RateLimit-Category': category,
    'X-RateLimit-Type': type,
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
  };
}
