/** JSON views of enrolments and messages, with times in UTC ISO 8601. */
import type { Enrollment } from '../enrollment-store.js';
import type { OutboxRow } from '../outbox-store.js';

/** An enrolment as the API shows it. */
export function enrollmentView(enrollment: Enrollment) {
  const { student } = enrollment;
  return {
    id: enrollment.id,
    sessionId: enrollment.sessionId,
    createdAt: enrollment.createdAt.toISOString(),
    student: { ...student, smsOptInAt: student.smsOptInAt?.toISOString() ?? null },
  };
}

/** A message as the API shows it. */
export function notificationView(row: OutboxRow) {
  return {
    id: row.id,
    sessionId: row.sessionId ?? 0,
    studentId: row.studentId ?? 0,
    channel: row.channel,
    recipient: row.recipient,
    kind: row.kind,
    version: row.version,
    status: row.status,
    attempts: row.attempts,
    permanentFailure: row.permanentFailure,
    lastError: row.lastErrorCode
      ? { code: row.lastErrorCode, message: row.lastErrorMessage ?? '' }
      : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}
