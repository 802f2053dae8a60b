/** The built-in Zoom simulator: what the product and the command line import. */
export { startZoomSimulator } from './start-zoom-simulator.js';
export type { RunningZoomSimulator, StandaloneSimulatorOptions } from './start-zoom-simulator.js';
export { zoomSimulatorPlugin } from './zoom-simulator-plugin.js';
export type { ZoomSimulatorPluginOptions } from './zoom-simulator-plugin.js';
export { ZoomSimulator } from './zoom-simulator.js';
export type { GrantView, SimulatorSettings } from './zoom-simulator.js';
export {
  defaultGrantedScopes,
  defaultSimUsers,
  resolveSimulatorOptions,
  zoomWebhookRetryDelaysMs,
} from './simulator-options.js';
export type { SimRateLimits, SimulatorOptions } from './simulator-options.js';
export type { SimUser } from './user-directory.js';
export type { SimMeeting } from './meeting-store.js';
export type { QueuedFault, RouteFaultRates, SimRouteName } from './fault-injector.js';
export type { WebhookAttempt, WebhookDelivery } from './webhook-sender.js';
export type { CounterSnapshot } from './simulator-counters.js';
export type { LoggedRequest } from './request-log.js';
