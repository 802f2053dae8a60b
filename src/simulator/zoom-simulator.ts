/**
 * The in-memory state of one simulated Zoom and the typed accessors tests in the same process
 * use. The HTTP routes (see `zoom-simulator-plugin.ts`) are thin layers over this object.
 */
import { randomBytes } from 'node:crypto';

import { FaultInjector } from './fault-injector.js';
import { MeetingStore, type SimMeeting } from './meeting-store.js';
import { OAuthGrants, type Grant, type GrantEnd } from './oauth-grants.js';
import { RateLimiter } from './rate-limiter.js';
import { RefreshHold } from './refresh-hold.js';
import { RequestLog, type LoggedRequest } from './request-log.js';
import { SimulatorCounters, type CounterSnapshot } from './simulator-counters.js';
import {
  resolveSimulatorOptions,
  type ResolvedSimulatorOptions,
  type SimulatorOptions,
} from './simulator-options.js';
import { UserDirectory, type SimUser } from './user-directory.js';
import { WebhookSender, type WebhookDelivery } from './webhook-sender.js';

/** A grant as shown to inspection: who and since when, never a token. */
export interface GrantView {
  readonly id: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly endReason: GrantEnd | null;
}

/** Settings an admin call may change while the simulator runs. */
export interface SimulatorSettings {
  accessTokenTtlSeconds?: number;
  grantedScopes?: readonly string[];
  webhookUrl?: string | null;
}

function grantView(grant: Grant): GrantView {
  return {
    id: grant.id,
    userId: grant.userId,
    scopes: grant.scopes,
    createdAt: new Date(grant.createdAt).toISOString(),
    endedAt: grant.endedAt === null ? null : new Date(grant.endedAt).toISOString(),
    endReason: grant.endReason,
  };
}

/** One simulated Zoom: its users, grants, meetings, limits, faults and webhooks. */
export class ZoomSimulator {
  readonly #options: SimulatorOptions;
  #config!: ResolvedSimulatorOptions;
  #users!: UserDirectory;
  #grants!: OAuthGrants;
  #meetings!: MeetingStore;
  #rateLimiter!: RateLimiter;
  #faults!: FaultInjector;
  #refreshHold!: RefreshHold;
  #webhooks!: WebhookSender;
  #counters!: SimulatorCounters;
  #requests!: RequestLog;
  readonly #startedAt: number;

  constructor(options: SimulatorOptions = {}) {
    this.#options = options;
    this.#build();
    this.#startedAt = this.#config.now();
  }

  /** The settings in force, with defaults filled in. */
  get config(): ResolvedSimulatorOptions {
    return this.#config;
  }

  /** The simulated Zoom users. */
  get users(): UserDirectory {
    return this.#users;
  }

  /** Codes, grants and tokens. */
  get grants(): OAuthGrants {
    return this.#grants;
  }

  /** Every meeting, by id. */
  get meetings(): MeetingStore {
    return this.#meetings;
  }

  /** Per-second and per-day budgets. */
  get rateLimiter(): RateLimiter {
    return this.#rateLimiter;
  }

  /** Injected faults per route: `simulator.faults.next('create_meeting', { kind: 'lost_answer' })`. */
  get faults(): FaultInjector {
    return this.#faults;
  }

  /** The hold on refresh grants. */
  get refreshHold(): RefreshHold {
    return this.#refreshHold;
  }

  /** The webhook sender. */
  get webhooks(): WebhookSender {
    return this.#webhooks;
  }

  /** The counters behind `counters()`. */
  get counterStore(): SimulatorCounters {
    return this.#counters;
  }

  /** The request log behind `requests()`. */
  get requestLog(): RequestLog {
    return this.#requests;
  }

  /** When the simulator started, in ms; shown as the users' `created_at`. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Live meetings hosted by a Zoom user, in full (deleted ones too when asked). */
  meetingsOf(userId: string, includeDeleted = false): SimMeeting[] {
    return this.#meetings.ofHost(userId, includeDeleted).map((meeting) => ({ ...meeting }));
  }

  /** Every counter, with webhook attempts per event. */
  counters(): CounterSnapshot {
    const snapshot = this.#counters.snapshot();
    for (const delivery of this.#webhooks.deliveries()) {
      snapshot.webhookAttempts[delivery.event] =
        (snapshot.webhookAttempts[delivery.event] ?? 0) + delivery.attempts.length;
    }
    return snapshot;
  }

  /** Every webhook delivery with its attempts, oldest first. */
  webhookDeliveries(): WebhookDelivery[] {
    return this.#webhooks.deliveries();
  }

  /** The request log, oldest first; only one route's calls when given. */
  requests(route?: string): LoggedRequest[] {
    return this.#requests.list(route);
  }

  /** Grants, live ones only unless asked; never their tokens. */
  grantList(includeEnded = false): GrantView[] {
    const grants = includeEnded ? this.#grants.allGrants() : this.#grants.liveGrants();
    return grants.map(grantView);
  }

  /** Adds a Zoom user or updates the fields given. */
  upsertUser(user: Partial<SimUser> & { id: string }): SimUser {
    return this.#users.upsert(user);
  }

  /** Changes settings at run time; new values apply to tokens issued from now on. */
  configure(settings: SimulatorSettings): void {
    if (settings.accessTokenTtlSeconds !== undefined) {
      this.#config.accessTokenTtlSeconds = settings.accessTokenTtlSeconds;
    }
    if (settings.grantedScopes !== undefined)
      this.#config.grantedScopes = [...settings.grantedScopes];
    if (settings.webhookUrl !== undefined)
      this.#config.webhookUrl = settings.webhookUrl ?? undefined;
  }

  /** Makes every access token issued so far expired. */
  expireAccessTokens(): number {
    return this.#grants.expireAccessTokens();
  }

  /** Sends `endpoint.url_validation` to the webhook URL and checks the answer. */
  triggerUrlValidation(): Promise<WebhookDelivery> {
    return this.#webhooks.validateUrl();
  }

  /**
   * Removes the app for a Zoom user, as the Marketplace "Remove" button does: ends the user's
   * grants and sends `app_deauthorized`. Resolves after the first delivery attempt.
   */
  async deauthorize(userId: string): Promise<WebhookDelivery | undefined> {
    const ended = this.#grants.revokeUser(userId, 'deauthorized');
    if (ended.length === 0) return undefined;

    return this.sendDeauthorized(userId);
  }

  /** Sends `app_deauthorized` for a user whose grant just ended. */
  sendDeauthorized(userId: string): Promise<WebhookDelivery> {
    const user = this.#users.get(userId);
    return this.#webhooks.send('app_deauthorized', {
      account_id: user?.account_id ?? '',
      user_id: userId,
      // Zoom's own identifier of the event, not the webhook signature.
      signature: randomBytes(32).toString('hex'),
      deauthorization_time: new Date(this.#config.now()).toISOString(),
      client_id: this.#config.clientId,
      user_data_retention: null,
    });
  }

  /** Forgets everything and starts again from the options given at construction. */
  reset(): void {
    this.close();
    this.#build();
  }

  /** Cancels pending webhook retries and releases held refreshes. */
  close(): void {
    this.#webhooks.cancelRetries();
    this.#refreshHold.release();
  }

  #build(): void {
    this.#config = resolveSimulatorOptions(this.#options);
    this.#users = new UserDirectory(this.#config.users);
    this.#grants = new OAuthGrants(this.#config);
    this.#meetings = new MeetingStore();
    this.#rateLimiter = new RateLimiter(this.#config.rateLimits, this.#config.now);
    this.#faults = new FaultInjector();
    this.#refreshHold = new RefreshHold();
    this.#webhooks = new WebhookSender(this.#config);
    this.#counters = new SimulatorCounters();
    this.#requests = new RequestLog();
  }
}
