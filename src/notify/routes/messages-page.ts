/** The delivery log of a session: every message, its channel, recipient, status and attempts. */
import type { User } from '../../auth/user-store.js';
import { html, type SafeHtml } from '../../web/html.js';
import { layout } from '../../web/pages/layout.js';
import type { OutboxRow, OutboxStatus } from '../outbox-store.js';
import { formatClassTime } from '../../support/school-time.js';
import type { SessionFacts } from '../session-facts.js';

const badges: Record<OutboxStatus, string> = {
  queued: 'muted',
  sending: 'warn',
  retry: 'warn',
  sent: 'ok',
  failed: 'err',
};

const kindNames: Record<string, string> = {
  meeting_ready: 'Join link',
  rescheduled: 'Rescheduled',
  cancelled: 'Cancelled',
};

/** Renders the delivery log page. */
export function messagesPage(
  user: User,
  csrfToken: string,
  session: SessionFacts,
  rows: readonly OutboxRow[],
): string {
  const open = rows.some((row) => ['queued', 'sending', 'retry'].includes(row.status));
  const body = html` <p class="muted">
      <a href="/admin/sessions/${String(session.id)}">← Back to the session</a> ·
      <a href="/admin/sessions/${String(session.id)}/students">Students</a>
    </p>
    <h1>Messages · ${session.title}</h1>
    <p class="muted">
      Each change of the session goes once to each student on each channel; retries never send
      twice.
    </p>
    <section class="card" ${open ? html`data-syncing="1"` : ''}>
      ${rows.length === 0 ? html`<p class="muted">No messages yet.</p>` : table(rows)}
    </section>`;
  return layout({ title: `Messages · ${session.title}`, user, csrfToken, body });
}

function table(rows: readonly OutboxRow[]): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th>Created</th>
        <th>Message</th>
        <th>Channel</th>
        <th>To</th>
        <th>Status</th>
        <th>Attempts</th>
        <th>Last error</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <td class="muted">${formatClassTime(row.createdAt)}</td>
            <td>
              ${kindNames[row.kind] ?? row.kind}
              <span class="muted">rev ${String(row.version)}</span>
            </td>
            <td>${row.channel === 'email' ? 'Email' : 'SMS'}</td>
            <td>${row.recipientName ?? ''}<br /><span class="muted">${row.recipient}</span></td>
            <td>
              <span class="badge ${badges[row.status]}">${row.status}</span
              >${row.sentAt ? html`<br /><span class="muted">${formatClassTime(row.sentAt)}</span>` : ''}
            </td>
            <td>${String(row.attempts)}</td>
            <td>
              ${row.lastErrorCode ? html`<code>${row.lastErrorCode}</code>${row.permanentFailure ? ' (permanent)' : ''}` : '—'}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
