/**
 * The JSON API of class sessions and instructors under `/api/v1`, for staff and admins (by
 * browser session or Bearer token; instructors use the pages). Every route has a schema, which
 * validates the request and feeds the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

import type { AppContext } from '../app/app-context.js';
import { AppError } from '../errors/app-error.js';
import { currentUser, requireRole } from '../web/request-auth.js';
import * as schemas from './api-schemas.js';
import {
  cancelClassSession,
  changeClassSession,
  createClassSession,
  requestZoomMeeting,
} from './class-session-service.js';
import { hostWriteLoads } from './host-write-count.js';
import { listInstructors } from './instructor-directory.js';
import { createAgainAfterCheck, linkFoundMeeting } from './meeting-check.js';
import { typeboxValidatorCompiler } from '../web/schema-validator.js';
import { getSession, listSessions } from './session-store.js';
import { instructorView, sessionView, viewSession } from './session-view.js';

const staffOnly = requireRole('staff', 'admin');
const tags = ['class sessions'];

type IdRequest = { Params: { id: number } };

/** Registers the scheduling API inside its own context (its own validator, same hooks). */
export async function registerSchedulingApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.setValidatorCompiler(typeboxValidatorCompiler);

  app.get(
    '/api/v1/instructors',
    {
      onRequest: staffOnly,
      schema: {
        tags: ['instructors'],
        summary: 'Instructors and their Zoom connection',
        response: { 200: Type.Array(schemas.InstructorAnswer), ...schemas.problemAnswers },
      },
    },
    async () => (await listInstructors(ctx.db)).map(instructorView),
  );

  app.get<{ Querystring: { instructorId?: number; from?: string; to?: string } }>(
    '/api/v1/class-sessions',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Class sessions in start order',
        querystring: schemas.ListQuery,
        response: { 200: Type.Array(schemas.SessionAnswer), ...schemas.problemAnswers },
      },
    },
    async (request) => listView(ctx, request.query),
  );

  app.post<{ Body: schemas.CreateSessionBody }>(
    '/api/v1/class-sessions',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Create a class session',
        body: schemas.CreateSessionBody,
        response: { 201: schemas.SessionAnswer, ...schemas.problemAnswers },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const input = { ...body, startsAt: new Date(body.startsAt) };
      const session = await createClassSession(ctx, input, currentUser(request).id);
      return reply.code(201).send(await viewSession(ctx, session));
    },
  );

  app.get<IdRequest>(
    '/api/v1/class-sessions/:id',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'One class session and its Zoom meeting',
        params: schemas.IdParams,
        response: { 200: schemas.SessionAnswer, ...schemas.problemAnswers },
      },
    },
    async (request) => viewSession(ctx, await getSession(ctx.db, request.params.id)),
  );

  app.patch<IdRequest & { Body: schemas.PatchSessionBody }>(
    '/api/v1/class-sessions/:id',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Change title, start or duration; the Zoom meeting follows',
        params: schemas.IdParams,
        body: schemas.PatchSessionBody,
        response: { 200: schemas.SessionAnswer, ...schemas.problemAnswers },
      },
    },
    async (request) => {
      const { startsAt, ...rest } = request.body;
      const changes = {
        ...rest,
        ...(startsAt === undefined ? {} : { startsAt: new Date(startsAt) }),
      };
      return viewSession(ctx, await changeClassSession(ctx, request.params.id, changes));
    },
  );

  app.post<IdRequest>(
    '/api/v1/class-sessions/:id/cancel',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Cancel the session; its Zoom meeting is deleted',
        params: schemas.IdParams,
        response: { 200: schemas.SessionAnswer, ...schemas.problemAnswers },
      },
    },
    async (request) => viewSession(ctx, await cancelClassSession(ctx, request.params.id)),
  );

  app.post<IdRequest>(
    '/api/v1/class-sessions/:id/zoom-meeting',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: 'Create the Zoom meeting (one click)',
        description:
          'Waits up to about 4 s for Zoom: 200 with `zoom` filled when settled, 202 while still syncing.',
        params: schemas.IdParams,
        response: {
          200: schemas.SessionAnswer,
          202: schemas.SessionAnswer,
          ...schemas.problemAnswers,
        },
      },
    },
    async (request, reply) => {
      const result = await requestZoomMeeting(ctx, request.params.id);
      return reply.code(result.settled ? 200 : 202).send(await viewSession(ctx, result.session));
    },
  );

  app.post<IdRequest & { Body: schemas.ZoomCheckBody }>(
    '/api/v1/class-sessions/:id/zoom-check',
    {
      onRequest: staffOnly,
      schema: {
        tags,
        summary: "Settle a needs_check after looking in the host's Zoom account",
        params: schemas.IdParams,
        body: schemas.ZoomCheckBody,
        response: { 200: schemas.SessionAnswer, ...schemas.problemAnswers },
      },
    },
    async (request) => {
      const { outcome, meetingId } = request.body;
      const session =
        outcome === 'none_found'
          ? await createAgainAfterCheck(ctx, request.params.id)
          : await linkFoundMeeting(ctx, request.params.id, requireMeetingId(meetingId));
      return viewSession(ctx, session);
    },
  );
}

function requireMeetingId(meetingId: string | undefined): string {
  if (meetingId !== undefined) return meetingId;

  throw new AppError('VALIDATION_FAILED', 'invalid meetingId', {
    fields: [{ field: 'meetingId', message: 'is required when the outcome is found' }],
    detail: 'These fields are invalid: meetingId.',
  });
}

async function listView(
  ctx: AppContext,
  query: { instructorId?: number; from?: string; to?: string },
) {
  const sessions = await listSessions(ctx.db, {
    instructorId: query.instructorId,
    from: query.from ? new Date(query.from) : undefined,
    until: query.to ? new Date(query.to) : undefined,
    limit: 5000,
  });
  const instructors = new Map((await listInstructors(ctx.db)).map((one) => [one.id, one]));
  const loads = await hostWriteLoads(ctx.db, ctx.clock.now());

  return sessions.flatMap((session) => {
    const instructor = instructors.get(session.instructorId);
    return instructor ? [sessionView(session, instructor, loads.get(session.instructorId))] : [];
  });
}
