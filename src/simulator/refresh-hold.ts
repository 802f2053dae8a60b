/**
 * Holds refresh-token grants at the door for a while, so a test can line up two refreshes with
 * the same refresh token and release them together: the race that loses a connection when a
 * client does not serialize its refreshes. Held requests are then served in arrival order.
 * The hold runs on real time (not the simulator's clock), because it delays real sockets.
 */

interface ActiveHold {
  readonly userId: string | undefined;
  readonly released: Promise<void>;
  readonly release: () => void;
  readonly timer: NodeJS.Timeout;
  waiting: number;
}

/** A hold on refresh grants, for everyone or for one Zoom user. */
export class RefreshHold {
  #hold: ActiveHold | undefined;

  /** Holds refreshes (of one user, when given) for `ms` milliseconds or until released. */
  start(ms: number, userId?: string): void {
    this.release();

    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => this.release(), ms);
    this.#hold = { userId, released, release, timer, waiting: 0 };
  }

  /** Lets every held refresh through now. */
  release(): void {
    const hold = this.#hold;
    if (!hold) return;

    this.#hold = undefined;
    clearTimeout(hold.timer);
    hold.release();
  }

  /** How many refreshes are waiting at the hold. */
  waiting(): number {
    return this.#hold?.waiting ?? 0;
  }

  /** Waits while a hold applies to this user's refresh. */
  async pass(userId: string | undefined): Promise<void> {
    const hold = this.#hold;
    if (!hold) return;
    if (hold.userId !== undefined && hold.userId !== userId) return;

    hold.waiting += 1;
    await hold.released;
  }
}
