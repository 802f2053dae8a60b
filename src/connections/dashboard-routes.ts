/** `GET /dashboard/`: the instructor's Zoom Integration card and upcoming classes. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { html, type SafeHtml } from '../web/html.js';
import { layout, type PageFrame } from '../web/pages/layout.js';
import { csrfTokenOf, currentUser, requireRole } from '../web/request-auth.js';
import { findConnectionByInstructor } from './connection-store.js';
import { formatShortTime as pacificTime } from '../support/school-time.js';
import { listUpcomingClasses, type UpcomingClass } from './upcoming-classes.js';
import { zoomCard } from './zoom-card.js';

const flashes: Record<string, NonNullable<PageFrame['flash']>> = {
  connected: {
    kind: 'ok',
    text: 'Zoom connected. Staff can now create the meetings of your classes.',
  },
  denied: {
    kind: 'error',
    text: 'Zoom was not connected: you chose Deny on Zoom\u2019s consent screen.',
  },
  'profile-scope-missing': {
    kind: 'error',
    text:
      'Zoom was not connected: the permission \u201cread your Zoom profile (name, email, account ' +
      'type)\u201d (user:read:user) was not granted, so we cannot confirm which Zoom account is ' +
      'yours. Ask your Zoom admin to allow it, then click Connect Zoom again.',
  },
  disconnected: { kind: 'info', text: 'Zoom disconnected. We deleted the stored Zoom tokens.' },
};

/** Registers the dashboard. */
export function registerDashboardRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/', 301));

  app.get('/dashboard/', { onRequest: requireRole('instructor') }, async (request, reply) => {
    const user = currentUser(request);
    const connection = await findConnectionByInstructor(ctx.db, user.id);
    const classes = await listUpcomingClasses(ctx.db, user.id, ctx.clock.now());
    const csrfToken = csrfTokenOf(request);

    const body = html`<h1>Your dashboard</h1>
      ${zoomCard(connection, csrfToken)} ${classList(classes)}`;
    const page = layout({ title: 'Dashboard', user, csrfToken, flash: flashOf(request), body });
    return reply.type('text/html; charset=utf-8').send(page);
  });
}

function flashOf(request: FastifyRequest): PageFrame['flash'] {
  const value = (request.query as Record<string, unknown>)['zoom'];
  return typeof value === 'string' ? flashes[value] : undefined;
}

function classList(classes: readonly UpcomingClass[]): SafeHtml {
  if (classes.length === 0) {
    return html`<h2>Upcoming classes</h2>
      <p class="muted">No upcoming classes are scheduled.</p>`;
  }
  return html`<h2>Upcoming classes</h2>
    <table id="upcoming-classes">
      <thead>
        <tr>
          <th>Class</th>
          <th>Starts (Pacific time)</th>
          <th>Length</th>
          <th>Zoom join link</th>
        </tr>
      </thead>
      <tbody>
        ${classes.map(
          (item) =>
            html`<tr>
              <td>${item.title}</td>
              <td>${pacificTime(item.startsAt)}</td>
              <td>${item.durationMinutes} min</td>
              <td>
                ${item.joinUrl ? html`<a href="${item.joinUrl}">${item.joinUrl}</a>` : html`<span class="muted">not created yet</span>`}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
