/**
 * The development outbox: without SMTP or Twilio settings, messages are written to the table
 * `notify_dev_outbox` and shown at `/dev/outbox`, so a newcomer can see every message the
 * product would send. Production never uses it (SMTP is required there, and without Twilio
 * settings production sends no SMS at all).
 */
import type { Queryable } from '../db/database.js';
import type {
  EmailSender,
  OutgoingEmail,
  OutgoingSms,
  SendReceipt,
  SmsSender,
} from './channel-senders.js';

/** A message in the development outbox. */
export interface DevOutboxEntry {
  readonly id: number;
  readonly outboxId: number | null;
  readonly channel: 'email' | 'sms';
  readonly sender: string;
  readonly recipient: string;
  readonly subject: string | null;
  readonly textBody: string;
  readonly htmlBody: string | null;
  readonly ics: string | null;
  readonly createdAt: Date;
}

/** Email into the development outbox. */
export class DevEmailSender implements EmailSender {
  readonly transport = 'dev' as const;

  constructor(private readonly db: Queryable) {}

  async send(email: OutgoingEmail): Promise<SendReceipt> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO notify_dev_outbox
         (outbox_id, channel, sender, recipient, subject, text_body, html_body, ics)
       VALUES ($1, 'email', $2, $3, $4, $5, $6, $7) RETURNING id`,
      [email.outboxId, email.from, email.to, email.subject, email.text, email.html, email.ics],
    );
    return { providerMessageId: `dev-${rows[0]?.id ?? 0}` };
  }

  close(): void {}
}

/** SMS into the development outbox. */
export class DevSmsSender implements SmsSender {
  readonly transport = 'dev' as const;

  constructor(private readonly db: Queryable) {}

  async send(sms: OutgoingSms): Promise<SendReceipt> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO notify_dev_outbox (outbox_id, channel, sender, recipient, text_body)
       VALUES ($1, 'sms', 'SMS (no Twilio settings)', $2, $3) RETURNING id`,
      [sms.outboxId, sms.to, sms.body],
    );
    return { providerMessageId: `dev-${rows[0]?.id ?? 0}` };
  }
}

/** The newest entries of the development outbox. */
export async function listDevOutbox(db: Queryable, limit = 200): Promise<DevOutboxEntry[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, outbox_id, channel, sender, recipient, subject, text_body, html_body, ics, created_at
       FROM notify_dev_outbox ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toEntry);
}

/** One entry of the development outbox. */
export async function findDevOutboxEntry(
  db: Queryable,
  id: number,
): Promise<DevOutboxEntry | undefined> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, outbox_id, channel, sender, recipient, subject, text_body, html_body, ics, created_at
       FROM notify_dev_outbox WHERE id = $1`,
    [id],
  );
  return rows[0] ? toEntry(rows[0]) : undefined;
}

function toEntry(row: Record<string, unknown>): DevOutboxEntry {
  return {
    id: Number(row['id']),
    outboxId: row['outbox_id'] === null ? null : Number(row['outbox_id']),
    channel: row['channel'] as DevOutboxEntry['channel'],
    sender: row['sender'] as string,
    recipient: row['recipient'] as string,
    subject: row['subject'] as string | null,
    textBody: row['text_body'] as string,
    htmlBody: row['html_body'] as string | null,
    ics: row['ics'] as string | null,
    createdAt: new Date(row['created_at'] as string),
  };
}
