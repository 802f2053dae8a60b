/**
 * The words of alerts to staff (and, for a broken connection, to the instructor): what
 * happened to an instructor's Zoom link and what someone must do about it.
 */
import { html } from '../web/html.js';
import { formatClassTime } from '../support/school-time.js';

/** An upcoming session that lost its host link. */
export interface AffectedSession {
  readonly id: number;
  readonly title: string;
  readonly startsAt: Date;
  readonly timezone: string;
}

/** A rendered alert email. */
export interface AlertEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The instructor removed the app from Zoom. */
export function deauthorizedAlert(
  instructor: { name: string; email: string },
  sessions: readonly AffectedSession[],
  publicUrl: string,
): AlertEmail {
  const listed = sessions.map(
    (s) =>
      `${s.title}, ${formatClassTime(s.startsAt, s.timezone)}: ${publicUrl}/admin/sessions/${s.id}`,
  );
  const lines = [
    `${instructor.name} (${instructor.email}) removed the California Safe Driver app from their Zoom account.`,
    sessions.length > 0
      ? `These upcoming sessions lost their host link (${sessions.length}):`
      : 'No upcoming sessions of this instructor are affected.',
    ...listed.map((line) => `- ${line}`),
    "Meetings already made stay on the instructor's Zoom account and students keep their join links, but staff can no longer change or cancel those meetings from here.",
    'Ask the instructor to connect Zoom again, or move the sessions to another instructor.',
  ];
  return compose(`Zoom app removed by ${instructor.name}`, lines);
}

/** The instructor's Zoom connection stopped working. */
export function connectionBrokenAlert(instructor: { name: string; email: string }): AlertEmail {
  const lines = [
    `The Zoom connection of ${instructor.name} (${instructor.email}) stopped working: Zoom no longer accepts its authorization.`,
    `${instructor.name}: please sign in and click "Reconnect Zoom" on your dashboard.`,
    'Until then meetings for these classes cannot be created, changed or cancelled from here.',
  ];
  return compose(`Zoom connection stopped working for ${instructor.name}`, lines);
}

function compose(subject: string, lines: string[]): AlertEmail {
  const text = [...lines, '', 'California Safe Driver', ''].join('\n');
  const body = html`<!doctype html>
    <html lang="en">
      <body style="font-family:system-ui,sans-serif;color:#1d2733;line-height:1.5">
        ${lines.map((line) => (line.startsWith('- ') ? html`<p>&bull; ${line.slice(2)}</p>` : html`<p>${line}</p>`))}
        <p>California Safe Driver</p>
      </body>
    </html>`.value;
  return { subject, text, html: body };
}
