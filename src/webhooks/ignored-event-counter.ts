/** Counts verified events the product does not act on, per event type, for the logs. */
import type { Logger } from 'pino';

/** A per-process count of ignored Zoom events by type. */
export class IgnoredEventCounter {
  readonly #counts = new Map<string, number>();

  /** Counts one more event of this type and logs the running count. */
  record(event: string, log: Logger): number {
    const count = (this.#counts.get(event) ?? 0) + 1;
    this.#counts.set(event, count);

    log.info({ event, count }, 'zoom webhook ignored');
    return count;
  }
}
