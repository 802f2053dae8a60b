import type { Logger } from 'pino';

import type { SimUser } from './user-directory.js';

/** The five granular scopes the product's Marketplace app is configured with. */
export const defaultGrantedScopes: readonly string[] = [
  'user:read:user',
  'meeting:write:meeting',
  'meeting:read:meeting',
  'meeting:update:meeting',
  'meeting:delete:meeting',
];

/** Zoom's retry schedule for a failed webhook delivery: +5 min, +20 min, +60 min. */
export const zoomWebhookRetryDelaysMs: readonly number[] = [300_000, 1_200_000, 3_600_000];

/** Request budgets the simulator enforces; Zoom's Pro plan figures by default. */
export interface SimRateLimits {
  /** Light requests per account and second (get user, get/update/delete meeting). */
  readonly lightPerSecond: number;
  /** Medium requests per account and second (create meeting). */
  readonly mediumPerSecond: number;
  /** Meeting creates plus updates per host user and UTC day. */
  readonly meetingWritesPerUserPerDay: number;
}

/** Everything a simulator can be started with; all fields are optional. */
export interface SimulatorOptions {
  /** The Marketplace app's Client ID. */
  clientId?: string;
  /** The Marketplace app's Client Secret. */
  clientSecret?: string;
  /** The app's webhook Secret Token, the HMAC key of `x-zm-signature`. */
  webhookSecretToken?: string;
  /** Exact allow-list of OAuth redirect URIs; an empty list allows none. */
  redirectUris?: readonly string[];
  /** Where event notifications are posted; without it events are recorded but not sent. */
  webhookUrl?: string;
  /** Lifetime of an access token in seconds (Zoom: 3600). */
  accessTokenTtlSeconds?: number;
  /** Scopes every grant carries. */
  grantedScopes?: readonly string[];
  /** The simulated Zoom users; each is the owner of its own Zoom account. */
  users?: readonly SimUser[];
  /** Per-second and per-day budgets; missing fields keep Zoom's Pro figures. */
  rateLimits?: Partial<SimRateLimits>;
  /** Waits before each webhook retry; its length is the number of retries. */
  webhookRetryDelaysMs?: readonly number[];
  /** A webhook answer later than this counts as failed (Zoom: 3 seconds). */
  webhookTimeoutMs?: number;
  /** The app name shown on the consent and Marketplace pages. */
  appName?: string;
  /** Base URL the simulator is reached at; by default derived from each request. */
  publicUrl?: string;
  /** Where the simulator logs; silent without it. */
  logger?: Logger;
  /** The clock in milliseconds since the epoch; tests pass their own to move time. */
  now?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedSimulatorOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecretToken: string;
  readonly redirectUris: readonly string[];
  webhookUrl: string | undefined;
  accessTokenTtlSeconds: number;
  grantedScopes: readonly string[];
  readonly users: readonly SimUser[];
  readonly rateLimits: SimRateLimits;
  readonly webhookRetryDelaysMs: readonly number[];
  readonly webhookTimeoutMs: number;
  readonly appName: string;
  readonly publicUrl: string | undefined;
  readonly logger: Logger | undefined;
  readonly now: () => number;
}

/** Demo Zoom users: a Licensed and a Basic instructor, each on their own account. */
export const defaultSimUsers: readonly SimUser[] = [
  {
    id: 'KDcuGIm1QgePTO8WbOqwIQ',
    account_id: 'q6gBJVO5TzexKYTb_I2rpg',
    email: 'maria.lopez@example.com',
    first_name: 'Maria',
    last_name: 'Lopez',
    type: 2,
    timezone: 'America/Los_Angeles',
  },
  {
    id: 'z8yBXksPRMa7q3VbLX1Rwg',
    account_id: 'Ut2qAB7cR7iXmmBQyS8pbw',
    email: 'dan.brooks@example.com',
    first_name: 'Dan',
    last_name: 'Brooks',
    type: 1,
    timezone: 'America/Los_Angeles',
  },
  {
    id: 'pS1nLd0eT3yq9C6mKQwE4A',
    account_id: 'Hc5Vf0mZRxW2bq7uYt1NsA',
    email: 'priya.shah@example.com',
    first_name: 'Priya',
    last_name: 'Shah',
    type: 2,
    timezone: 'America/New_York',
  },
];

const proRateLimits: SimRateLimits = {
  lightPerSecond: 30,
  mediumPerSecond: 20,
  meetingWritesPerUserPerDay: 100,
};

/** Fills in every default; the demo credentials are fixed so a newcomer's setup just works. */
export function resolveSimulatorOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  return {
    clientId: options.clientId ?? 'sim_client_id',
    clientSecret: options.clientSecret ?? 'sim_client_secret',
    webhookSecretToken: options.webhookSecretToken ?? 'sim_webhook_secret_token',
    redirectUris: options.redirectUris ?? ['http://localhost:3000/callback/'],
    webhookUrl: options.webhookUrl,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    grantedScopes: options.grantedScopes ?? defaultGrantedScopes,
    users: options.users ?? defaultSimUsers,
    rateLimits: { ...proRateLimits, ...options.rateLimits },
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? zoomWebhookRetryDelaysMs,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 3000,
    appName: options.appName ?? 'California Safe Driver',
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    logger: options.logger,
    now: options.now ?? Date.now,
  };
}
