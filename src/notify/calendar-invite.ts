/**
 * The iCalendar part of every email to a student (RFC 5545, with iTIP methods from RFC 5546),
 * so calendar programs add the class once and then update or remove that same event in place.
 *
 * The UID is fixed per class session and SEQUENCE is the session's revision, which rises with
 * every change: a calendar keeps the event with the highest SEQUENCE for a UID. Written by hand
 * because the few properties needed fit in one screen, while an iCalendar package would bring
 * a dependency for text escaping and line folding alone.
 */

/** What the invite describes. */
export interface InviteInput {
  readonly method: 'REQUEST' | 'CANCEL';
  readonly sessionId: number;
  /** Host part of the UID, e.g. the public URL's host name. */
  readonly uidDomain: string;
  readonly sequence: number;
  readonly title: string;
  readonly description: string;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  readonly joinUrl: string | null;
  readonly organizerEmail: string;
  readonly attendee: { readonly name: string; readonly email: string };
  readonly stamp: Date;
}

/** The stable UID of a session's calendar event. */
export function sessionEventUid(sessionId: number, uidDomain: string): string {
  return `class-session-${sessionId}@${uidDomain}`;
}

/** Builds the VCALENDAR text, lines ending in CRLF. */
export function buildInvite(input: InviteInput): string {
  const endsAt = new Date(input.startsAt.getTime() + input.durationMinutes * 60_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//California Safe Driver//safedriver-zoom//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    'BEGIN:VEVENT',
    `UID:${sessionEventUid(input.sessionId, input.uidDomain)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcStamp(input.stamp)}`,
    `DTSTART:${utcStamp(input.startsAt)}`,
    `DTEND:${utcStamp(endsAt)}`,
    `SUMMARY:${escapeText(input.title)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...(input.joinUrl ? [`LOCATION:${escapeText(input.joinUrl)}`, `URL:${input.joinUrl}`] : []),
    `ORGANIZER;CN=California Safe Driver:mailto:${input.organizerEmail}`,
    `ATTENDEE;CN=${quoteParam(input.attendee.name)};ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:${input.attendee.email}`,
    `STATUS:${input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** `20260308T160000Z`: DATE-TIME in UTC form (RFC 5545 §3.3.5). */
function utcStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** TEXT escaping (RFC 5545 §3.3.11). */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n');
}

/** A parameter value in double quotes; quotes themselves cannot appear in one (§3.2). */
function quoteParam(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}

/** Folds a content line at 75 octets, continuation lines starting with a space (§3.1). */
function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;

  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (Buffer.byteLength(current + char, 'utf8') > limit) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
