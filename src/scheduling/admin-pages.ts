/**
 * The staff pages' markup: the sessions list, one session, the session form and the
 * instructors. Times show in the class's own zone with the UTC instant beside them.
 */
import { DateTime } from 'luxon';

import { html, type SafeHtml } from '../web/html.js';
import type { InstructorInfo } from './instructor-directory.js';
import type { ClassSession, SyncState } from './session-store.js';
import type { SessionWarning } from './session-warnings.js';

/** Zones offered in the form; any IANA zone is accepted through the API. */
export const offeredZones = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Phoenix',
  'America/Chicago',
  'America/New_York',
  'Pacific/Honolulu',
];

const stateLabels: Record<SyncState, [string, string]> = {
  none: ['No meeting', 'muted'],
  pending: ['Syncing…', 'warn'],
  ready: ['Ready', 'ok'],
  failed: ['Failed', 'err'],
  needs_check: ['Needs a check', 'err'],
  host_disconnected: ['Host disconnected', 'err'],
  cancelled: ['Cancelled', 'muted'],
};

/** The local start of a session in its zone, e.g. "Sun 8 Mar 2026, 10:00 PDT". */
export function localStart(session: Pick<ClassSession, 'startsAt' | 'timezone'>): string {
  return DateTime.fromJSDate(session.startsAt, { zone: session.timezone }).toFormat(
    'ccc d LLL yyyy, HH:mm ZZZZ',
  );
}

/** The UTC instant of a start, to the minute: "2027-01-09 17:00 UTC". */
export function utcStart(session: Pick<ClassSession, 'startsAt'>): string {
  return `${session.startsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The Zoom status badge, with the reason (its first sentence when `brief`) when something went wrong. */
export function zoomStatus(session: ClassSession, brief = false): SafeHtml {
  const [label, tone] = stateLabels[session.syncState];
  const syncing = session.syncState === 'pending' ? 'true' : undefined;
  const reason =
    session.syncErrorMessage && session.syncState !== 'ready'
      ? html`<div class="muted">
          ${brief ? firstSentence(session.syncErrorMessage) : session.syncErrorMessage}
        </div>`
      : '';
  return html`<span class="badge ${tone}" ${syncing ? html`data-syncing="true"` : ''}>${label}</span
    >${reason}`;
}

function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end < 0 ? text : text.slice(0, end + 1);
}

/** Warning boxes. */
export function warningList(warnings: readonly SessionWarning[]): SafeHtml {
  return html`${warnings.map((warning) => html`<p class="warning" data-code="${warning.code}">${warning.message}</p>`)}`;
}

/** A row of the sessions list. */
export interface SessionRow {
  readonly session: ClassSession;
  readonly instructor: InstructorInfo | undefined;
  readonly warnings: readonly SessionWarning[];
}

/** The filters of the list as entered. */
export interface ListFilters {
  readonly instructorId: string;
  readonly from: string;
  readonly to: string;
}

/** The sessions list body. */
export function sessionsListBody(
  rows: readonly SessionRow[],
  instructors: readonly InstructorInfo[],
  filters: ListFilters,
  csrf: string,
  hostWarnings: readonly SessionWarning[],
): SafeHtml {
  const missing = rows.filter(
    (row) =>
      row.session.status === 'scheduled' &&
      row.session.zoomMeetingId === null &&
      !row.session.zoomWanted,
  ).length;
  return html`<div class="row" style="justify-content:space-between">
      <h1>Class sessions</h1>
      <a class="button" href="/admin/sessions/new">New session</a>
    </div>
    <form method="get" action="/admin/" class="row card">
      <label
        >Instructor
        <select name="instructorId">
          <option value="">All instructors</option>
          ${instructors.map((one) => html`<option value="${one.id}" ${String(one.id) === filters.instructorId ? html`selected` : ''}>${one.name}</option>`)}
        </select></label
      >
      <label>From <input type="date" name="from" value="${filters.from}" /></label>
      <label>To <input type="date" name="to" value="${filters.to}" /></label>
      <button type="submit" class="secondary">Show</button>
    </form>
    ${warningList(hostWarnings)}
    ${
      rows.length === 0
        ? html`<p class="muted">No sessions match these filters.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Starts</th>
                <th>Class</th>
                <th>Instructor</th>
                <th>Length</th>
                <th>Zoom</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(sessionTableRow)}
            </tbody>
          </table>`
    }
    ${
      missing > 0
        ? html`<form
            method="post"
            action="/admin/sessions/bulk-zoom"
            class="row"
            style="margin-top:1rem"
          >
            <input type="hidden" name="_csrf" value="${csrf}" />
            <input type="hidden" name="instructorId" value="${filters.instructorId}" /><input
              type="hidden"
              name="from"
              value="${filters.from}"
            /><input type="hidden" name="to" value="${filters.to}" />
            <button type="submit" class="secondary">
              Create Zoom meetings for the ${missing} listed sessions without one
            </button>
          </form>`
        : ''
    }`;
}

function sessionTableRow(row: SessionRow): SafeHtml {
  const { session } = row;
  return html`<tr data-session-id="${session.id}">
    <td>
      ${localStart(session)}
      <div class="muted">${utcStart(session)}</div>
    </td>
    <td>
      <a href="/admin/sessions/${session.id}">${session.title}</a
      >${row.warnings.length > 0 ? html`<div class="muted">⚠ ${row.warnings.map((w) => (w.code === 'BASIC_PLAN_40_MIN_CAP' ? 'Basic plan: 40-minute cap' : 'Near Zoom daily limit')).join(' · ')}</div>` : ''}
    </td>
    <td>${row.instructor?.name ?? '—'}</td>
    <td>${session.durationMinutes} min</td>
    <td>${zoomStatus(session, true)}</td>
  </tr>`;
}

/** The form values of a session, as the inputs hold them. */
export interface SessionFormValues {
  readonly instructorId: string;
  readonly title: string;
  readonly startsLocal: string;
  readonly durationMinutes: string;
  readonly timezone: string;
}

/** Form values from a stored session. */
export function formValuesOf(session: ClassSession): SessionFormValues {
  return {
    instructorId: String(session.instructorId),
    title: session.title,
    startsLocal: DateTime.fromJSDate(session.startsAt, { zone: session.timezone }).toFormat(
      "yyyy-LL-dd'T'HH:mm",
    ),
    durationMinutes: String(session.durationMinutes),
    timezone: session.timezone,
  };
}

/** The create or edit form; `errors` are shown above it. */
export function sessionForm(
  action: string,
  values: SessionFormValues,
  instructors: readonly InstructorInfo[] | undefined,
  csrf: string,
  errors: readonly { field: string; message: string }[],
  submit: string,
): SafeHtml {
  return html`<form method="post" action="${action}" class="stack">
    <input type="hidden" name="_csrf" value="${csrf}" />
    ${errors.length > 0 ? html`<div class="flash flash-error" role="alert">${errors.map((e) => html`<div>${fieldLabel(e.field)}: ${e.message}</div>`)}</div>` : ''}
    ${
      instructors
        ? html`<label
            >Instructor
            <select name="instructorId" required>
              <option value="">Choose…</option>
              ${instructors.map((one) => html`<option value="${one.id}" ${String(one.id) === values.instructorId ? html`selected` : ''}>${one.name}${one.connected ? '' : ' (Zoom not connected)'}</option>`)}
            </select></label
          >`
        : ''
    }
    <label>Title <input name="title" value="${values.title}" maxlength="200" required /></label>
    <label
      >Starts (local time in the zone below)
      <input type="datetime-local" name="startsLocal" value="${values.startsLocal}" required
    /></label>
    <label
      >Time zone
      <select name="timezone">
        ${zoneOptions(values.timezone)}
      </select></label
    >
    <label
      >Length in minutes
      <input
        type="number"
        name="durationMinutes"
        min="1"
        max="1440"
        value="${values.durationMinutes}"
        required
    /></label>
    <button type="submit">${submit}</button>
  </form>`;
}

function zoneOptions(selected: string): SafeHtml {
  const zones = offeredZones.includes(selected) ? offeredZones : [selected, ...offeredZones];
  return html`${zones.map((zone) => html`<option ${zone === selected ? html`selected` : ''}>${zone}</option>`)}`;
}

function fieldLabel(field: string): string {
  const labels: Record<string, string> = {
    instructorId: 'Instructor',
    title: 'Title',
    startsAt: 'Start',
    startsLocal: 'Start',
    durationMinutes: 'Length',
    timezone: 'Time zone',
    meetingId: 'Meeting ID',
  };
  return labels[field] ?? field;
}

/** The instructors page body. */
export function instructorsBody(
  instructors: readonly InstructorInfo[],
  writesToday: ReadonlyMap<number, number>,
): SafeHtml {
  return html`<h1>Instructors</h1>
    <table>
      <thead>
        <tr>
          <th>Instructor</th>
          <th>Zoom</th>
          <th>Zoom account</th>
          <th>Plan</th>
          <th>Zoom writes today (UTC)</th>
        </tr>
      </thead>
      <tbody>
        ${instructors.map(
          (one) =>
            html`<tr data-instructor-id="${one.id}">
              <td>
                ${one.name}
                <div class="muted">${one.email}</div>
              </td>
              <td>
                ${connectionBadge(one)}${one.connectionReason && !one.connected ? html`<div class="muted">${one.connectionReason}</div>` : ''}
              </td>
              <td>
                ${one.zoomDisplayName ?? '—'}
                <div class="muted">${one.zoomEmail ?? ''}</div>
              </td>
              <td>
                ${one.planName ?? '—'}${one.planType === 1 ? html`<div class="muted">Meetings end after 40 minutes</div>` : ''}
              </td>
              <td>${writesToday.get(one.id) ?? 0} of 100</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function connectionBadge(one: InstructorInfo): SafeHtml {
  if (one.connected) return html`<span class="badge ok">Zoom connected</span>`;
  if (one.connectionStatus === 'broken')
    return html`<span class="badge err">Connection broken</span>`;
  if (one.connectionStatus === 'deauthorized')
    return html`<span class="badge err">App removed in Zoom</span>`;
  return html`<span class="badge muted">Not connected</span>`;
}
