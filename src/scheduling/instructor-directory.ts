/**
 * Instructors as scheduling sees them: who they are and where their Zoom link stands, read from
 * `zoom_connections` (owned by the connections module; this module only reads it).
 */
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/** Zoom's user `type` values and the names staff know them by. */
const planNames: Readonly<Record<number, string>> = {
  1: 'Basic',
  2: 'Licensed',
  3: 'On-prem',
  4: 'Unassigned without Meetings Basic',
  99: 'None',
};

/** Zoom's plan type for Basic (free) hosts, whose meetings end after 40 minutes. */
export const ZOOM_PLAN_BASIC = 1;

/** The name of a Zoom plan type; null when unknown. */
export function planNameOf(planType: number | null): string | null {
  if (planType === null) return null;
  return planNames[planType] ?? `Type ${planType}`;
}

/** An instructor and the state of their Zoom link. */
export interface InstructorInfo {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  /** `connected`, `broken`, `deauthorized`, `disconnected`, or `none` when never connected. */
  readonly connectionStatus: string;
  readonly connectionReason: string | null;
  readonly connected: boolean;
  readonly zoomEmail: string | null;
  readonly zoomDisplayName: string | null;
  readonly planType: number | null;
  readonly planName: string | null;
  readonly connectedAt: Date | null;
}

interface InstructorRow {
  id: string;
  name: string;
  email: string;
  status: string | null;
  status_reason: string | null;
  zoom_email: string | null;
  zoom_display_name: string | null;
  zoom_plan_type: number | null;
  connected_at: Date | string | null;
}

const QUERY = `SELECT u.id, u.name, u.email, c.status, c.status_reason, c.zoom_email,
                      c.zoom_display_name, c.zoom_plan_type, c.connected_at
                 FROM users u LEFT JOIN zoom_connections c ON c.instructor_id = u.id
                WHERE u.role = 'instructor'`;

/** Every instructor, by name. */
export async function listInstructors(db: Queryable): Promise<InstructorInfo[]> {
  const { rows } = await db.query<InstructorRow>(`${QUERY} ORDER BY u.name, u.id`);
  return rows.map(toInfo);
}

/** One instructor; `VALIDATION_FAILED` on `field` when there is no such instructor. */
export async function getInstructor(
  db: Queryable,
  id: number,
  field = 'instructorId',
): Promise<InstructorInfo> {
  const { rows } = await db.query<InstructorRow>(`${QUERY} AND u.id = $1`, [id]);
  if (!rows[0]) {
    throw new AppError('VALIDATION_FAILED', `invalid ${field}`, {
      fields: [{ field, message: 'must be the id of an instructor' }],
      detail: `These fields are invalid: ${field}.`,
    });
  }
  return toInfo(rows[0]);
}

function toInfo(row: InstructorRow): InstructorInfo {
  const connected = row.status === 'connected';
  return {
    id: Number(row.id),
    name: row.name,
    email: row.email,
    connectionStatus: row.status ?? 'none',
    connectionReason: row.status_reason,
    connected,
    zoomEmail: connected ? row.zoom_email : null,
    zoomDisplayName: connected ? row.zoom_display_name : null,
    planType: connected ? row.zoom_plan_type : null,
    planName: connected ? planNameOf(row.zoom_plan_type) : null,
    connectedAt: connected && row.connected_at !== null ? new Date(row.connected_at) : null,
  };
}
