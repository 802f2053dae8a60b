/** What the scheduling tests share: a staff API client and waiting for a session to settle. */
import { createApiToken } from '../../src/auth/api-token-store.js';
import { seedUser } from '../support/http.js';
import { waitFor } from '../support/processes.js';
import type { TestApp } from '../support/test-app.js';

/** A session as the API answers it (the fields the tests read). */
export interface ApiSession {
  id: number;
  instructorId: number;
  title: string;
  startsAt: string;
  durationMinutes: number;
  timezone: string;
  status: string;
  revision: number;
  zoom: {
    meetingId: string | null;
    joinUrl: string | null;
    syncState: string;
    lastError: { code: string; message: string } | null;
  };
  warnings: { code: string; message: string }[];
}

/** Calls the JSON API with a staff member's Bearer token. */
export class StaffApi {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /** Sends one call; the body is JSON. */
  async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; type: string }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      type: response.headers.get('content-type') ?? '',
    };
  }

  /** Creates a session and returns it; fails unless 201. */
  async createSession(input: Record<string, unknown>): Promise<ApiSession> {
    const answer = await this.call('POST', '/api/v1/class-sessions', input);
    if (answer.status !== 201)
      throw new Error(`create answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body as ApiSession;
  }

  async session(id: number): Promise<ApiSession> {
    return (await this.call('GET', `/api/v1/class-sessions/${id}`)).body as ApiSession;
  }

  /** Waits until the session's sync state is one of `states`. */
  async settled(
    id: number,
    states = ['ready', 'failed', 'needs_check', 'host_disconnected', 'cancelled'],
    timeoutMs = 20_000,
  ): Promise<ApiSession> {
    return waitFor(
      async () => {
        const session = await this.session(id);
        return states.includes(session.zoom.syncState) ? session : undefined;
      },
      timeoutMs,
      `session ${id} to reach ${states.join('/')}`,
    );
  }
}

/** A staff member with an API token. */
export async function staffApi(app: TestApp): Promise<StaffApi> {
  const user = await seedUser(app, { role: 'staff' });
  return new StaffApi(app.url, await createApiToken(app.ctx.db, user));
}
