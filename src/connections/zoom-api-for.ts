/** The Zoom REST client bound to one instructor: every token comes from the TokenService. */
import type { AppContext } from '../app/app-context.js';
import { ZoomApiClient, type ZoomApiClientOptions } from '../zoom/api-client.js';
import { TokenService } from './token-service.js';

/** Settings of the bound client other than where it gets its tokens. */
export type ZoomApiForOptions = Partial<Omit<ZoomApiClientOptions, 'getAccessToken' | 'apiUrl'>>;

/**
 * A REST client acting on the instructor's own Zoom account. A 401 code 124 from Zoom makes
 * the client ask once for `forceRefresh`, which the TokenService serializes like any refresh.
 */
export function zoomApiFor(
  ctx: AppContext,
  instructorId: number,
  options: ZoomApiForOptions = {},
): ZoomApiClient {
  const tokens = new TokenService(ctx);

  return new ZoomApiClient({
    logger: ctx.log.child({ instructorId }),
    now: () => ctx.clock.now(),
    ...options,
    apiUrl: ctx.zoomApp.apiUrl,
    getAccessToken: (request) => tokens.getAccessToken(instructorId, request),
  });
}
