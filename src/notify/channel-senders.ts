/** What the delivery worker hands to a channel, and what a channel promises back. */

/** An email ready for a transport. */
export interface OutgoingEmail {
  readonly outboxId: number;
  readonly from: string;
  readonly to: string;
  readonly toName: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly ics: string | null;
  readonly icsMethod: string | null;
}

/** An SMS ready for a transport. */
export interface OutgoingSms {
  readonly outboxId: number;
  readonly to: string;
  readonly body: string;
}

/** The provider's id of an accepted message, when it gives one. */
export interface SendReceipt {
  readonly providerMessageId?: string | undefined;
}

/** Sends email; throws a `deliveryFailure` error when refused. */
export interface EmailSender {
  readonly transport: 'smtp' | 'dev';
  send(email: OutgoingEmail): Promise<SendReceipt>;
  close(): void;
}

/** Sends SMS; throws a `deliveryFailure` error when refused. */
export interface SmsSender {
  readonly transport: 'twilio' | 'dev';
  send(sms: OutgoingSms): Promise<SendReceipt>;
}
