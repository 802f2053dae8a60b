/** Time as the product sees it; tests hand in a clock they can move. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved, for tests of expiry and time windows. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
}
