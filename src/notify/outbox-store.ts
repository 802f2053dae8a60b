/**
 * The outbox: one row per message, written before anything is sent. Queries of the delivery
 * path live here, one function each, so the rules that keep a message from going out twice
 * read in one place:
 *
 * - rows are inserted with `ON CONFLICT DO NOTHING` on the message key (session, student,
 *   channel, kind, version), so a second fan-out of the same change adds nothing;
 * - a sender claims a row with one conditional UPDATE; only `queued` and `retry` rows, or a
 *   `sending` claim older than the stale limit (its worker died), can be claimed;
 * - the attempt and the row's new status are written by one statement.
 */
import type { Queryable } from '../db/database.js';

/** Where a message stands. */
export type OutboxStatus = 'queued' | 'sending' | 'retry' | 'sent' | 'failed';

/** A message to insert. */
export interface NewOutboxRow {
  readonly audience: 'student' | 'staff';
  readonly sessionId: number | null;
  readonly studentId: number | null;
  readonly channel: 'email' | 'sms';
  readonly kind: string;
  readonly version: number;
  readonly alertKey?: string | undefined;
  readonly recipient: string;
  readonly recipientName: string | null;
  readonly subject: string | null;
  readonly textBody: string;
  readonly htmlBody: string | null;
  readonly ics: string | null;
  readonly icsMethod: string | null;
}

/** A stored message. */
export interface OutboxRow extends NewOutboxRow {
  readonly id: number;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly lastErrorCode: string | null;
  readonly lastErrorMessage: string | null;
  readonly permanentFailure: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly sentAt: Date | null;
}

const columns = [
  'audience',
  'session_id',
  'student_id',
  'channel',
  'kind',
  'version',
  'alert_key',
  'recipient',
  'recipient_name',
  'subject',
  'text_body',
  'html_body',
  'ics',
  'ics_method',
  'created_at',
  'updated_at',
] as const;

const selectList = `id, audience, session_id, student_id, channel, kind, version, alert_key,
  recipient, recipient_name, subject, text_body, html_body, ics, ics_method, status, attempts,
  last_error_code, last_error_message, permanent_failure, created_at, updated_at, sent_at`;

/** Inserts the rows not already present; returns the ids of those inserted. */
export async function insertOutboxRows(
  db: Queryable,
  rows: readonly NewOutboxRow[],
  now: Date,
): Promise<number[]> {
  if (rows.length === 0) return [];

  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = [
      row.audience,
      row.sessionId,
      row.studentId,
      row.channel,
      row.kind,
      row.version,
      row.alertKey ?? null,
      row.recipient,
      row.recipientName,
      row.subject,
      row.textBody,
      row.htmlBody,
      row.ics,
      row.icsMethod,
      now,
      now,
    ];
    const start = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });

  const { rows: inserted } = await db.query<{ id: number }>(
    `INSERT INTO notify_outbox (${columns.join(', ')}) VALUES ${tuples.join(', ')}
     ON CONFLICT DO NOTHING RETURNING id`,
    params,
  );
  return inserted.map((row) => row.id);
}

/** Ids of a change's messages that still wait for a first try. */
export async function queuedIdsOfChange(
  db: Queryable,
  sessionId: number,
  kind: string,
  version: number,
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM notify_outbox
      WHERE session_id = $1 AND kind = $2 AND version = $3 AND status = 'queued' ORDER BY id`,
    [sessionId, kind, version],
  );
  return rows.map((row) => row.id);
}

/** Claims a row for sending; undefined when it is sent, failed or claimed by a live worker. */
export async function claimOutboxRow(
  db: Queryable,
  id: number,
  now: Date,
  staleBefore: Date,
): Promise<OutboxRow | undefined> {
  const { rows } = await db.query<Record<string, unknown>>(
    `UPDATE notify_outbox
        SET status = 'sending', attempts = attempts + 1, claimed_at = $2, updated_at = $2
      WHERE id = $1
        AND (status IN ('queued', 'retry') OR (status = 'sending' AND claimed_at < $3))
      RETURNING ${selectList}`,
    [id, now, staleBefore],
  );
  return rows[0] ? toOutboxRow(rows[0]) : undefined;
}

/** What one try to send ended in. */
export interface AttemptRecord {
  readonly outboxId: number;
  readonly attempt: number;
  readonly transport: 'smtp' | 'twilio' | 'dev';
  readonly at: Date;
  readonly providerMessageId?: string | undefined;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
}

/** Records a successful attempt and marks the row sent, in one statement. */
export async function recordSent(db: Queryable, attempt: AttemptRecord): Promise<void> {
  await db.query(
    `WITH attempt AS (
       INSERT INTO notify_delivery_attempts
         (outbox_id, attempt, transport, outcome, provider_message_id, at)
       VALUES ($1, $2, $3, 'sent', $4, $5))
     UPDATE notify_outbox
        SET status = 'sent', sent_at = $5, updated_at = $5, provider_message_id = $4,
            last_error_code = NULL, last_error_message = NULL
      WHERE id = $1`,
    [
      attempt.outboxId,
      attempt.attempt,
      attempt.transport,
      attempt.providerMessageId ?? null,
      attempt.at,
    ],
  );
}

/**
 * Records a failed attempt and moves the row to `retry` or `failed`, in one statement. A row
 * that another worker has meanwhile marked sent keeps that status.
 */
export async function recordFailure(
  db: Queryable,
  attempt: AttemptRecord,
  outcome: { readonly permanent: boolean; readonly final: boolean },
): Promise<void> {
  const status = outcome.permanent || outcome.final ? 'failed' : 'retry';
  await db.query(
    `WITH attempt AS (
       INSERT INTO notify_delivery_attempts
         (outbox_id, attempt, transport, outcome, error_code, error_message, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7))
     UPDATE notify_outbox
        SET status = $8, last_error_code = $5, last_error_message = $6,
            permanent_failure = $9, updated_at = $7
      WHERE id = $1 AND status = 'sending'`,
    [
      attempt.outboxId,
      attempt.attempt,
      attempt.transport,
      outcome.permanent ? 'permanent_failure' : 'temporary_failure',
      attempt.errorCode ?? null,
      attempt.errorMessage ?? null,
      attempt.at,
      status,
      outcome.permanent,
    ],
  );
}

/**
 * Rows whose delivery job may be lost: claims older than `staleBefore` (the worker died between
 * send and bookkeeping) and rows queued or waiting to retry since before `idleBefore`.
 */
export async function findAbandonedRows(
  db: Queryable,
  staleBefore: Date,
  idleBefore: Date,
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM notify_outbox
      WHERE (status = 'sending' AND claimed_at < $1)
         OR (status IN ('queued', 'retry') AND updated_at < $2)
      ORDER BY id LIMIT 1000`,
    [staleBefore, idleBefore],
  );
  return rows.map((row) => row.id);
}

/** The messages of one session, newest first. */
export async function listSessionMessages(db: Queryable, sessionId: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${selectList} FROM notify_outbox WHERE session_id = $1 ORDER BY id DESC`,
    [sessionId],
  );
  return rows.map(toOutboxRow);
}

/** One message by id. */
export async function findOutboxRow(db: Queryable, id: number): Promise<OutboxRow | undefined> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${selectList} FROM notify_outbox WHERE id = $1`,
    [id],
  );
  return rows[0] ? toOutboxRow(rows[0]) : undefined;
}

function toOutboxRow(row: Record<string, unknown>): OutboxRow {
  const date = (value: unknown) => (value === null ? null : new Date(value as string));
  return {
    id: Number(row['id']),
    audience: row['audience'] as OutboxRow['audience'],
    sessionId: row['session_id'] === null ? null : Number(row['session_id']),
    studentId: row['student_id'] === null ? null : Number(row['student_id']),
    channel: row['channel'] as OutboxRow['channel'],
    kind: row['kind'] as string,
    version: Number(row['version']),
    alertKey: (row['alert_key'] as string | null) ?? undefined,
    recipient: row['recipient'] as string,
    recipientName: row['recipient_name'] as string | null,
    subject: row['subject'] as string | null,
    textBody: row['text_body'] as string,
    htmlBody: row['html_body'] as string | null,
    ics: row['ics'] as string | null,
    icsMethod: row['ics_method'] as string | null,
    status: row['status'] as OutboxStatus,
    attempts: Number(row['attempts']),
    lastErrorCode: row['last_error_code'] as string | null,
    lastErrorMessage: row['last_error_message'] as string | null,
    permanentFailure: row['permanent_failure'] === true,
    createdAt: new Date(row['created_at'] as string),
    updatedAt: new Date(row['updated_at'] as string),
    sentAt: date(row['sent_at']),
  };
}
