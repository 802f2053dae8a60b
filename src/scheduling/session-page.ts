/** The page of one class session: its facts, its Zoom meeting and what staff can do next. */
import { html, type SafeHtml } from '../web/html.js';
import {
  formValuesOf,
  localStart,
  sessionForm,
  utcStart,
  warningList,
  zoomStatus,
} from './admin-pages.js';
import type { InstructorInfo } from './instructor-directory.js';
import type { ClassSession } from './session-store.js';
import type { SessionWarning } from './session-warnings.js';

/** What the session page shows. */
export interface SessionPageInput {
  readonly session: ClassSession;
  readonly instructor: InstructorInfo;
  readonly warnings: readonly SessionWarning[];
  readonly csrf: string;
  readonly errors?: readonly { field: string; message: string }[];
}

/** The session page body. */
export function sessionPageBody(input: SessionPageInput): SafeHtml {
  const { session, instructor, csrf } = input;
  const open = session.status === 'scheduled';
  return html`<p><a href="/admin/">← All sessions</a></p>
    <h1>${session.title}</h1>
    ${warningList(input.warnings)}
    <section class="card">
      <dl class="facts">
        <dt>Starts</dt>
        <dd>${localStart(session)} <span class="muted">(${utcStart(session)})</span></dd>
        <dt>Length</dt>
        <dd>${session.durationMinutes} minutes</dd>
        <dt>Instructor</dt>
        <dd>
          ${instructor.name}
          <span class="muted">${instructor.email}</span>
          ${instructor.connected ? html`<span class="badge ok">Zoom connected</span>` : html`<span class="badge err">Zoom not connected</span>`}
        </dd>
        <dt>Status</dt>
        <dd>${open ? 'Scheduled' : 'Cancelled'}</dd>
        <dt>Zoom</dt>
        <dd>${zoomStatus(session)}</dd>
        ${
          session.zoomMeetingId
            ? html`<dt>Meeting ID</dt>
                <dd>${formatMeetingId(session.zoomMeetingId)}</dd>`
            : ''
        }
        ${
          session.zoomJoinUrl
            ? html`<dt>Join link</dt>
                <dd><a href="${session.zoomJoinUrl}">${session.zoomJoinUrl}</a></dd>`
            : ''
        }
      </dl>
      ${zoomActions(session, csrf)}
    </section>
    <section class="card">
      <h2>Students and messages</h2>
      <p>
        <a href="/admin/sessions/${session.id}/students">Roster and enrolment</a> ·
        <a href="/admin/sessions/${session.id}/messages">Delivery log of messages</a>
      </p>
    </section>
    ${session.syncState === 'needs_check' ? checkSection(session, csrf) : ''}
    ${
      open
        ? html`<section class="card">
              <h2>Edit or reschedule</h2>
              ${sessionForm(`/admin/sessions/${session.id}`, formValuesOf(session), undefined, csrf, input.errors ?? [], 'Save changes')}
            </section>
            <section class="card">
              <h2>Cancel this class</h2>
              <p class="muted">The Zoom meeting is deleted and enrolled students are told.</p>
              <form method="post" action="/admin/sessions/${session.id}/cancel" class="inline">
                <input type="hidden" name="_csrf" value="${csrf}" /><button
                  type="submit"
                  class="danger"
                >
                  Cancel class
                </button>
              </form>
            </section>`
        : ''
    }`;
}

function zoomActions(session: ClassSession, csrf: string): SafeHtml {
  const canCreate =
    session.status === 'scheduled' &&
    session.zoomMeetingId === null &&
    ['none', 'failed', 'host_disconnected'].includes(session.syncState);
  const canResync =
    session.status === 'scheduled' &&
    session.zoomMeetingId !== null &&
    ['failed', 'host_disconnected'].includes(session.syncState);
  if (!canCreate && !canResync) return html``;

  return html`<form
    method="post"
    action="/admin/sessions/${session.id}/zoom-meeting"
    class="inline"
  >
    <input type="hidden" name="_csrf" value="${csrf}" />
    <button type="submit">${canCreate ? 'Create Zoom meeting' : 'Sync with Zoom again'}</button>
  </form>`;
}

function checkSection(session: ClassSession, csrf: string): SafeHtml {
  return html`<section class="card broken">
    <h2>Check the instructor's Zoom account</h2>
    <p>
      An earlier request to Zoom got no answer, so the meeting may already exist. In the
      instructor's Zoom account, look for a meeting whose description says
      <strong>Class session #${session.id}</strong>.
    </p>
    <div class="row">
      <form method="post" action="/admin/sessions/${session.id}/zoom-check" class="row">
        <input type="hidden" name="_csrf" value="${csrf}" /><input
          type="hidden"
          name="outcome"
          value="found"
        />
        <label
          >Meeting ID found
          <input name="meetingId" inputmode="numeric" pattern="[0-9 ]{9,24}" required
        /></label>
        <button type="submit" class="secondary">Use this meeting</button>
      </form>
      <form method="post" action="/admin/sessions/${session.id}/zoom-check" class="inline">
        <input type="hidden" name="_csrf" value="${csrf}" /><input
          type="hidden"
          name="outcome"
          value="none_found"
        />
        <button type="submit">Check done, create again</button>
      </form>
    </div>
  </section>`;
}

/** A meeting number grouped as Zoom shows it: 123 4567 8901. */
export function formatMeetingId(id: string): string {
  return id.length > 7 ? `${id.slice(0, 3)} ${id.slice(3, id.length - 4)} ${id.slice(-4)}` : id;
}
