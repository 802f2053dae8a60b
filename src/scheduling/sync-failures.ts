/**
 * What a failed Zoom call means for a session: retry later, wait for a person, or stop with a
 * reason staff can act on. The Zoom client has already retried 5xx and time-outs a few times
 * within the call and refreshed once on 401 code 124; what reaches here is what it gave up on.
 */
import { isAppError } from '../errors/app-error.js';
import type { FailureWrite } from './sync-writes.js';

/** The decision for one failure. */
export type FailureVerdict =
  | { readonly kind: 'retry'; readonly at: Date; readonly write: FailureWrite }
  | { readonly kind: 'stop'; readonly write: FailureWrite };

/** Transient failures are retried this many times by re-sent jobs before the session fails. */
export const MAX_SYNC_RETRIES = 8;

/** Which Zoom call failed. */
export type SyncStep = 'create' | 'update' | 'delete';

/** The lastError of a create whose answer never arrived. */
export const LOST_CREATE_MESSAGE =
  'The request to create the Zoom meeting got no answer, so Zoom may or may not have made it. ' +
  "Look in the instructor's Zoom account for a meeting whose description says " +
  '"Class session #ID". If there is one, enter its meeting ID here; if there is none, choose ' +
  '"Check done, create again".';

/**
 * Classifies a failure of `step`. `retries` counts earlier re-sends for this session; `now`
 * and `random` place the next try (exponential backoff with full jitter, 2 s to 5 min).
 */
export function judgeFailure(
  error: unknown,
  step: SyncStep,
  retries: number,
  now: Date,
  random: () => number = Math.random,
): FailureVerdict {
  const code = isAppError(error) ? error.code : 'INTERNAL';
  const message = isAppError(error) ? (error.detail ?? error.message) : 'unexpected error';

  if (code === 'ZOOM_ANSWER_LOST') return stop('needs_check', code, LOST_CREATE_MESSAGE, false);
  if (code === 'ZOOM_NOT_CONNECTED' || code === 'ZOOM_CONNECTION_BROKEN') {
    return stop('host_disconnected', code, hostMessage(code), true);
  }
  if (code === 'ZOOM_MEETING_NOT_FOUND') {
    const text =
      'The meeting was deleted in Zoom. Create the Zoom meeting again to get a new link.';
    return {
      kind: 'stop',
      write: {
        state: step === 'delete' ? 'pending' : 'failed',
        problem: { code, message: text },
        clearAttempt: true,
        forgetMeeting: true,
      },
    };
  }
  if (code === 'ZOOM_RATE_LIMITED' || code === 'ZOOM_DAILY_LIMIT') {
    return retry(rateLimitRetryAt(error, now), code, rateMessage(code));
  }
  if (code === 'ZOOM_UNAVAILABLE' || code === 'ZOOM_TIMEOUT' || code === 'SERVICE_UNAVAILABLE') {
    if (retries >= MAX_SYNC_RETRIES)
      return stop('failed', code, `Zoom kept failing: ${message}`, true);
    return retry(
      backoffAt(retries, now, random),
      code,
      `Zoom did not answer properly; trying again (${message}).`,
    );
  }
  return stop('failed', code, message, true);
}

function stop(
  state: FailureWrite['state'],
  code: string,
  message: string,
  clearAttempt: boolean,
): FailureVerdict {
  return { kind: 'stop', write: { state, problem: { code, message }, clearAttempt } };
}

// A retried step leaves the session pending; Zoom refused it outright, so nothing was made.
function retry(at: Date, code: string, message: string): FailureVerdict {
  return {
    kind: 'retry',
    at,
    write: { state: 'pending', problem: { code, message }, clearAttempt: true },
  };
}

function rateLimitRetryAt(error: unknown, now: Date): Date {
  const text = isAppError(error) ? error.extra?.['retryAt'] : undefined;
  const at = typeof text === 'string' ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || at.getTime() < now.getTime())
    return new Date(now.getTime() + 1_000);

  // A little jitter so hosts released at the same instant do not all arrive together.
  return new Date(at.getTime() + Math.floor(Math.random() * 500));
}

function backoffAt(retries: number, now: Date, random: () => number): Date {
  const ceiling = Math.min(300_000, 2_000 * 2 ** retries);
  return new Date(now.getTime() + 1_000 + Math.floor(random() * ceiling));
}

function hostMessage(code: string): string {
  if (code === 'ZOOM_NOT_CONNECTED')
    return 'The instructor has not connected Zoom. Ask them to click "Connect Zoom".';
  return "The instructor's Zoom connection is broken. Ask them to reconnect Zoom, then try again.";
}

function rateMessage(code: string): string {
  if (code === 'ZOOM_DAILY_LIMIT') {
    return "The host reached Zoom's limit of 100 meeting creates and updates today; this waits until 00:00 UTC.";
  }
  return 'Zoom asked us to slow down; this is sent again in a moment.';
}
