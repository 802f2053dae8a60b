/**
 * The identity of one `app_deauthorized` event across Zoom's redeliveries: Zoom resends the
 * same body, so its user, `payload.signature` (Zoom's own id of the event, not the webhook
 * signature), `deauthorization_time` and `event_ts` stay the same. Only a SHA-256 of them is
 * stored, which is enough to recognise a repeat and holds no Zoom data.
 */
import { createHash } from 'node:crypto';

import type { AppDeauthorizedEvent } from '../zoom/webhook-event.js';

/** The event key of a verified, parsed `app_deauthorized` event. */
export function deauthorizationEventKey(event: AppDeauthorizedEvent): string {
  const parts = [
    event.userId,
    event.accountId,
    event.deauthorizationTime,
    event.zoomEventId,
    event.eventTs,
  ];

  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
