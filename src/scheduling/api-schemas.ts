/**
 * The JSON API's shapes as TypeBox schemas: they validate requests and answers, and
 * @fastify/swagger turns them into the OpenAPI 3.1 document at `/api/openapi.json`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { problemAnswers } from '../web/problem-schema.js';

import { syncStates } from './session-store.js';

const Warning = Type.Object({
  code: Type.String({ description: 'BASIC_PLAN_40_MIN_CAP or ZOOM_DAILY_LIMIT_NEAR' }),
  message: Type.String(),
});

const ZoomState = Type.Object({
  meetingId: Type.Union([Type.String(), Type.Null()], {
    description: "Zoom's meeting number, as text.",
  }),
  joinUrl: Type.Union([Type.String(), Type.Null()]),
  syncState: Type.Union(syncStates.map((state) => Type.Literal(state))),
  lastError: Type.Union([
    Type.Object({ code: Type.String(), message: Type.String() }),
    Type.Null(),
  ]),
});

/** A class session as the API answers it. */
export const SessionAnswer = Type.Object({
  id: Type.Integer(),
  instructorId: Type.Integer(),
  title: Type.String(),
  startsAt: Type.String({ format: 'date-time', description: 'UTC, ISO 8601 with Z.' }),
  durationMinutes: Type.Integer(),
  timezone: Type.String({ description: 'IANA time zone the class is taught in.' }),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
  revision: Type.Integer(),
  zoom: ZoomState,
  warnings: Type.Array(Warning),
});

/** An instructor as the API answers it. */
export const InstructorAnswer = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  zoom: Type.Object({
    connected: Type.Boolean(),
    status: Type.String({ description: 'connected, broken, deauthorized, disconnected or none' }),
    email: Type.Union([Type.String(), Type.Null()]),
    displayName: Type.Union([Type.String(), Type.Null()]),
    planType: Type.Union([Type.Integer(), Type.Null()], {
      description: "Zoom's user type (1 = Basic).",
    }),
    planName: Type.Union([Type.String(), Type.Null()]),
  }),
});

const Title = Type.String({ minLength: 1, maxLength: 200 });
const StartsAt = Type.String({
  format: 'date-time',
  description: 'ISO 8601 with an offset; any offset.',
});
const Duration = Type.Integer({ minimum: 1, maximum: 1440 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA zone; default America/Los_Angeles.',
});

/** Body of `POST /api/v1/class-sessions`. */
export const CreateSessionBody = Type.Object(
  {
    instructorId: Type.Integer({ minimum: 1 }),
    title: Title,
    startsAt: StartsAt,
    durationMinutes: Duration,
    timezone: Type.Optional(TimeZone),
  },
  { additionalProperties: false },
);

/** Body of `PATCH /api/v1/class-sessions/{id}`. */
export const PatchSessionBody = Type.Object(
  {
    title: Type.Optional(Title),
    startsAt: Type.Optional(StartsAt),
    durationMinutes: Type.Optional(Duration),
    timezone: Type.Optional(TimeZone),
  },
  { additionalProperties: false },
);

/** Body of `POST /api/v1/class-sessions/{id}/zoom-check`. */
export const ZoomCheckBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('none_found'), Type.Literal('found')], {
      description: 'none_found: no meeting in Zoom, create again; found: link the meeting given.',
    }),
    meetingId: Type.Optional(Type.String({ pattern: '^[0-9 ]{9,24}$' })),
  },
  { additionalProperties: false },
);

/** The `{id}` path parameter. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Filters of `GET /api/v1/class-sessions`. */
export const ListQuery = Type.Object({
  instructorId: Type.Optional(Type.Integer({ minimum: 1 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});

export type CreateSessionBody = Static<typeof CreateSessionBody>;
export type PatchSessionBody = Static<typeof PatchSessionBody>;
export type ZoomCheckBody = Static<typeof ZoomCheckBody>;

export { problemAnswers };
