/** `GET /admin/audit`: what happened to Zoom connections, newest first, for staff and admins. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { html, type SafeHtml } from '../web/html.js';
import { layout } from '../web/pages/layout.js';
import { csrfTokenOf, currentUser, requireRole } from '../web/request-auth.js';
import { listAudit, type AuditEntry } from './audit-log.js';
import { formatShortTime as pacificTime } from '../support/school-time.js';

/** Registers the audit page. */
export function registerAuditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/admin/audit', { onRequest: requireRole('staff', 'admin') }, async (request, reply) => {
    const entries = await listAudit(ctx.db, { limit: 300 });
    const body = html`<h1>Audit log</h1>
      <p class="muted">
        Zoom connections: who connected, disconnected or lost a link, and when. The latest
        ${entries.length} events, newest first. No token is ever recorded.
      </p>
      ${auditTable(entries)}`;
    const page = layout({
      title: 'Audit log',
      user: currentUser(request),
      csrfToken: csrfTokenOf(request),
      body,
    });
    return reply.type('text/html; charset=utf-8').send(page);
  });
}

function auditTable(entries: readonly AuditEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p>No events yet.</p>`;

  return html`<table id="audit-events">
    <thead>
      <tr>
        <th>When (Pacific)</th>
        <th>What</th>
        <th>Who</th>
        <th>Instructor</th>
        <th>Zoom user id</th>
        <th>Detail</th>
      </tr>
    </thead>
    <tbody>
      ${entries.map(
        (entry) =>
          html`<tr data-kind="${entry.kind}">
            <td>${pacificTime(entry.at)}</td>
            <td>${entry.kind.replace(/_/g, ' ')}</td>
            <td>${entry.actorName ?? html`<span class="muted">system or Zoom</span>`}</td>
            <td>
              ${entry.instructorName ? `${entry.instructorName} (${entry.instructorEmail ?? ''})` : ''}
            </td>
            <td><code>${entry.zoomUserId ?? ''}</code></td>
            <td>${describeDetail(entry.detail)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(' ') : String(value)}`)
    .join('; ');
}
