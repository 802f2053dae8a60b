/** The Zoom OAuth client configured for this process's Zoom app, clock and logger. */
import type { AppContext } from '../app/app-context.js';
import { ZoomOAuthClient } from '../zoom/oauth-client.js';

/** Builds the OAuth client of the context's Zoom app (real Zoom or the simulator). */
export function zoomOAuthFor(
  ctx: AppContext,
  options: { timeoutMs?: number } = {},
): ZoomOAuthClient {
  return new ZoomOAuthClient({
    oauthUrl: ctx.zoomApp.oauthUrl,
    clientId: ctx.zoomApp.clientId,
    clientSecret: ctx.zoomApp.clientSecret,
    redirectUri: ctx.zoomApp.redirectUri,
    logger: ctx.log,
    now: () => ctx.clock.now(),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
