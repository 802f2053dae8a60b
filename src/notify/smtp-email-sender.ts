/**
 * Email over SMTP with nodemailer's pooled transport: a few long-lived connections shared by
 * every delivery job of the process, so a large fan-out does not open one connection per
 * message. The calendar invitation goes as nodemailer's `icalEvent`, which makes it a
 * text/calendar alternative with the iTIP method that mail programs look for.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailSender, OutgoingEmail, SendReceipt } from './channel-senders.js';
import { deliveryFailure } from './delivery-failure.js';

/** Options of the SMTP sender. */
export interface SmtpSenderOptions {
  readonly smtpUrl: string;
  readonly maxConnections?: number;
  /** The test hook of `Config.exitAfterSmtpSendForTests`; never set in production. */
  readonly exitAfterSendForTests?: boolean;
}

/** Exit status of a process stopped by the test hook, so a test can tell it from a crash. */
export const TEST_HOOK_EXIT_STATUS = 86;

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Sends email through one pooled SMTP transport. */
export class SmtpEmailSender implements EmailSender {
  readonly transport = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpSenderOptions) {
    this.transporter = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: 500,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as nodemailer.TransportOptions);
  }

  async send(email: OutgoingEmail): Promise<SendReceipt> {
    let info: { messageId?: string };
    try {
      info = await this.transporter.sendMail(toMailOptions(email));
    } catch (error) {
      throw classify(error as SmtpError);
    }

    // The one moment no mail protocol can make atomic: the server has the message, our
    // database does not know yet. The hook lets a test stop the process exactly here.
    if (this.options.exitAfterSendForTests) process.exit(TEST_HOOK_EXIT_STATUS);
    return { providerMessageId: info.messageId };
  }

  close(): void {
    this.transporter.close();
  }
}

function toMailOptions(email: OutgoingEmail): nodemailer.SendMailOptions {
  return {
    from: email.from,
    to: email.toName ? { name: email.toName, address: email.to } : email.to,
    subject: email.subject,
    text: email.text,
    ...(email.html ? { html: email.html } : {}),
    ...(email.ics
      ? {
          icalEvent: {
            method: email.icsMethod ?? 'REQUEST',
            filename: 'class.ics',
            content: email.ics,
          },
        }
      : {}),
    headers: { 'X-Outbox-Id': String(email.outboxId) },
  };
}

/** SMTP 5xx is permanent; 4xx, dropped connections and timeouts are temporary. */
function classify(error: SmtpError) {
  const status = error.responseCode;
  const permanent = status !== undefined && status >= 500;
  const providerCode = status !== undefined ? `smtp_${status}` : (error.code ?? 'smtp_error');
  const message =
    status !== undefined ? `smtp server answered ${status}` : 'smtp connection failed';
  return deliveryFailure('email', message, { permanent, providerCode, cause: error });
}
