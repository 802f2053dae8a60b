/**
 * Times as the school's people read them. Every class is taught from California, so Pacific
 * time is the default zone; the zone's abbreviation is always shown so that nobody outside
 * California is misled.
 */
import { DateTime } from 'luxon';

/** The school's zone, and the default zone of a class session. */
export const SCHOOL_TIME_ZONE = 'America/Los_Angeles';

/** For messages to students, e.g. "Sunday, March 8, 2026, 9:00 AM PDT". */
export function formatClassTime(at: Date, zone: string = SCHOOL_TIME_ZONE): string {
  return DateTime.fromJSDate(at, { zone })
    .setLocale('en-US')
    .toFormat('cccc, LLLL d, yyyy, h:mm a ZZZZ');
}

/** For pages, e.g. "Mon, Mar 10, 2025, 9:00 AM PDT". */
export function formatShortTime(at: Date, zone: string = SCHOOL_TIME_ZONE): string {
  return DateTime.fromJSDate(at, { zone })
    .setLocale('en-US')
    .toFormat('ccc, LLL d, yyyy, h:mm a ZZZZ');
}
