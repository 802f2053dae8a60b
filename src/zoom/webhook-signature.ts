/**
 * Verification of Zoom's webhook signature, `x-zm-signature: v0=<hex>` where the hex is
 * HMAC-SHA256 under the app's Secret Token over `v0:<x-zm-request-timestamp>:<raw body>`.
 * The raw request bytes are signed, not a re-serialised JSON: one space changes the signature.
 * The comparison is constant-time. Zoom publishes no freshness window; the product allows
 * ±300 s around its clock, which also bounds replays of a captured request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { AppError } from '../errors/app-error.js';

/** Why a webhook failed verification. */
export type WebhookRejection =
  'WEBHOOK_HEADERS_MISSING' | 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_TIMESTAMP_STALE';

/** Outcome of a verification; `timestampSeconds` is set when the timestamp was checked. */
export type WebhookVerification =
  | { readonly ok: true; readonly timestampSeconds?: number }
  | { readonly ok: false; readonly code: WebhookRejection };

/** What a verification needs. Header values are passed as the web framework hands them over. */
export interface VerifyWebhookInput {
  readonly secret: string;
  readonly timestampHeader: string | string[] | undefined;
  readonly signatureHeader: string | string[] | undefined;
  readonly rawBody: Buffer;
  readonly nowMs: number;
  /**
   * Allowed distance between the timestamp and `nowMs`; default 300. `false` switches the
   * freshness check off, with the timestamp taken as opaque text: only for replaying published
   * test vectors, never for requests.
   */
  readonly toleranceSeconds?: number | false;
}

const SIGNATURE_FORMAT = /^v0=[0-9a-f]{64}$/;

/** The `x-zm-signature` value for a timestamp and raw body. */
export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);

  hmac.update(`v0:${timestamp}:`, 'utf8');
  hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Checks headers, then the signature, then freshness. Never throws. */
export function verifyWebhookSignature(input: VerifyWebhookInput): WebhookVerification {
  const timestamp = singleHeader(input.timestampHeader);
  const signature = singleHeader(input.signatureHeader);
  const tolerance = input.toleranceSeconds ?? 300;

  if (timestamp === undefined || signature === undefined) return reject('WEBHOOK_HEADERS_MISSING');
  if (!SIGNATURE_FORMAT.test(signature.toLowerCase())) return reject('WEBHOOK_HEADERS_MISSING');
  if (tolerance !== false && !/^\d{1,12}$/.test(timestamp))
    return reject('WEBHOOK_HEADERS_MISSING');

  const expected = signWebhook(input.secret, timestamp, input.rawBody);
  if (!sameText(expected, signature.toLowerCase())) return reject('WEBHOOK_SIGNATURE_INVALID');
  if (tolerance === false) return { ok: true };

  const timestampSeconds = Number(timestamp);
  if (Math.abs(input.nowMs / 1000 - timestampSeconds) > tolerance)
    return reject('WEBHOOK_TIMESTAMP_STALE');

  return { ok: true, timestampSeconds };
}

/** Like verifyWebhookSignature, but throws the rejection as an AppError (status 401). */
export function assertWebhookSignature(input: VerifyWebhookInput): void {
  const result = verifyWebhookSignature(input);
  if (result.ok) return;

  throw new AppError(result.code, 'zoom webhook not verified');
}

/** The answer to `endpoint.url_validation`: the plain token and its HMAC-SHA256 in hex. */
export function urlValidationResponse(
  secret: string,
  plainToken: string,
): { plainToken: string; encryptedToken: string } {
  const encryptedToken = createHmac('sha256', secret).update(plainToken, 'utf8').digest('hex');

  return { plainToken, encryptedToken };
}

// Two copies of one header (an array) are as suspect as none.
function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// timingSafeEqual throws on unequal lengths; a length mismatch is simply a failed match.
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');

  return left.length === right.length && timingSafeEqual(left, right);
}

function reject(code: WebhookRejection): WebhookVerification {
  return { ok: false, code };
}
