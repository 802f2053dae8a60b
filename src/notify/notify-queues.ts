/** The job queues of messages, and the shape of the jobs other modules send to them. */
import type { ChangeKind } from './message-templates.js';

/** Scheduling sends one job here per change students must hear about. */
export const SESSION_CHANGED_QUEUE = 'notify.session-changed';
/** Connections send alerts for staff here. */
export const STAFF_ALERT_QUEUE = 'notify.staff-alert';
/** One job per outbox row: send it. */
export const DELIVER_QUEUE = 'notify.deliver';
/** Periodic recovery of outbox rows whose delivery job was lost. */
export const SWEEP_QUEUE = 'notify.sweep';

/** Data of a `notify.session-changed` job. */
export interface SessionChangedJob {
  readonly sessionId: number;
  readonly kind: ChangeKind;
  readonly revision: number;
  /** ISO 8601; on `rescheduled`, the start students were last told. */
  readonly previousStartsAt?: string;
  readonly previousDurationMinutes?: number;
  /** ISO 8601; on `rescheduled`, the start this change announces. */
  readonly startsAt?: string;
  readonly durationMinutes?: number;
}

/** Data of a `notify.staff-alert` job. */
export type StaffAlertJob =
  | {
      readonly kind: 'instructor_deauthorized';
      readonly instructorId: number;
      readonly sessionIds: readonly number[];
    }
  | { readonly kind: 'connection_broken'; readonly instructorId: number };

/** Data of a `notify.deliver` job. */
export interface DeliverJob {
  readonly outboxId: number;
}
