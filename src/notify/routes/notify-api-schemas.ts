/** TypeBox shapes of the enrolment and message routes; they validate and feed the OpenAPI document. */
import { Type, type Static } from '@sinclair/typebox';
import { problemAnswers } from '../../web/problem-schema.js';

/** `{id}` of a class session. */
export const SessionIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Body of `POST /api/v1/class-sessions/{id}/enrollments`. */
export const EnrollBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({
      minLength: 3,
      maxLength: 254,
      description: "The student's email address.",
    }),
    phone: Type.Optional(
      Type.String({ maxLength: 32, description: 'E.164, e.g. +14155550123; needed for SMS.' }),
    ),
    smsOptIn: Type.Optional(
      Type.Boolean({ description: 'The student agreed to get SMS; recorded with its time.' }),
    ),
  },
  { additionalProperties: false },
);
export type EnrollBody = Static<typeof EnrollBody>;

const Student = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  smsOptIn: Type.Boolean(),
  smsOptInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** One enrolment with its student. */
export const EnrollmentAnswer = Type.Object({
  id: Type.Integer(),
  sessionId: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  student: Student,
});

/** One message of a session's delivery log. */
export const NotificationAnswer = Type.Object({
  id: Type.Integer(),
  sessionId: Type.Integer(),
  studentId: Type.Integer(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  recipient: Type.String(),
  kind: Type.String({ description: 'meeting_ready, rescheduled or cancelled' }),
  version: Type.Integer({ description: "The session's revision the message announces." }),
  status: Type.String({ description: 'queued, sending, retry, sent or failed' }),
  attempts: Type.Integer(),
  permanentFailure: Type.Boolean(),
  lastError: Type.Union([
    Type.Object({ code: Type.String(), message: Type.String() }),
    Type.Null(),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export { problemAnswers };
