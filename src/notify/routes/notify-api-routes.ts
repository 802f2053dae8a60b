/**
 * The JSON API of enrolments and messages under `/api/v1`, for staff and admins by browser
 * session or Bearer token.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { AppError } from '../../errors/app-error.js';
import { typeboxValidatorCompiler } from '../../web/schema-validator.js';
import { requireRole } from '../../web/request-auth.js';
import { enrolStudent } from '../enrol-student.js';
import { listRoster } from '../enrollment-store.js';
import { listSessionMessages } from '../outbox-store.js';
import { loadSessionFacts } from '../session-facts.js';
import * as schemas from './notify-api-schemas.js';
import { enrollmentView, notificationView } from './notify-views.js';

const staffOnly = requireRole('staff', 'admin');
const tags = ['enrolments and messages'];

type IdRequest = { Params: { id: number } };

/** Registers the API in its own context, with the validator that reports every bad field. */
export async function registerNotifyApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (api) => {
    api.setValidatorCompiler(typeboxValidatorCompiler);

    api.post<IdRequest & { Body: schemas.EnrollBody }>(
      '/api/v1/class-sessions/:id/enrollments',
      {
        onRequest: staffOnly,
        schema: {
          tags,
          summary: 'Enrol a student; they get the join link at once if the meeting is ready',
          params: schemas.SessionIdParams,
          body: schemas.EnrollBody,
          response: { 201: schemas.EnrollmentAnswer, ...schemas.problemAnswers },
        },
      },
      async (request, reply) => {
        const enrollment = await enrolStudent(ctx, request.params.id, request.body);
        return reply.code(201).send(enrollmentView(enrollment));
      },
    );

    api.get<IdRequest>(
      '/api/v1/class-sessions/:id/enrollments',
      {
        onRequest: staffOnly,
        schema: {
          tags,
          summary: 'The roster of a session',
          params: schemas.SessionIdParams,
          response: { 200: Type.Array(schemas.EnrollmentAnswer), ...schemas.problemAnswers },
        },
      },
      async (request) => {
        await requireSession(ctx, request.params.id);
        return (await listRoster(ctx.db, request.params.id)).map(enrollmentView);
      },
    );

    api.get<IdRequest>(
      '/api/v1/class-sessions/:id/notifications',
      {
        onRequest: staffOnly,
        schema: {
          tags,
          summary: 'Every message to the students of a session and how its delivery stands',
          params: schemas.SessionIdParams,
          response: { 200: Type.Array(schemas.NotificationAnswer), ...schemas.problemAnswers },
        },
      },
      async (request) => {
        await requireSession(ctx, request.params.id);
        return (await listSessionMessages(ctx.db, request.params.id)).map(notificationView);
      },
    );
  });
}

async function requireSession(ctx: AppContext, id: number): Promise<void> {
  if (!(await loadSessionFacts(ctx.db, id)))
    throw new AppError('NOT_FOUND', 'class session not found');
}
