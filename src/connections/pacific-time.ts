/** Dates as instructors read them: Pacific time, where the school teaches. */
import { DateTime } from 'luxon';

/** The school's time zone. */
export const SCHOOL_TIME_ZONE = 'America/Los_Angeles';

/** E.g. "Mon, Mar 10, 2025, 9:00 AM PDT". */
export function pacificTime(date: Date): string {
  return DateTime.fromJSDate(date)
    .setZone(SCHOOL_TIME_ZONE)
    .toFormat('ccc, LLL d, yyyy, h:mm a ZZZZ');
}
