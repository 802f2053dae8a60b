/** `/dev/outbox`: what the product would have sent, when no SMTP or Twilio settings are given. */
import type { User } from '../../auth/user-store.js';
import { html } from '../../web/html.js';
import { layout } from '../../web/pages/layout.js';
import type { DevOutboxEntry } from '../dev-outbox.js';
import { formatClassTime } from '../../support/school-time.js';

/** Renders the development outbox. */
export function devOutboxPage(
  user: User,
  csrfToken: string,
  entries: readonly DevOutboxEntry[],
): string {
  const body = html` <h1>Development outbox</h1>
    <p class="warning">
      No SMTP or Twilio settings are configured, so messages land here instead of being sent. Set
      <code>SMTP_URL</code>, <code>MAIL_FROM</code> and the <code>TWILIO_*</code> settings to send
      for real.
    </p>
    ${entries.length === 0 ? html`<p class="muted">Nothing has been sent yet.</p>` : ''}
    ${entries.map(
      (entry) =>
        html`<section class="card">
          <p>
            <span class="badge ${entry.channel === 'email' ? 'ok' : 'warn'}"
              >${entry.channel === 'email' ? 'Email' : 'SMS'}</span
            >
            <strong>${entry.subject ?? ''}</strong>
          </p>
          <dl class="facts">
            <dt>To</dt>
            <dd>${entry.recipient}</dd>
            <dt>From</dt>
            <dd>${entry.sender}</dd>
            <dt>At</dt>
            <dd>${formatClassTime(entry.createdAt)}</dd>
          </dl>
          <pre style="white-space:pre-wrap;background:#f5f7fa;padding:.75rem;border-radius:6px">
${entry.textBody}</pre>
          ${
            entry.channel === 'email'
              ? html`<p>
                  ${entry.htmlBody ? html`<a href="/dev/outbox/${String(entry.id)}/html">View the HTML</a>` : ''}
                  ${entry.ics ? html` · <a href="/dev/outbox/${String(entry.id)}/invite.ics">Calendar invitation (.ics)</a>` : ''}
                </p>`
              : ''
          }
        </section>`,
    )}`;
  return layout({ title: 'Development outbox', user, csrfToken, body });
}
