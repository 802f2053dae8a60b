/**
 * How a failed send is told apart: permanent failures (an SMTP 5xx answer, a Twilio 4xx
 * refusal) are recorded and never retried; everything else (SMTP 4xx, a dropped connection,
 * a timeout, Twilio 5xx or 429) is temporary and retried with backoff.
 */
import { AppError, isAppError } from '../errors/app-error.js';

/** Builds the coded error a sender throws. */
export function deliveryFailure(
  channel: 'email' | 'sms',
  message: string,
  detail: { readonly permanent: boolean; readonly providerCode: string; readonly cause?: unknown },
): AppError {
  const code = channel === 'email' ? 'MAIL_SEND_FAILED' : 'SMS_SEND_FAILED';
  return new AppError(code, message, {
    extra: { permanent: detail.permanent, providerCode: detail.providerCode },
    cause: detail.cause,
  });
}

/** What the outbox records about a failed send. */
export interface FailureFacts {
  readonly permanent: boolean;
  readonly providerCode: string;
  readonly message: string;
}

/** Reads a sender's error; anything unexpected counts as temporary. */
export function failureFacts(error: unknown): FailureFacts {
  if (isAppError(error, 'MAIL_SEND_FAILED') || isAppError(error, 'SMS_SEND_FAILED')) {
    return {
      permanent: error.extra?.['permanent'] === true,
      providerCode: String(error.extra?.['providerCode'] ?? error.code),
      message: error.message,
    };
  }
  return { permanent: false, providerCode: 'INTERNAL', message: 'unexpected error while sending' };
}
