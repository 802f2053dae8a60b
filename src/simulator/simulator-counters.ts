/**
 * Counts of what the product did to the simulated Zoom, for tests and for the inspection API:
 * the figures that show a client misbehaving (two refreshes racing, a create retried blindly).
 */
import { utcDay } from './rate-limiter.js';

/** A snapshot of every counter. */
export interface CounterSnapshot {
  /** Successful refresh-token grants per Zoom user id. */
  readonly refreshGrants: Record<string, number>;
  /** `invalid_grant` answers to refresh requests per Zoom user id (`unknown` when untraceable). */
  readonly invalidGrants: Record<string, number>;
  /** Successful code exchanges per Zoom user id. */
  readonly codeExchanges: Record<string, number>;
  /** Meeting creates per Zoom user id and UTC day (`userId` → `yyyy-MM-dd` → count). */
  readonly meetingCreates: Record<string, Record<string, number>>;
  /** Meeting updates per Zoom user id and UTC day. */
  readonly meetingUpdates: Record<string, Record<string, number>>;
  /** Meeting deletes per Zoom user id. */
  readonly meetingDeletes: Record<string, number>;
  /** Webhook delivery attempts per event type (filled from the deliveries when read). */
  webhookAttempts: Record<string, number>;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function bumpDay(map: Record<string, Record<string, number>>, userId: string, ms: number): void {
  const days = (map[userId] ??= {});
  bump(days, utcDay(ms));
}

/** The simulator's counters. */
export class SimulatorCounters {
  #counts = SimulatorCounters.#empty();

  static #empty(): CounterSnapshot {
    return {
      refreshGrants: {},
      invalidGrants: {},
      codeExchanges: {},
      meetingCreates: {},
      meetingUpdates: {},
      meetingDeletes: {},
      webhookAttempts: {},
    };
  }

  /** A refresh grant succeeded for this user. */
  refreshGranted(userId: string): void {
    bump(this.#counts.refreshGrants, userId);
  }

  /** A refresh was answered invalid_grant. */
  refreshRefused(userId: string | undefined): void {
    bump(this.#counts.invalidGrants, userId ?? 'unknown');
  }

  /** A code was exchanged for tokens. */
  codeExchanged(userId: string): void {
    bump(this.#counts.codeExchanges, userId);
  }

  /** A meeting was created, updated or deleted at time `ms`. */
  meetingWritten(kind: 'create' | 'update' | 'delete', userId: string, ms: number): void {
    if (kind === 'delete') return bump(this.#counts.meetingDeletes, userId);
    bumpDay(
      kind === 'create' ? this.#counts.meetingCreates : this.#counts.meetingUpdates,
      userId,
      ms,
    );
  }

  /** A deep copy of the counters. */
  snapshot(): CounterSnapshot {
    return structuredClone(this.#counts);
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.#counts = SimulatorCounters.#empty();
  }
}
