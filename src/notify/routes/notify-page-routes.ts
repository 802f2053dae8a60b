/**
 * Staff pages of students and messages, and the development outbox. Forms post back to the
 * page; on success they redirect (303) to it with a short notice, on bad input the page is
 * shown again with every problem and the values typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import { csrfTokenOf, currentUser, requireRole } from '../../web/request-auth.js';
import { findDevOutboxEntry, listDevOutbox } from '../dev-outbox.js';
import { enrolStudent, importRoster, type RosterProblem } from '../enrol-student.js';
import { listRoster } from '../enrollment-store.js';
import { listSessionMessages } from '../outbox-store.js';
import { loadSessionFacts, type SessionFacts } from '../session-facts.js';
import { devOutboxPage } from './dev-outbox-page.js';
import { messagesPage } from './messages-page.js';
import { rosterPage, type RosterPageInput } from './roster-page.js';

const staffOnly = requireRole('staff', 'admin');

type SessionRoute = {
  Params: { id: string };
  Body: Record<string, string> | undefined;
  Querystring: Record<string, string>;
};
type SessionRequest = FastifyRequest<SessionRoute>;

/** Registers the roster, delivery-log and (outside production) dev outbox pages. */
export function registerNotifyPages(app: FastifyInstance, ctx: AppContext): void {
  app.get<SessionRoute>(
    '/admin/sessions/:id/students',
    { onRequest: staffOnly },
    async (request, reply) => {
      const session = await sessionOf(ctx, request);
      return showRoster(ctx, request, reply, session, 200, { flash: flashOf(request.query) });
    },
  );

  app.post<SessionRoute>(
    '/admin/sessions/:id/students',
    { onRequest: staffOnly },
    async (request, reply) => {
      const session = await sessionOf(ctx, request);
      const body = request.body ?? {};
      const raw = {
        name: body['name'],
        email: body['email'],
        phone: body['phone'],
        smsOptIn: body['smsOptIn'] === 'yes',
      };
      try {
        await enrolStudent(ctx, session.id, raw);
      } catch (error) {
        if (!isAppError(error) || !error.fields) throw error;
        return showRoster(ctx, request, reply, session, error.status, {
          enrolProblems: error.fields,
          enrolValues: body,
        });
      }
      return reply.redirect(`/admin/sessions/${session.id}/students?done=enrolled`, 303);
    },
  );

  app.post<SessionRoute>(
    '/admin/sessions/:id/students/import',
    { onRequest: staffOnly },
    async (request, reply) => {
      const session = await sessionOf(ctx, request);
      const csv = request.body?.['csv'] ?? '';
      try {
        const result = await importRoster(ctx, session.id, csv);
        return reply.redirect(
          `/admin/sessions/${session.id}/students?done=imported&n=${result.enrolled}&m=${result.alreadyEnrolled}`,
          303,
        );
      } catch (error) {
        if (!isAppError(error, 'ROSTER_INVALID')) throw error;
        const importProblems = (error.extra?.['rows'] ?? []) as RosterProblem[];
        return showRoster(ctx, request, reply, session, 400, { importProblems, csv });
      }
    },
  );

  app.get<SessionRoute>(
    '/admin/sessions/:id/messages',
    { onRequest: staffOnly },
    async (request, reply) => {
      const session = await sessionOf(ctx, request);
      const rows = await listSessionMessages(ctx.db, session.id);
      return sendPage(
        reply,
        200,
        messagesPage(currentUser(request), csrfTokenOf(request), session, rows),
      );
    },
  );

  if (!ctx.config.production) registerDevOutbox(app, ctx);
}

function registerDevOutbox(app: FastifyInstance, ctx: AppContext): void {
  app.get('/dev/outbox', { onRequest: staffOnly }, async (request, reply) => {
    const entries = await listDevOutbox(ctx.db);
    return sendPage(reply, 200, devOutboxPage(currentUser(request), csrfTokenOf(request), entries));
  });

  app.get<SessionRoute>(
    '/dev/outbox/:id/html',
    { onRequest: staffOnly },
    async (request, reply) => {
      const entry = await findDevOutboxEntry(ctx.db, Number(request.params.id));
      if (!entry?.htmlBody) throw new AppError('NOT_FOUND', 'no such message');
      return sendPage(reply, 200, entry.htmlBody);
    },
  );

  app.get<SessionRoute>(
    '/dev/outbox/:id/invite.ics',
    { onRequest: staffOnly },
    async (request, reply) => {
      const entry = await findDevOutboxEntry(ctx.db, Number(request.params.id));
      if (!entry?.ics) throw new AppError('NOT_FOUND', 'no such invitation');
      return reply.type('text/calendar; charset=utf-8').send(entry.ics);
    },
  );
}

async function sessionOf(ctx: AppContext, request: SessionRequest): Promise<SessionFacts> {
  const id = Number(request.params.id);
  const session = Number.isInteger(id) && id > 0 ? await loadSessionFacts(ctx.db, id) : undefined;
  if (!session) throw new AppError('NOT_FOUND', 'class session not found');
  return session;
}

async function showRoster(
  ctx: AppContext,
  request: SessionRequest,
  reply: FastifyReply,
  session: SessionFacts,
  status: number,
  extra: Partial<RosterPageInput>,
) {
  const roster = await listRoster(ctx.db, session.id);
  const page = rosterPage({
    user: currentUser(request),
    csrfToken: csrfTokenOf(request),
    session,
    roster,
    ...extra,
  });
  return sendPage(reply, status, page);
}

function flashOf(query: Record<string, string>): RosterPageInput['flash'] {
  if (query['done'] === 'enrolled') return { kind: 'ok', text: 'Student enrolled.' };
  if (query['done'] !== 'imported') return undefined;
  const already = Number(query['m'] ?? 0);
  const note = already > 0 ? ` ${already} were already enrolled.` : '';
  return {
    kind: 'ok',
    text: `Roster imported: ${Number(query['n'] ?? 0)} students enrolled.${note}`,
  };
}

function sendPage(reply: FastifyReply, status: number, page: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}
