/**
 * The staff pages under `/admin/`: sessions (list, new, one, edit, the one click, cancel, the
 * Zoom check) and instructors. Forms post back and answer 303 to the page to show next, with a
 * `done` word the page turns into a flash message.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';

import type { AppContext } from '../app/app-context.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { html } from '../web/html.js';
import { layout } from '../web/pages/layout.js';
import { csrfTokenOf, currentUser, requireRole } from '../web/request-auth.js';
import {
  instructorsBody,
  sessionForm,
  sessionsListBody,
  type ListFilters,
  type SessionFormValues,
} from './admin-pages.js';
import * as service from './class-session-service.js';
import { hostWriteLoads } from './host-write-count.js';
import { getInstructor, listInstructors } from './instructor-directory.js';
import { createAgainAfterCheck, linkFoundMeeting } from './meeting-check.js';
import { sessionPageBody } from './session-page.js';
import { getSession, listSessions, requestMeeting } from './session-store.js';
import { dailyLimitWarning, sessionWarnings, type SessionWarning } from './session-warnings.js';
import { enqueueSync } from './sync-queue.js';

const staffOnly = { onRequest: requireRole('staff', 'admin') };
type Form = Record<string, string | undefined>;
type IdRequest = FastifyRequest<{ Params: { id: string }; Body: Form }>;

const flashes: Record<string, string> = {
  created: 'Class session created.',
  saved: 'Changes saved; the Zoom meeting follows within seconds.',
  ready: 'The Zoom meeting is ready.',
  syncing: 'Zoom is still working on it; this page updates itself.',
  cancelled: 'Class cancelled; its Zoom meeting is being deleted.',
  checked: 'Thanks; the session is syncing again.',
  bulk: 'Zoom meetings requested; the list updates itself.',
};

/** Registers the staff pages. */
export function registerSchedulingPages(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/', staffOnly, (request, reply) => listPage(ctx, request, reply));
  app.get('/admin/instructors', staffOnly, (request, reply) =>
    instructorsPage(ctx, request, reply),
  );
  app.get('/admin/sessions/new', staffOnly, (request, reply) =>
    newPage(ctx, request, reply, emptyForm(), []),
  );
  app.post('/admin/sessions', staffOnly, (request, reply) =>
    createFromForm(ctx, request as IdRequest, reply),
  );
  app.post('/admin/sessions/bulk-zoom', staffOnly, (request, reply) =>
    bulkZoom(ctx, request as IdRequest, reply),
  );
  app.get('/admin/sessions/:id', staffOnly, (request, reply) =>
    sessionPage(ctx, request as IdRequest, reply),
  );
  app.post('/admin/sessions/:id', staffOnly, (request, reply) =>
    editFromForm(ctx, request as IdRequest, reply),
  );
  app.post('/admin/sessions/:id/zoom-meeting', staffOnly, async (request, reply) => {
    const result = await service.requestZoomMeeting(ctx, idOf(request as IdRequest));
    return reply.redirect(
      `/admin/sessions/${result.session.id}?done=${result.settled ? 'ready' : 'syncing'}`,
      303,
    );
  });
  app.post('/admin/sessions/:id/cancel', staffOnly, async (request, reply) => {
    const session = await service.cancelClassSession(ctx, idOf(request as IdRequest));
    return reply.redirect(`/admin/sessions/${session.id}?done=cancelled`, 303);
  });
  app.post('/admin/sessions/:id/zoom-check', staffOnly, (request, reply) =>
    zoomCheck(ctx, request as IdRequest, reply),
  );
}

function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: ReturnType<typeof sessionForm>,
  status = 200,
) {
  const done = (request.query as Form)['done'];
  const flash =
    done && flashes[done]
      ? { kind: done === 'syncing' ? ('info' as const) : ('ok' as const), text: flashes[done] }
      : undefined;
  const page = layout({
    title,
    user: currentUser(request),
    csrfToken: csrfTokenOf(request),
    flash,
    body,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

async function listPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as Form;
  const filters: ListFilters = {
    instructorId: query['instructorId'] ?? '',
    from: query['from'] ?? todayIn(),
    to: query['to'] ?? '',
  };
  const instructors = await listInstructors(ctx.db);
  const sessions = await listSessions(ctx.db, {
    instructorId: /^\d+$/.test(filters.instructorId) ? Number(filters.instructorId) : undefined,
    from: dayStart(filters.from),
    until: dayStart(filters.to, 1),
  });
  const byId = new Map(instructors.map((one) => [one.id, one]));
  const loads = await hostWriteLoads(ctx.db, ctx.clock.now());
  const rows = sessions.map((session) => {
    const instructor = byId.get(session.instructorId);
    const warnings = instructor
      ? sessionWarnings(instructor, session.durationMinutes, loads.get(instructor.id))
      : [];
    return { session, instructor, warnings };
  });
  const hostWarnings = bulkWarnings(rows, byId, loads);
  return sendPage(
    request,
    reply,
    'Class sessions',
    sessionsListBody(rows, instructors, filters, csrfTokenOf(request), hostWarnings),
  );
}

// Before a bulk create: per host, would the listed sessions without a meeting pass the daily cap?
function bulkWarnings(
  rows: {
    session: {
      instructorId: number;
      zoomMeetingId: string | null;
      zoomWanted: boolean;
      status: string;
    };
  }[],
  byId: Map<number, Awaited<ReturnType<typeof getInstructor>>>,
  loads: Awaited<ReturnType<typeof hostWriteLoads>>,
): SessionWarning[] {
  const adding = new Map<number, number>();
  for (const { session } of rows) {
    if (session.status !== 'scheduled' || session.zoomMeetingId !== null || session.zoomWanted)
      continue;
    adding.set(session.instructorId, (adding.get(session.instructorId) ?? 0) + 1);
  }
  return [...byId.values()].flatMap((one) => {
    const warning = dailyLimitWarning(one, loads.get(one.id), adding.get(one.id) ?? 0);
    return warning ? [warning] : [];
  });
}

async function instructorsPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const instructors = await listInstructors(ctx.db);
  const loads = await hostWriteLoads(ctx.db, ctx.clock.now());
  const writes = new Map([...loads.values()].map((load) => [load.instructorId, load.sentToday]));
  return sendPage(request, reply, 'Instructors', instructorsBody(instructors, writes));
}

async function newPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  values: SessionFormValues,
  errors: { field: string; message: string }[],
) {
  const instructors = await listInstructors(ctx.db);
  const form = sessionForm(
    '/admin/sessions',
    values,
    instructors,
    csrfTokenOf(request),
    errors,
    'Create session',
  );
  const body = html`<p><a href="/admin/">← All sessions</a></p>
    <section class="card">
      <h1>New class session</h1>
      ${form}
    </section>`;
  return sendPage(request, reply, 'New class session', body, errors.length > 0 ? 400 : 200);
}

async function createFromForm(ctx: AppContext, request: IdRequest, reply: FastifyReply) {
  const values = formValues(request.body);
  try {
    const instructorId = /^\d+$/.test(values.instructorId)
      ? Number(values.instructorId)
      : Number.NaN;
    if (Number.isNaN(instructorId)) throw fieldError('instructorId', 'choose an instructor');
    const input = {
      instructorId,
      title: values.title,
      startsAt: startOf(values),
      durationMinutes: Number(values.durationMinutes),
      timezone: values.timezone,
    };
    const session = await service.createClassSession(ctx, input, currentUser(request).id);
    return reply.redirect(`/admin/sessions/${session.id}?done=created`, 303);
  } catch (error) {
    if (!isAppError(error, 'VALIDATION_FAILED')) throw error;
    return newPage(ctx, request, reply, values, [...(error.fields ?? [])]);
  }
}

async function sessionPage(
  ctx: AppContext,
  request: IdRequest,
  reply: FastifyReply,
  errors: { field: string; message: string }[] = [],
) {
  const session = await getSession(ctx.db, idOf(request));
  const instructor = await getInstructor(ctx.db, session.instructorId);
  const loads = await hostWriteLoads(ctx.db, ctx.clock.now(), [instructor.id]);
  const warnings =
    session.status === 'scheduled'
      ? sessionWarnings(instructor, session.durationMinutes, loads.get(instructor.id))
      : [];
  const body = sessionPageBody({
    session,
    instructor,
    warnings,
    csrf: csrfTokenOf(request),
    errors,
  });
  return sendPage(request, reply, session.title, body, errors.length > 0 ? 400 : 200);
}

async function editFromForm(ctx: AppContext, request: IdRequest, reply: FastifyReply) {
  const values = formValues(request.body);
  try {
    const changes = {
      title: values.title,
      startsAt: startOf(values),
      durationMinutes: Number(values.durationMinutes),
      timezone: values.timezone,
    };
    const session = await service.changeClassSession(ctx, idOf(request), changes);
    return reply.redirect(`/admin/sessions/${session.id}?done=saved`, 303);
  } catch (error) {
    if (!isAppError(error, 'VALIDATION_FAILED')) throw error;
    return sessionPage(ctx, request, reply, [...(error.fields ?? [])]);
  }
}

async function zoomCheck(ctx: AppContext, request: IdRequest, reply: FastifyReply) {
  const id = idOf(request);
  const meetingId = request.body['meetingId'] ?? '';
  try {
    if (request.body['outcome'] === 'found') await linkFoundMeeting(ctx, id, meetingId);
    else await createAgainAfterCheck(ctx, id);
    return reply.redirect(`/admin/sessions/${id}?done=checked`, 303);
  } catch (error) {
    if (!isAppError(error, 'VALIDATION_FAILED')) throw error;
    return sessionPage(ctx, request, reply, [...(error.fields ?? [])]);
  }
}

async function bulkZoom(ctx: AppContext, request: IdRequest, reply: FastifyReply) {
  const form = request.body;
  const sessions = await listSessions(ctx.db, {
    instructorId: /^\d+$/.test(form['instructorId'] ?? '')
      ? Number(form['instructorId'])
      : undefined,
    from: dayStart(form['from'] ?? todayIn()),
    until: dayStart(form['to'] ?? '', 1),
  });
  const connected = new Set(
    (await listInstructors(ctx.db)).filter((one) => one.connected).map((one) => one.id),
  );
  for (const session of sessions) {
    if (
      session.status !== 'scheduled' ||
      session.zoomMeetingId !== null ||
      !connected.has(session.instructorId)
    )
      continue;
    await requestMeeting(ctx.db, session.id);
    await enqueueSync(ctx, session.id);
  }
  const query = new URLSearchParams({
    instructorId: form['instructorId'] ?? '',
    from: form['from'] ?? '',
    to: form['to'] ?? '',
    done: 'bulk',
  });
  return reply.redirect(`/admin/?${query.toString()}`, 303);
}

function idOf(request: IdRequest): number {
  const id = request.params.id;
  if (!/^\d{1,15}$/.test(id)) throw new AppError('NOT_FOUND', 'class session not found');
  return Number(id);
}

function emptyForm(): SessionFormValues {
  return {
    instructorId: '',
    title: '',
    startsLocal: '',
    durationMinutes: '120',
    timezone: service.DEFAULT_TIMEZONE,
  };
}

function formValues(body: Form | undefined): SessionFormValues {
  const form = body ?? {};
  return {
    instructorId: form['instructorId'] ?? '',
    title: form['title'] ?? '',
    startsLocal: form['startsLocal'] ?? '',
    durationMinutes: form['durationMinutes'] ?? '',
    timezone: form['timezone'] || service.DEFAULT_TIMEZONE,
  };
}

// A local wall time in the chosen zone; luxon resolves it across daylight-saving changes.
function startOf(values: SessionFormValues): Date {
  const local = DateTime.fromISO(values.startsLocal, { zone: values.timezone });
  if (!local.isValid) throw fieldError('startsLocal', 'enter a date and time');
  return local.toJSDate();
}

function fieldError(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `invalid ${field}`, { fields: [{ field, message }] });
}

function todayIn(zone = service.DEFAULT_TIMEZONE): string {
  return DateTime.now().setZone(zone).toISODate() ?? '';
}

function dayStart(day: string, plusDays = 0): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = DateTime.fromISO(day, { zone: service.DEFAULT_TIMEZONE }).plus({ days: plusDays });
  return start.isValid ? start.toJSDate() : undefined;
}
