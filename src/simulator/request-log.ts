/** What the simulator remembers of each request: never a query string, header or body. */
export interface LoggedRequest {
  readonly at: string;
  readonly method: string;
  /** The path below the simulator's mount point, without the query string. */
  readonly path: string;
  /** The answer's status; null when the simulator dropped the connection on purpose. */
  readonly status: number | null;
  /** The simulated route, e.g. `create_meeting`, or null for pages. */
  readonly route: string | null;
  /** The fault injected into this call, if any. */
  readonly fault: string | null;
  readonly durationMs: number;
}

/** Keeps the last requests, oldest first, up to a bound so long runs do not grow forever. */
export class RequestLog {
  readonly #entries: LoggedRequest[] = [];
  readonly #limit: number;

  constructor(limit = 5000) {
    this.#limit = limit;
  }

  /** Adds one request. */
  add(entry: LoggedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.shift();
  }

  /** The remembered requests, oldest first; only those of one route when given. */
  list(route?: string): LoggedRequest[] {
    return this.#entries.filter((entry) => route === undefined || entry.route === route);
  }

  /** Forgets every request. */
  clear(): void {
    this.#entries.length = 0;
  }
}
