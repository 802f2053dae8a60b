/**
 * The words of every message to a student: an email (plain text, HTML and a calendar
 * invitation) and a short SMS, for each kind of change. Templates take only the session facts
 * and the student's name and email; every value in the HTML goes through the escaping `html`
 * tag, and the plain text has no markup to escape.
 */
import { html, type SafeHtml } from '../web/html.js';
import { buildInvite } from './calendar-invite.js';
import { formatClassTime } from '../support/school-time.js';
import type { SessionFacts } from './session-facts.js';

/** The changes students hear about. */
export const changeKinds = ['meeting_ready', 'rescheduled', 'cancelled'] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** What a change carries beyond the session's current state. */
export interface ChangeDetails {
  readonly kind: ChangeKind;
  readonly revision: number;
  readonly previousStartsAt?: Date | undefined;
  readonly previousDurationMinutes?: number | undefined;
  /** The start and length this change announces, when it is not the session's latest. */
  readonly startsAt?: Date | undefined;
  readonly durationMinutes?: number | undefined;
}

/** Who the message goes to, and from where. */
export interface MessageContext {
  readonly student: { readonly name: string; readonly email: string };
  readonly mailFrom: string;
  readonly uidDomain: string;
  readonly now: Date;
}

/** A rendered email. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly ics: string;
  readonly icsMethod: 'REQUEST' | 'CANCEL';
}

/** Both channels of one change for one student. */
export interface RenderedMessage {
  readonly email: RenderedEmail;
  readonly sms: string;
}

interface Wording {
  readonly subject: string;
  readonly lines: string[];
  readonly sms: string;
}

/** Renders the email and SMS for a change of `session`. */
export function renderStudentMessage(
  session: SessionFacts,
  change: ChangeDetails,
  context: MessageContext,
): RenderedMessage {
  const wording = wordingFor(session, change);
  const method = change.kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const greeting = `Hello ${context.student.name},`;
  const text = [greeting, '', ...wording.lines, '', 'California Safe Driver', ''].join('\n');
  const ics = buildInvite({
    method,
    sessionId: session.id,
    uidDomain: context.uidDomain,
    sequence: change.revision,
    title: session.title,
    description: wording.lines.join('\n'),
    startsAt: session.startsAt,
    durationMinutes: session.durationMinutes,
    joinUrl: change.kind === 'cancelled' ? null : session.joinUrl,
    organizerEmail: addressOf(context.mailFrom),
    attendee: context.student,
    stamp: context.now,
  });
  const body = htmlBody(greeting, wording.lines, session.joinUrl, change.kind);
  return {
    email: { subject: wording.subject, text, html: body, ics, icsMethod: method },
    sms: wording.sms,
  };
}

function wordingFor(session: SessionFacts, change: ChangeDetails): Wording {
  const when = formatClassTime(session.startsAt, session.timezone);
  const length = `${session.durationMinutes} minutes`;
  const link = session.joinUrl ?? '';
  const meetingId = session.meetingId ?? '';

  if (change.kind === 'cancelled') {
    return {
      subject: `Class cancelled: ${session.title} on ${when}`,
      lines: [
        `Your class "${session.title}" on ${when} has been cancelled.`,
        'Its Zoom link no longer works. We will contact you about a new date.',
      ],
      sms: `California Safe Driver: your class "${session.title}" on ${when} is cancelled. We will contact you about a new date.`,
    };
  }
  if (change.kind === 'rescheduled') {
    const was = change.previousStartsAt
      ? formatClassTime(change.previousStartsAt, session.timezone)
      : 'the earlier time';
    return {
      subject: `Class moved: ${session.title}, now ${when}`,
      lines: [
        `Your class "${session.title}" has moved.`,
        `Was: ${was}`,
        `Now: ${when} (${length})`,
        `The Zoom link stays the same: ${link}`,
        `Meeting ID: ${meetingId}`,
      ],
      sms: `California Safe Driver: "${session.title}" moved from ${was} to ${when}. Same Zoom link: ${link} Meeting ID: ${meetingId}`,
    };
  }
  return {
    subject: `Your Zoom class: ${session.title}, ${when}`,
    lines: [
      `You are enrolled in "${session.title}".`,
      `When: ${when} (${length})`,
      `Join on Zoom: ${link}`,
      `Meeting ID: ${meetingId}`,
      'Please join a few minutes early. The calendar invitation in this email updates itself if the class moves.',
    ],
    sms: `California Safe Driver: "${session.title}", ${when}. Join on Zoom: ${link} Meeting ID: ${meetingId}`,
  };
}

function htmlBody(
  greeting: string,
  lines: string[],
  joinUrl: string | null,
  kind: ChangeKind,
): string {
  const button: SafeHtml | string =
    kind !== 'cancelled' && joinUrl
      ? html`<p>
          <a
            href="${joinUrl}"
            style="display:inline-block;padding:10px 18px;background:#0b5cad;color:#fff;border-radius:6px;text-decoration:none"
            >Join the class on Zoom</a
          >
        </p>`
      : '';
  return html`<!doctype html>
    <html lang="en">
      <body style="font-family:system-ui,sans-serif;color:#1d2733;line-height:1.5">
        <p>${greeting}</p>
        ${lines.map((line) => html`<p>${line}</p>`)} ${button}
        <p>California Safe Driver</p>
      </body>
    </html>`.value;
}

/** The bare address of a `Name <address>` sender. */
export function addressOf(from: string): string {
  const match = /<([^>]+)>/.exec(from);
  return (match?.[1] ?? from).trim();
}
