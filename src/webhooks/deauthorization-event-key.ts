/**
 * The identity of one `app_deauthorized` event across Zoom's redeliveries: Zoom resends the
 * same body, so its user, `payload.signature` (Zoom's own id of the event, not the webhook
 * signature), `deauthorization_time` and `event_ts` stay the same. Only a SHA-256 of them is
 * stored, which is enough to recognise a repeat and holds no Zoom data.
 */
import { createHash } from 'node:crypto';

import type { AppDeauthorizedEvent } from '../zoom/webhook-event.js';

/** The event key of a verified, parsed `app_deauthorized` body. */
export function deauthorizationEventKey(rawBody: Buffer, event: AppDeauthorizedEvent): string {
  const extra = readIdentityFields(rawBody);
  const parts = [
    event.userId,
    event.accountId,
    event.deauthorizationTime,
    extra.zoomEventId,
    extra.eventTs,
  ];

  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

// The parsed event keeps only what the product acts on; the two identity fields are read here.
function readIdentityFields(rawBody: Buffer): { zoomEventId: string; eventTs: string } {
  const body = JSON.parse(rawBody.toString('utf8')) as {
    event_ts?: unknown;
    payload?: { signature?: unknown; event_ts?: unknown };
  };
  const eventTs = body.event_ts ?? body.payload?.event_ts;

  return {
    zoomEventId: typeof body.payload?.signature === 'string' ? body.payload.signature : '',
    eventTs: typeof eventTs === 'string' || typeof eventTs === 'number' ? String(eventTs) : '',
  };
}
