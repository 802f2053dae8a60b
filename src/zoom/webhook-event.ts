/**
 * Reads a verified webhook body into a typed event. Only the two events the product acts on
 * are read in detail; any other Zoom event is kept as its name, so the route can answer 200
 * without processing it. `payload.signature` of `app_deauthorized` is Zoom's id of the event,
 * not a verification signature: it is read only to recognise Zoom's redeliveries.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import { AppError } from '../errors/app-error.js';

/** Zoom checks that the endpoint is ours; the answer is urlValidationResponse(plainToken). */
export interface UrlValidationEvent {
  readonly event: 'endpoint.url_validation';
  readonly plainToken: string;
}

/** A user removed the app: their tokens must be deleted. */
export interface AppDeauthorizedEvent {
  readonly event: 'app_deauthorized';
  readonly accountId: string;
  readonly userId: string;
  readonly deauthorizationTime: string;
  readonly clientId: string;
  /** Zoom's id of this event (`payload.signature`), '' when absent; same on every redelivery. */
  readonly zoomEventId: string;
  /** `event_ts` as text (Zoom puts it at the top or in the payload), '' when absent. */
  readonly eventTs: string;
}

/** Any other event, which the product does not handle. */
export interface OtherZoomEvent {
  readonly event: string;
  readonly kind: 'other';
}

/** A verified, validated Zoom webhook event. */
export type ZoomWebhookEvent = UrlValidationEvent | AppDeauthorizedEvent | OtherZoomEvent;

const Envelope = Type.Object({ event: Type.String({ minLength: 1 }), payload: Type.Object({}) });

const UrlValidationPayload = Type.Object({
  plainToken: Type.String({ minLength: 1, maxLength: 256 }),
});

const DeauthorizedPayload = Type.Object({
  account_id: Type.String({ minLength: 1 }),
  user_id: Type.String({ minLength: 1 }),
  deauthorization_time: Type.String({ minLength: 1 }),
  client_id: Type.String({ minLength: 1 }),
});

/** Parses a verified raw body; not JSON or not a Zoom event → `WEBHOOK_BODY_INVALID`. */
export function parseWebhookEvent(rawBody: Buffer | string): ZoomWebhookEvent {
  const body = parseJson(rawBody);
  const envelope = check(Envelope, body, '');

  if (envelope.event === 'endpoint.url_validation') {
    const payload = check(UrlValidationPayload, envelope.payload, 'payload');
    return { event: 'endpoint.url_validation', plainToken: payload.plainToken };
  }
  if (envelope.event === 'app_deauthorized') return deauthorized(envelope.payload, body);

  return { event: envelope.event, kind: 'other' };
}

function deauthorized(raw: unknown, body: unknown): AppDeauthorizedEvent {
  const payload = check(DeauthorizedPayload, raw, 'payload');
  const loose = raw as { signature?: unknown; event_ts?: unknown };
  const eventTs = (body as { event_ts?: unknown }).event_ts ?? loose.event_ts;

  return {
    event: 'app_deauthorized',
    accountId: payload.account_id,
    userId: payload.user_id,
    deauthorizationTime: payload.deauthorization_time,
    clientId: payload.client_id,
    zoomEventId: typeof loose.signature === 'string' ? loose.signature : '',
    eventTs: typeof eventTs === 'string' || typeof eventTs === 'number' ? String(eventTs) : '',
  };
}

function check<
  S extends typeof Envelope | typeof UrlValidationPayload | typeof DeauthorizedPayload,
>(schema: S, value: unknown, prefix: string): Static<S> {
  if (Value.Check(schema, value)) return value;

  const fields = [...new Set([...Value.Errors(schema, value)].map((error) => prefix + error.path))];
  throw new AppError('WEBHOOK_BODY_INVALID', 'zoom webhook body invalid', {
    fields: fields.map((field) => ({
      field: field.replace(/^\//, '').replace(/\//g, '.') || 'body',
      message: 'invalid',
    })),
  });
}

function parseJson(rawBody: Buffer | string): unknown {
  try {
    return JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    throw new AppError('WEBHOOK_BODY_INVALID', 'zoom webhook body not json');
  }
}
