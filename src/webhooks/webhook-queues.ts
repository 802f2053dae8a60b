/** Names of the queues this module sends to. */

/** Finishes a deauthorization whose connection row was locked when the webhook arrived. */
export const FINISH_DEAUTHORIZATION_QUEUE = 'webhooks.finish-deauthorization';

/** Emails to staff; its worker belongs to the messaging module. */
export const STAFF_ALERT_QUEUE = 'notify.staff-alert';

/** Data of a `webhooks.finish-deauthorization` job. */
export interface FinishDeauthorizationJob {
  readonly deauthorizationId: number;
}

/** Data of the staff alert sent when an instructor removed the app in Zoom. */
export interface InstructorDeauthorizedAlert {
  readonly kind: 'instructor_deauthorized';
  readonly instructorId: number;
  /** The upcoming sessions that lost their host link, ascending. */
  readonly sessionIds: number[];
}
