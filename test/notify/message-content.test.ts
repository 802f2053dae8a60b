import { describe, expect, it } from 'vitest';
import { buildInvite } from '../../src/notify/calendar-invite.js';
import { renderStudentMessage } from '../../src/notify/message-templates.js';
import { formatClassTime } from '../../src/support/school-time.js';
import { normalizePhone } from '../../src/notify/phone-number.js';
import { maskEmail, maskPhone } from '../../src/notify/personal-data.js';
import { parseRosterCsv } from '../../src/notify/roster-csv.js';
import type { SessionFacts } from '../../src/notify/session-facts.js';

const session: SessionFacts = {
  id: 42,
  title: 'Defensive Driving; Part 1, evening',
  startsAt: new Date('2026-03-08T17:00:00Z'),
  durationMinutes: 90,
  timezone: 'America/Los_Angeles',
  status: 'scheduled',
  syncState: 'ready',
  revision: 2,
  meetingId: '81234567890',
  joinUrl: 'https://zoom.example.test/j/81234567890?pwd=abc',
};

describe('class times', () => {
  it('writes Pacific time across both daylight-saving changes', () => {
    expect(formatClassTime(new Date('2026-03-08T09:30:00Z'))).toBe(
      'Sunday, March 8, 2026, 1:30 AM PST',
    );
    expect(formatClassTime(new Date('2026-03-08T16:00:00Z'))).toBe(
      'Sunday, March 8, 2026, 9:00 AM PDT',
    );
    expect(formatClassTime(new Date('2026-11-01T08:30:00Z'))).toBe(
      'Sunday, November 1, 2026, 1:30 AM PDT',
    );
    expect(formatClassTime(new Date('2026-11-01T09:30:00Z'))).toBe(
      'Sunday, November 1, 2026, 1:30 AM PST',
    );
  });
});

describe('calendar invitation', () => {
  it('escapes text, writes UTC times and folds long lines at 75 octets', () => {
    const ics = buildInvite({
      method: 'REQUEST',
      sessionId: 42,
      uidDomain: 'classes.example',
      sequence: 7,
      title: session.title,
      description: 'Line one\nLine two, with a comma',
      startsAt: session.startsAt,
      durationMinutes: 90,
      joinUrl: session.joinUrl,
      organizerEmail: 'classes@example.test',
      attendee: { name: 'Zoë "Z" Ödegaard', email: 'zoe@example.test' },
      stamp: new Date('2026-01-01T00:00:00Z'),
    });
    const lines = ics.split('\r\n');
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(lines.every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Defensive Driving\\; Part 1\\, evening');
    expect(unfolded).toContain('DESCRIPTION:Line one\\nLine two\\, with a comma');
    expect(unfolded).toContain('DTSTART:20260308T170000Z\r\nDTEND:20260308T183000Z');
    expect(unfolded).toContain('UID:class-session-42@classes.example\r\nSEQUENCE:7');
    expect(unfolded).toContain('ATTENDEE;CN="Zoë Z Ödegaard"');
  });
});

describe('message templates', () => {
  const context = {
    student: { name: '<script>x</script>', email: 's@example.test' },
    mailFrom: 'A <a@example.test>',
    uidDomain: 'd',
    now: new Date(),
  };

  it('escapes every value in the HTML body', () => {
    const hostile = { ...session, title: '<img src=x onerror=alert(1)>' };
    const message = renderStudentMessage(hostile, { kind: 'meeting_ready', revision: 2 }, context);
    expect(message.email.html).not.toContain('<script>');
    expect(message.email.html).not.toContain('<img');
    expect(message.email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves the join link out of a cancellation and its invitation', () => {
    const message = renderStudentMessage(session, { kind: 'cancelled', revision: 3 }, context);
    expect(message.email.icsMethod).toBe('CANCEL');
    expect(message.email.ics).not.toContain('URL:');
    expect(message.sms).toContain('cancelled');
    expect(message.email.text).toContain('Sunday, March 8, 2026, 10:00 AM PDT');
  });
});

describe('phone numbers, masks and roster files', () => {
  it('accepts E.164 numbers with common punctuation and refuses numbers without a country code', () => {
    expect(normalizePhone('+1 (415) 555-0123')).toBe('+14155550123');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('4155550123')).toBeUndefined();
    expect(normalizePhone('+0123456789')).toBeUndefined();
    expect(normalizePhone('+1415555012345678')).toBeUndefined();
  });

  it('masks emails and phones', () => {
    expect(maskEmail('jane@example.com')).toBe('j***@example.com');
    expect(maskPhone('+14155550123')).toBe('+1******0123');
  });

  it('reads quoted CSV fields, a byte-order mark and columns in any order', () => {
    const parsed = parseRosterCsv('\uFEFFEmail,Name,SMS Opt-In\n"a@x.test","Doe, ""J""",yes\n\n');
    expect(parsed.rows).toEqual([
      { line: 2, raw: { name: 'Doe, "J"', email: 'a@x.test', phone: '', smsOptIn: true } },
    ]);
    expect(parseRosterCsv('first,last\n').problem).toBeDefined();
  });
});
