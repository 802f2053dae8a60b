/**
 * Class times as students read them: the weekday, date and clock time in the class's zone
 * (Pacific time for every class of the school), with the zone's abbreviation so that a student
 * outside California is not misled, e.g. "Sunday, March 8, 2026, 9:00 AM PDT".
 */
import { DateTime } from 'luxon';

/** The default zone of the school's classes. */
export const PACIFIC_ZONE = 'America/Los_Angeles';

/** Formats `at` in `zone` for a message to a student. */
export function formatClassTime(at: Date, zone: string = PACIFIC_ZONE): string {
  return DateTime.fromJSDate(at, { zone })
    .setLocale('en-US')
    .toFormat('cccc, LLLL d, yyyy, h:mm a ZZZZ');
}
