/**
 * When an access token is renewed: when less than 5 minutes or half of its lifetime remains,
 * whichever is less. Zoom's tokens live an hour, so in practice 5 minutes ahead; a token with a
 * short life (tests, a future change at Zoom) is renewed at its half-life instead, so it is not
 * renewed on every single use.
 */

/** The largest margin ahead of expiry. */
export const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

/** True when a token issued at `issuedAt` and expiring at `expiresAt` should be renewed now. */
export function needsRefresh(issuedAt: Date | null, expiresAt: Date | null, now: Date): boolean {
  if (expiresAt === null) return true;

  const remaining = expiresAt.getTime() - now.getTime();
  const lifetime = issuedAt === null ? 0 : expiresAt.getTime() - issuedAt.getTime();
  const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetime / 2);

  return remaining < margin || remaining <= 0;
}
