/** The staff page of a session's students: roster, enrol one student, import a CSV roster. */
import type { User } from '../../auth/user-store.js';
import { html, type SafeHtml } from '../../web/html.js';
import { layout, type PageFrame } from '../../web/pages/layout.js';
import type { RosterProblem } from '../enrol-student.js';
import type { Enrollment } from '../enrollment-store.js';
import { formatClassTime } from '../../support/school-time.js';
import { hasJoinLink, type SessionFacts } from '../session-facts.js';

/** What the roster page shows. */
export interface RosterPageInput {
  readonly user: User;
  readonly csrfToken: string;
  readonly session: SessionFacts;
  readonly roster: readonly Enrollment[];
  readonly flash?: PageFrame['flash'];
  readonly enrolProblems?: readonly { field: string; message: string }[];
  readonly enrolValues?: Readonly<Record<string, string>>;
  readonly importProblems?: readonly RosterProblem[];
  readonly csv?: string;
}

/** Renders the roster page. */
export function rosterPage(input: RosterPageInput): string {
  const { session } = input;
  const body = html` <p class="muted">
      <a href="/admin/sessions/${String(session.id)}">← Back to the session</a>
    </p>
    <h1>Students · ${session.title}</h1>
    ${sessionFacts(session)}
    <section class="card">
      <h2>Roster (${String(input.roster.length)})</h2>
      ${input.roster.length === 0 ? html`<p class="muted">No students enrolled yet.</p>` : rosterTable(input.roster)}
      <p>
        <a href="/admin/sessions/${String(session.id)}/messages"
          >Delivery log of this session's messages</a
        >
      </p>
    </section>
    ${session.status === 'cancelled' ? html`<p class="warning">This session is cancelled: no one can be enrolled.</p>` : forms(input)}`;
  return layout({
    title: `Students · ${session.title}`,
    user: input.user,
    csrfToken: input.csrfToken,
    flash: input.flash,
    body,
  });
}

function sessionFacts(session: SessionFacts): SafeHtml {
  const link = hasJoinLink(session)
    ? html`<span class="badge ok">join link ready</span> New students get it by email (and SMS with
        consent) at once.`
    : html`<span class="badge muted">no join link yet</span> Students get it when the Zoom meeting
        is ready.`;
  return html`<dl class="facts">
    <dt>When</dt>
    <dd>
      ${formatClassTime(session.startsAt, session.timezone)} · ${String(session.durationMinutes)}
      min
    </dd>
    <dt>Messages</dt>
    <dd>${link}</dd>
  </dl>`;
}

function rosterTable(roster: readonly Enrollment[]): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th>Name</th>
        <th>Email</th>
        <th>Phone</th>
        <th>SMS</th>
        <th>Enrolled</th>
      </tr>
    </thead>
    <tbody>
      ${roster.map(
        ({ student, createdAt }) =>
          html`<tr>
            <td>${student.name}</td>
            <td>${student.email}</td>
            <td>${student.phone ?? '—'}</td>
            <td>
              ${
                student.smsOptIn && student.smsOptInAt
                  ? html`<span class="badge ok">consent</span>
                      <span class="muted">${formatClassTime(student.smsOptInAt)}</span>`
                  : html`<span class="badge muted">no</span>`
              }
            </td>
            <td class="muted">${formatClassTime(createdAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function forms(input: RosterPageInput): SafeHtml {
  const id = String(input.session.id);
  const values = input.enrolValues ?? {};
  return html`<div class="row" style="align-items:start">
    <section class="card" style="flex:1;min-width:300px">
      <h2>Enrol one student</h2>
      ${problemList(input.enrolProblems?.map((p) => `${p.field}: ${p.message}`))}
      <form method="post" action="/admin/sessions/${id}/students" class="stack">
        <input type="hidden" name="_csrf" value="${input.csrfToken}" />
        <label
          >Name <input name="name" required maxlength="200" value="${values['name'] ?? ''}"
        /></label>
        <label
          >Email <input name="email" type="email" required value="${values['email'] ?? ''}"
        /></label>
        <label
          >Mobile phone (E.164, e.g. +14155550123)
          <input name="phone" value="${values['phone'] ?? ''}"
        /></label>
        <label style="display:flex;gap:.5rem;align-items:center;font-weight:400"
          ><input
            type="checkbox"
            name="smsOptIn"
            value="yes"
            ${values['smsOptIn'] ? 'checked' : ''}
          />
          The student agreed to get text messages</label
        >
        <div><button type="submit">Enrol student</button></div>
      </form>
    </section>
    <section class="card" style="flex:1;min-width:300px">
      <h2>Import a roster (CSV)</h2>
      <p class="muted">
        First line: <code>name,email,phone,sms_opt_in</code> (phone and sms_opt_in optional; consent
        is yes or no). Every row is checked first; if any row is wrong, nothing is imported.
      </p>
      ${problemList(input.importProblems?.map((p) => `Line ${String(p.line)}, ${p.field}: ${p.message}`))}
      <form method="post" action="/admin/sessions/${id}/students/import" class="stack">
        <input type="hidden" name="_csrf" value="${input.csrfToken}" />
        <label
          >Roster
          <textarea
            name="csv"
            rows="8"
            required
            style="font-weight:400;font-family:ui-monospace,monospace"
            placeholder="name,email,phone,sms_opt_in"
          >
${input.csv ?? ''}</textarea>
        </label>
        <div><button type="submit">Import roster</button></div>
      </form>
    </section>
  </div>`;
}

function problemList(problems: readonly string[] | undefined): SafeHtml | string {
  if (!problems || problems.length === 0) return '';
  return html`<div class="flash flash-error" role="alert">
    <strong>Nothing was saved.</strong>
    <ul>
      ${problems.map((p) => html`<li>${p}</li>`)}
    </ul>
  </div>`;
}
