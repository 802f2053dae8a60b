/**
 * Checks the data of jobs other modules send. A job that does not fit is logged and dropped:
 * retrying it could never succeed.
 */
import { changeKinds, type ChangeDetails } from './message-templates.js';
import type { SessionChangedJob, StaffAlertJob } from './notify-queues.js';

const isId = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

/** The change a `notify.session-changed` job describes, or undefined when malformed. */
export function parseSessionChanged(
  data: unknown,
): (ChangeDetails & { sessionId: number }) | undefined {
  const job = (data ?? {}) as Partial<Record<keyof SessionChangedJob, unknown>>;
  if (!isId(job.sessionId) || !Number.isInteger(job.revision)) return undefined;
  if (!changeKinds.includes(job.kind as ChangeDetails['kind'])) return undefined;

  const previous = parseTime(job.previousStartsAt);
  const startsAt = parseTime(job.startsAt);
  return {
    sessionId: job.sessionId,
    kind: job.kind as ChangeDetails['kind'],
    revision: job.revision as number,
    previousStartsAt: previous,
    previousDurationMinutes:
      typeof job.previousDurationMinutes === 'number' ? job.previousDurationMinutes : undefined,
    startsAt,
    durationMinutes: typeof job.durationMinutes === 'number' ? job.durationMinutes : undefined,
  };
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** A `notify.staff-alert` job's data, or undefined when malformed. */
export function parseStaffAlert(data: unknown): StaffAlertJob | undefined {
  const job = (data ?? {}) as Record<string, unknown>;
  if (!isId(job['instructorId'])) return undefined;
  if (job['kind'] === 'connection_broken')
    return { kind: 'connection_broken', instructorId: job['instructorId'] };
  if (job['kind'] !== 'instructor_deauthorized') return undefined;

  const ids = Array.isArray(job['sessionIds']) ? job['sessionIds'].filter(isId) : [];
  return { kind: 'instructor_deauthorized', instructorId: job['instructorId'], sessionIds: ids };
}
