/**
 * Faults the simulated Zoom can be told to show, per route: errors, 429s, added latency, hangs
 * and lost answers (the change is made, then the connection drops without a reply). A fault is
 * either queued for the next N calls (deterministic) or drawn at a rate, from a seeded
 * generator when a seed is given so a failing run can be repeated.
 */
import { seededRandom } from '../support/seeded-random.js';

/** The simulated routes faults can be attached to. */
export const simRouteNames = [
  'token',
  'revoke',
  'users_me',
  'create_meeting',
  'get_meeting',
  'update_meeting',
  'delete_meeting',
] as const;

/** One of the simulated routes. */
export type SimRouteName = (typeof simRouteNames)[number];

/** Faults drawn at random on every call of a route; rates are between 0 and 1. */
export interface RouteFaultRates {
  errorRate?: number;
  /** Statuses an injected error picks from (default 500, 502, 503). */
  errorStatuses?: number[];
  rateLimitRate?: number;
  /** Milliseconds added to every call. */
  latencyMs?: number;
  hangRate?: number;
  /** How long a hang lasts before the connection is dropped; null waits for the client. */
  hangMs?: number | null;
  lostAnswerRate?: number;
}

/** A fault queued for the next call of a route. */
export type QueuedFault =
  | { kind: 'error'; status?: number }
  | { kind: 'rate_limit' }
  | { kind: 'latency'; ms: number }
  | { kind: 'hang'; ms?: number | null }
  | { kind: 'lost_answer' };

/** What the simulator does to one call. */
export type FaultAction =
  | { kind: 'none' }
  | { kind: 'error'; status: number }
  | { kind: 'rate_limit' }
  | { kind: 'hang'; ms: number | null }
  | { kind: 'lost_answer' };

/** The fault decision for one call: a delay first, then an action. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly action: FaultAction;
}

const defaultErrorStatuses = [500, 502, 503];

function queuedAction(fault: QueuedFault, statuses: number[]): FaultAction {
  switch (fault.kind) {
    case 'error':
      return { kind: 'error', status: fault.status ?? statuses[0] ?? 500 };
    case 'hang':
      return { kind: 'hang', ms: fault.ms ?? null };
    case 'latency':
      return { kind: 'none' };
    default:
      return fault;
  }
}

/** Faults per route. */
export class FaultInjector {
  readonly #rates = new Map<SimRouteName, RouteFaultRates>();
  readonly #queues = new Map<SimRouteName, QueuedFault[]>();
  #random: () => number = Math.random;

  /** Sets the random faults of a route (replacing earlier ones); a seed makes draws repeatable. */
  set(route: SimRouteName, rates: RouteFaultRates, seed?: number): void {
    this.#rates.set(route, { ...rates });
    if (seed !== undefined) this.#random = seededRandom(seed);
  }

  /** Queues a fault for the next `count` calls of a route, after any already queued. */
  next(route: SimRouteName, fault: QueuedFault, count = 1): void {
    const queue = this.#queues.get(route) ?? [];
    for (let i = 0; i < count; i += 1) queue.push(fault);
    this.#queues.set(route, queue);
  }

  /** Removes the faults of one route, or of all routes. */
  clear(route?: SimRouteName): void {
    if (route === undefined) {
      this.#rates.clear();
      this.#queues.clear();
      this.#random = Math.random;
      return;
    }
    this.#rates.delete(route);
    this.#queues.delete(route);
  }

  /** The configured rates and queued faults, for inspection. */
  describe(): Record<string, { rates: RouteFaultRates; queued: QueuedFault[] }> {
    const routes = new Set([...this.#rates.keys(), ...this.#queues.keys()]);
    const entries = [...routes].map((route) => [
      route,
      { rates: this.#rates.get(route) ?? {}, queued: [...(this.#queues.get(route) ?? [])] },
    ]);
    return Object.fromEntries(entries) as Record<
      string,
      { rates: RouteFaultRates; queued: QueuedFault[] }
    >;
  }

  /** Decides what happens to the call now arriving at `route`. */
  decide(route: SimRouteName): FaultDecision {
    const rates = this.#rates.get(route) ?? {};
    const statuses = rates.errorStatuses ?? defaultErrorStatuses;
    const baseLatency = rates.latencyMs ?? 0;

    const queued = this.#queues.get(route)?.shift();
    if (queued) {
      const extra = queued.kind === 'latency' ? queued.ms : 0;
      return { latencyMs: baseLatency + extra, action: queuedAction(queued, statuses) };
    }
    return { latencyMs: baseLatency, action: this.#draw(rates, statuses) };
  }

  #draw(rates: RouteFaultRates, statuses: number[]): FaultAction {
    if (this.#hit(rates.errorRate)) {
      const status = statuses[Math.floor(this.#random() * statuses.length)] ?? 500;
      return { kind: 'error', status };
    }
    if (this.#hit(rates.rateLimitRate)) return { kind: 'rate_limit' };
    if (this.#hit(rates.hangRate)) return { kind: 'hang', ms: rates.hangMs ?? null };
    if (this.#hit(rates.lostAnswerRate)) return { kind: 'lost_answer' };
    return { kind: 'none' };
  }

  #hit(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.#random() < rate;
  }
}
