/**
 * Posts event notifications the way Zoom does: signed with the Secret Token
 * (`x-zm-signature: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body))`), counted as
 * delivered only on 200 or 204 within the timeout, otherwise retried after each of the
 * configured delays (Zoom: 5, 20 and 60 minutes), then given up. Every attempt is recorded.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import type { ResolvedSimulatorOptions } from './simulator-options.js';

/** One try at delivering an event. */
export interface WebhookAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly ok: boolean;
}

/** One event and every attempt at delivering it. */
export interface WebhookDelivery {
  readonly id: string;
  readonly event: string;
  readonly url: string | null;
  readonly createdAt: string;
  readonly attempts: WebhookAttempt[];
  state: 'pending' | 'delivered' | 'failed' | 'not_sent';
  /** For `endpoint.url_validation`: whether the answer carried the right encryptedToken. */
  validation?: 'passed' | 'failed';
}

interface AttemptResult {
  readonly attempt: WebhookAttempt;
  readonly responseText: string;
}

/** HMAC-SHA256 in hex, Zoom's signature and url-validation primitive. */
export function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Sends, retries and records webhook deliveries. */
export class WebhookSender {
  readonly #config: ResolvedSimulatorOptions;
  readonly #deliveries: WebhookDelivery[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(config: ResolvedSimulatorOptions) {
    this.#config = config;
  }

  /** Every delivery so far, oldest first. */
  deliveries(): WebhookDelivery[] {
    return [...this.#deliveries];
  }

  /** Sends an event; resolves after the first attempt, retries run in the background. */
  async send(event: string, payload: Record<string, unknown>): Promise<WebhookDelivery> {
    const body = JSON.stringify({ event, event_ts: this.#config.now(), payload });
    const delivery = this.#newDelivery(event);
    if (delivery.url === null) return delivery;

    await this.#attempt(delivery, body, 0);
    return delivery;
  }

  /** Sends `endpoint.url_validation` once (Zoom does not retry it) and checks the answer. */
  async validateUrl(): Promise<WebhookDelivery> {
    const plainToken = randomBytes(16).toString('base64url');
    const payload = { plainToken };
    const body = JSON.stringify({
      payload,
      event_ts: this.#config.now(),
      event: 'endpoint.url_validation',
    });
    const delivery = this.#newDelivery('endpoint.url_validation');
    if (delivery.url === null) return delivery;

    const { attempt, responseText } = await this.#post(delivery.url, body, 1);
    delivery.attempts.push(attempt);
    delivery.state = attempt.ok ? 'delivered' : 'failed';
    delivery.validation = this.#validationPassed(plainToken, responseText) ? 'passed' : 'failed';
    return delivery;
  }

  /** Cancels pending retries (the simulator is closing or being reset). */
  cancelRetries(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Forgets every delivery and cancels pending retries. */
  reset(): void {
    this.cancelRetries();
    this.#deliveries.length = 0;
  }

  #newDelivery(event: string): WebhookDelivery {
    const url = this.#config.webhookUrl ?? null;
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      event,
      url,
      createdAt: new Date(this.#config.now()).toISOString(),
      attempts: [],
      state: url === null ? 'not_sent' : 'pending',
    };
    this.#deliveries.push(delivery);
    return delivery;
  }

  async #attempt(delivery: WebhookDelivery, body: string, retryIndex: number): Promise<void> {
    const { attempt } = await this.#post(delivery.url ?? '', body, retryIndex + 1);
    delivery.attempts.push(attempt);
    this.#config.logger?.info(
      {
        deliveryId: delivery.id,
        event: delivery.event,
        attempt: attempt.attempt,
        status: attempt.status,
      },
      'simulated zoom webhook attempt',
    );
    if (attempt.ok) {
      delivery.state = 'delivered';
      return;
    }

    const delay = this.#config.webhookRetryDelaysMs[retryIndex];
    if (delay === undefined) {
      delivery.state = 'failed';
      return;
    }
    this.#schedule(delay, () => this.#attempt(delivery, body, retryIndex + 1));
  }

  #schedule(delayMs: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void work();
    }, delayMs);
    this.#timers.add(timer);
  }

  async #post(url: string, body: string, attemptNumber: number): Promise<AttemptResult> {
    const startedAt = this.#config.now();
    const started = performance.now();
    const timestamp = String(Math.floor(startedAt / 1000));
    const record = (status: number | null, error: string | null, ok: boolean): WebhookAttempt => ({
      attempt: attemptNumber,
      at: new Date(startedAt).toISOString(),
      status,
      durationMs: Math.round(performance.now() - started),
      error,
      ok,
    });

    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: this.#headers(timestamp, body),
        body,
        signal: AbortSignal.timeout(this.#config.webhookTimeoutMs),
      });
      const responseText = await response.text();
      const ok = response.status === 200 || response.status === 204;
      return {
        attempt: record(response.status, ok ? null : `status ${response.status}`, ok),
        responseText,
      };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const message = timedOut
        ? `no answer within ${this.#config.webhookTimeoutMs} ms`
        : describe(error);
      return { attempt: record(null, message, false), responseText: '' };
    }
  }

  #headers(timestamp: string, body: string): Record<string, string> {
    const signature = hmacHex(this.#config.webhookSecretToken, `v0:${timestamp}:${body}`);
    return {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Zoom Marketplace/1.0a',
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': `v0=${signature}`,
      'x-zm-trackingid': `v=2.0;clid=us06;rid=${randomBytes(16).toString('hex')}`,
      clientid: this.#config.clientId,
    };
  }

  #validationPassed(plainToken: string, responseText: string): boolean {
    try {
      const answer = JSON.parse(responseText) as Record<string, unknown>;
      const expected = hmacHex(this.#config.webhookSecretToken, plainToken);
      return answer.plainToken === plainToken && answer.encryptedToken === expected;
    } catch {
      return false;
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
