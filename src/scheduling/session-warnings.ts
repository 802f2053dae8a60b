/**
 * Warnings staff see beside a session (API `warnings`, and on the pages): the Basic plan's
 * 40-minute cap, and a host close to Zoom's 100 meeting creates and updates per UTC day.
 */
import {
  ZOOM_DAILY_WRITE_LIMIT,
  ZOOM_DAILY_WRITE_WARN_AT,
  type HostWriteLoad,
} from './host-write-count.js';
import { ZOOM_PLAN_BASIC, type InstructorInfo } from './instructor-directory.js';

/** One warning, as the API shows it. */
export interface SessionWarning {
  readonly code: 'BASIC_PLAN_40_MIN_CAP' | 'ZOOM_DAILY_LIMIT_NEAR';
  readonly message: string;
}

/** Zoom ends a Basic host's meetings after this many minutes. */
export const BASIC_PLAN_CAP_MINUTES = 40;

/** The warnings of a session of `durationMinutes` taught by `instructor`. */
export function sessionWarnings(
  instructor: InstructorInfo,
  durationMinutes: number,
  load: HostWriteLoad | undefined,
): SessionWarning[] {
  const warnings: SessionWarning[] = [];
  const basic = basicPlanWarning(instructor, durationMinutes);
  if (basic) warnings.push(basic);

  const daily = dailyLimitWarning(instructor, load, 0);
  if (daily) warnings.push(daily);
  return warnings;
}

/** The 40-minute cap warning, when the host is on Basic and the class is longer. */
export function basicPlanWarning(
  instructor: InstructorInfo,
  durationMinutes: number,
): SessionWarning | undefined {
  if (instructor.planType !== ZOOM_PLAN_BASIC || durationMinutes <= BASIC_PLAN_CAP_MINUTES)
    return undefined;

  return {
    code: 'BASIC_PLAN_40_MIN_CAP',
    message:
      `${instructor.name} is on Zoom's Basic plan, which ends meetings after 40 minutes; ` +
      `this ${durationMinutes}-minute class will be cut off unless the host upgrades.`,
  };
}

/**
 * The daily-limit warning, when the writes sent today, those waiting, and `adding` more would
 * reach the warning mark. Past the limit, the rest waits until 00:00 UTC.
 */
export function dailyLimitWarning(
  instructor: InstructorInfo,
  load: HostWriteLoad | undefined,
  adding: number,
): SessionWarning | undefined {
  const total = (load?.sentToday ?? 0) + (load?.waiting ?? 0) + adding;
  if (total < ZOOM_DAILY_WRITE_WARN_AT) return undefined;

  const over = total > ZOOM_DAILY_WRITE_LIMIT;
  return {
    code: 'ZOOM_DAILY_LIMIT_NEAR',
    message:
      `${instructor.name}'s Zoom account has ${load?.sentToday ?? 0} of its ${ZOOM_DAILY_WRITE_LIMIT} ` +
      `meeting creates and updates for today (UTC) used and ${(load?.waiting ?? 0) + adding} waiting` +
      (over ? '; changes past the limit wait until 00:00 UTC.' : '.'),
  };
}
