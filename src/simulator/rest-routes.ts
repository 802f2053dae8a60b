/**
 * The simulated REST API under `/v2`: get the signed-in user, and create, read, update and
 * delete that user's meetings. Answers follow Zoom's shapes: 201 with the meeting on create,
 * 204 with no body on update and delete, `{code, message}` errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { SimMeeting } from './meeting-store.js';
import { checkMeetingBody } from './meeting-validation.js';
import { randomToken } from './oauth-grants.js';
import { checkRestAccess, type RestCaller, type RestNeeds } from './rest-access.js';
import { baseUrlOf, runSimRoute, zoomError, type SimAnswer, type SimContext } from './sim-route.js';
import type { SimRouteName } from './fault-injector.js';
import { userProfile } from './user-directory.js';

type RestWork = (caller: RestCaller, request: FastifyRequest) => SimAnswer;

const notAnObject = zoomError(400, 300, 'Request Body should be a valid JSON object.');

function meetingNotFound(id: string): SimAnswer {
  return zoomError(404, 3001, `Meeting ${id} is not found or has expired.`);
}

/** A meeting as Zoom answers it, with a fresh host link (Zoom's `start_url` expires). */
function meetingAnswer(meeting: SimMeeting, baseUrl: string): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...meeting };
  delete fields.deleted_at;
  fields.start_url = `${baseUrl}/s/${meeting.id}?zak=${randomToken(96)}`;
  return fields;
}

function paramOf(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs a REST call: faults, then access checks, then the work, with rate headers added. */
function restRoute(ctx: SimContext, route: SimRouteName, needs: RestNeeds, work: RestWork) {
  return (request: FastifyRequest, reply: FastifyReply) =>
    runSimRoute(ctx, route, request, reply, () => {
      const access = checkRestAccess(ctx, request, needs);
      if (!access.ok) return access.answer;

      const answer = work(access.caller, request);
      return { ...answer, headers: { ...access.caller.headers, ...answer.headers } };
    });
}

function getUser(ctx: SimContext): RestWork {
  return (caller, request) => {
    const userId = paramOf(request, 'userId');
    if (userId !== 'me' && ctx.sim.users.find(userId)?.id !== caller.user.id) {
      return zoomError(404, 1001, `User does not exist: ${userId}.`);
    }
    return {
      status: 200,
      body: userProfile(caller.user, new Date(ctx.sim.startedAt).toISOString()),
    };
  };
}

function createMeeting(ctx: SimContext): RestWork {
  return (caller, request) => {
    const userId = paramOf(request, 'userId');
    if (userId !== 'me' && ctx.sim.users.find(userId)?.id !== caller.user.id) {
      return zoomError(404, 1001, `User does not exist: ${userId}.`);
    }
    if (!isPlainObject(request.body)) return notAnObject;

    const check = checkMeetingBody('create', request.body, caller.user.timezone);
    if (!check.ok) return zoomError(400, 300, 'Validation Failed.', { errors: check.errors });

    const now = ctx.sim.config.now();
    const baseUrl = baseUrlOf(ctx, request);
    const meeting = ctx.sim.meetings.create(caller.user, check.changes, baseUrl, now);
    ctx.sim.counterStore.meetingWritten('create', caller.user.id, now);
    return { status: 201, body: meetingAnswer(meeting, baseUrl) };
  };
}

/** Finds the caller's own meeting; `notHost` is the answer when someone else hosts it. */
function ownMeeting(
  ctx: SimContext,
  caller: RestCaller,
  request: FastifyRequest,
  notHost: SimAnswer,
): { meeting: SimMeeting } | { answer: SimAnswer } {
  const id = paramOf(request, 'meetingId');
  const meeting = /^\d+$/.test(id) ? ctx.sim.meetings.get(Number(id)) : undefined;
  if (!meeting) return { answer: meetingNotFound(id) };

  if (meeting.host_id !== caller.user.id) return { answer: notHost };
  return { meeting };
}

function getMeeting(ctx: SimContext): RestWork {
  return (caller, request) => {
    // Another account's meeting is invisible to a user-level token, so it reads as not found.
    const found = ownMeeting(ctx, caller, request, meetingNotFound(paramOf(request, 'meetingId')));
    if ('answer' in found) return found.answer;

    return { status: 200, body: meetingAnswer(found.meeting, baseUrlOf(ctx, request)) };
  };
}

const notTheHost = zoomError(400, 3003, 'You are not the meeting host.');

function updateMeeting(ctx: SimContext): RestWork {
  return (caller, request) => {
    const found = ownMeeting(ctx, caller, request, notTheHost);
    if ('answer' in found) return found.answer;
    if (!isPlainObject(request.body)) return notAnObject;

    const check = checkMeetingBody('update', request.body, caller.user.timezone);
    if (!check.ok) return zoomError(400, 300, 'Validation Failed.', { errors: check.errors });

    ctx.sim.meetings.update(found.meeting, check.changes);
    ctx.sim.counterStore.meetingWritten('update', caller.user.id, ctx.sim.config.now());
    return { status: 204 };
  };
}

function deleteMeeting(ctx: SimContext): RestWork {
  return (caller, request) => {
    const found = ownMeeting(ctx, caller, request, notTheHost);
    if ('answer' in found) return found.answer;

    const now = ctx.sim.config.now();
    ctx.sim.meetings.delete(found.meeting, now);
    ctx.sim.counterStore.meetingWritten('delete', caller.user.id, now);
    return { status: 204 };
  };
}

const light = (scope: string): RestNeeds => ({ scope, category: 'Light', meetingWrite: false });

/** Registers `/v2/*` on the simulator's instance. */
export function registerRestRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v2/users/:userId', restRoute(ctx, 'users_me', light('user:read:user'), getUser(ctx)));
  app.post(
    '/v2/users/:userId/meetings',
    restRoute(
      ctx,
      'create_meeting',
      { scope: 'meeting:write:meeting', category: 'Medium', meetingWrite: true },
      createMeeting(ctx),
    ),
  );
  app.get(
    '/v2/meetings/:meetingId',
    restRoute(ctx, 'get_meeting', light('meeting:read:meeting'), getMeeting(ctx)),
  );
  app.patch(
    '/v2/meetings/:meetingId',
    restRoute(
      ctx,
      'update_meeting',
      { scope: 'meeting:update:meeting', category: 'Light', meetingWrite: true },
      updateMeeting(ctx),
    ),
  );
  app.delete(
    '/v2/meetings/:meetingId',
    restRoute(ctx, 'delete_meeting', light('meeting:delete:meeting'), deleteMeeting(ctx)),
  );
}
