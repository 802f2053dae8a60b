/**
 * The table `zoom_deauthorizations`: one row per `app_deauthorized` event taken in. Its unique
 * `event_key` makes a redelivery recognisable; its `pending` state is the promise, made when
 * the connection row could not be locked in time, that the tokens will be deleted.
 */
import type { Queryable } from '../db/database.js';
import type { ClearedConnection } from './clear-zoom-user.js';

/** Where one deauthorization stands. */
export type DeauthorizationState = 'pending' | 'done' | 'no_connection';

/** A stored deauthorization. */
export interface DeauthorizationRecord {
  readonly id: number;
  readonly state: DeauthorizationState;
  readonly zoomUserId: string | null;
  readonly affected: ClearedConnection[];
  readonly staffAlertSent: boolean;
}

/** A new row to insert. */
export interface NewDeauthorization {
  readonly eventKey: string;
  readonly state: DeauthorizationState;
  readonly zoomUserId: string;
  readonly deauthorizedAt: Date;
  readonly affected: readonly ClearedConnection[];
}

interface Row {
  id: number;
  state: DeauthorizationState;
  zoom_user_id: string | null;
  affected: ClearedConnection[] | string;
  staff_alert_sent_at: Date | null;
}

const columns = 'id, state, zoom_user_id, affected, staff_alert_sent_at';

/**
 * True while a deauthorization of this Zoom user waits for the connection's lock. The token
 * service calls it under its `FOR UPDATE` lock, right before writing refreshed tokens, and
 * writes nothing when it is true: the app was removed while its refresh was in flight.
 */
export async function isDeauthorizationPending(
  tx: Queryable,
  zoomUserId: string,
): Promise<boolean> {
  const { rows } = await tx.query<{ pending: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM zoom_deauthorizations
                     WHERE zoom_user_id = $1 AND state = 'pending') AS pending`,
    [zoomUserId],
  );
  return rows[0]?.pending === true;
}

/** The deauthorization with this event key, if it was taken in before. */
export async function findDeauthorization(
  db: Queryable,
  eventKey: string,
): Promise<DeauthorizationRecord | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${columns} FROM zoom_deauthorizations WHERE event_key = $1`,
    [eventKey],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Locks one deauthorization by id (the finishing job). */
export async function lockDeauthorization(
  tx: Queryable,
  id: number,
): Promise<DeauthorizationRecord | undefined> {
  const { rows } = await tx.query<Row>(
    `SELECT ${columns} FROM zoom_deauthorizations WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Inserts a deauthorization; undefined when another delivery of the same event got there first. */
export async function insertDeauthorization(
  tx: Queryable,
  entry: NewDeauthorization,
): Promise<number | undefined> {
  const finished = entry.state !== 'pending';
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO zoom_deauthorizations
       (event_key, state, zoom_user_id, deauthorized_at, affected, finished_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::boolean THEN now() END)
     ON CONFLICT (event_key) DO NOTHING
     RETURNING id`,
    [
      entry.eventKey,
      entry.state,
      finished ? null : entry.zoomUserId,
      entry.deauthorizedAt,
      JSON.stringify(entry.affected),
      finished,
    ],
  );
  return rows[0]?.id;
}

/** Marks a pending deauthorization finished, forgetting the Zoom user id. */
export async function finishDeauthorization(
  tx: Queryable,
  id: number,
  affected: readonly ClearedConnection[],
): Promise<void> {
  await tx.query(
    `UPDATE zoom_deauthorizations
        SET state = $2, zoom_user_id = NULL, affected = $3, finished_at = now()
      WHERE id = $1`,
    [id, affected.length > 0 ? 'done' : 'no_connection', JSON.stringify(affected)],
  );
}

/** Notes that the staff alerts of a deauthorization were enqueued. */
export async function markStaffAlertSent(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE zoom_deauthorizations SET staff_alert_sent_at = now()
      WHERE id = $1 AND staff_alert_sent_at IS NULL`,
    [id],
  );
}

function toRecord(row: Row): DeauthorizationRecord {
  const affected = typeof row.affected === 'string' ? JSON.parse(row.affected) : row.affected;
  return {
    id: Number(row.id),
    state: row.state,
    zoomUserId: row.zoom_user_id,
    affected: affected as ClearedConnection[],
    staffAlertSent: row.staff_alert_sent_at !== null,
  };
}
