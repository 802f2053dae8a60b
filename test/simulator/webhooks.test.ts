import { createHmac } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import {
  basic,
  connect,
  eventually,
  maria,
  startReceiver,
  startTestSimulator,
  webhookSecret,
  type ReceivedHook,
} from './simulator-harness.js';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let sim: Sim | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await sim?.close();
  await receiver?.app.close();
});

function hex(message: string): string {
  return createHmac('sha256', webhookSecret).update(message).digest('hex');
}

function signatureValid(hook: ReceivedHook): boolean {
  const timestamp = String(hook.headers['x-zm-request-timestamp']);
  return hook.headers['x-zm-signature'] === `v0=${hex(`v0:${timestamp}:${hook.rawBody}`)}`;
}

async function setUp(
  answer: Parameters<typeof startReceiver>[0],
  options: Parameters<typeof startTestSimulator>[0] = {},
) {
  receiver = await startReceiver(answer);
  sim = await startTestSimulator({ webhookUrl: receiver.url, ...options });
  return { sim, receiver };
}

const ok = async () => ({ status: 200 });

describe('app_deauthorized', () => {
  it('follows a revoke with a signed app_deauthorized', async () => {
    const { sim, receiver } = await setUp(ok);
    const tokens = await connect(sim.url, maria);

    await fetch(`${sim.url}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: basic() },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    await eventually(() => receiver.received.length === 1);

    const hook = receiver.received[0] as ReceivedHook;
    expect(signatureValid(hook)).toBe(true);
    expect(hook.headers).toMatchObject({
      'user-agent': 'Zoom Marketplace/1.0a',
      clientid: 'test_client',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(String(hook.headers['x-zm-trackingid'])).not.toBe('');
    expect(Number(hook.headers['x-zm-request-timestamp'])).toBe(Math.floor(sim.clock.ms / 1000));
    expect(JSON.parse(hook.rawBody)).toEqual({
      event: 'app_deauthorized',
      event_ts: sim.clock.ms,
      payload: {
        account_id: 'q6gBJVO5TzexKYTb_I2rpg',
        user_id: maria,
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
        deauthorization_time: new Date(sim.clock.ms).toISOString(),
        client_id: 'test_client',
        user_data_retention: null,
      },
    });
    await eventually(() => sim.simulator.webhookDeliveries()[0]?.state === 'delivered');
  });

  it('retries a failing receiver after each delay and records every attempt', async () => {
    const { sim, receiver } = await setUp(async (_hook, index) => ({
      status: index < 2 ? 500 : 204,
    }));
    await connect(sim.url, maria);

    await sim.simulator.deauthorize(maria);
    await eventually(() => receiver.received.length === 3);

    await eventually(() => sim.simulator.webhookDeliveries()[0]?.state === 'delivered');
    const attempts = sim.simulator.webhookDeliveries()[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 204]);
    expect(attempts.map((attempt) => attempt.ok)).toEqual([false, false, true]);
    expect(receiver.received.every(signatureValid)).toBe(true);
    expect(sim.simulator.counters().webhookAttempts).toEqual({ app_deauthorized: 3 });
  });

  it('gives up after three retries', async () => {
    const { sim, receiver } = await setUp(async () => ({ status: 503 }));
    await connect(sim.url, maria);

    await sim.simulator.deauthorize(maria);
    await eventually(() => sim.simulator.webhookDeliveries()[0]?.state === 'failed');

    expect(receiver.received).toHaveLength(4);
  });

  it('counts an answer later than the timeout as failed', async () => {
    const slowFirst = async (_hook: ReceivedHook, index: number) => {
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 400));
      return { status: 200 };
    };
    const { sim } = await setUp(slowFirst, { webhookTimeoutMs: 150 });
    await connect(sim.url, maria);

    await sim.simulator.deauthorize(maria);
    await eventually(() => sim.simulator.webhookDeliveries()[0]?.state === 'delivered');

    const attempts = sim.simulator.webhookDeliveries()[0]?.attempts ?? [];
    expect(attempts[0]).toMatchObject({
      ok: false,
      status: null,
      error: expect.stringContaining('150 ms'),
    });
    expect(attempts[1]?.ok).toBe(true);
  });
});

describe('endpoint.url_validation', () => {
  it('passes when the receiver answers the right encryptedToken', async () => {
    const { sim, receiver } = await setUp(async (hook) => {
      const plainToken = JSON.parse(hook.rawBody).payload.plainToken as string;
      return { status: 200, body: { plainToken, encryptedToken: hex(plainToken) } };
    });

    const response = await fetch(`${sim.url}/_sim/webhooks/url-validation`, { method: 'POST' });
    const { delivery } = (await response.json()) as { delivery: { validation: string } };

    expect(delivery.validation).toBe('passed');
    expect(signatureValid(receiver.received[0] as ReceivedHook)).toBe(true);
    expect(JSON.parse((receiver.received[0] as ReceivedHook).rawBody).event).toBe(
      'endpoint.url_validation',
    );
  });

  it('fails when the encryptedToken is wrong', async () => {
    const { sim } = await setUp(async () => ({
      status: 200,
      body: { plainToken: 'x', encryptedToken: 'y' },
    }));

    const delivery = await sim.simulator.triggerUrlValidation();

    expect(delivery.validation).toBe('failed');
  });
});

describe('Marketplace Added Apps', () => {
  it('lists installers and removes the app in two steps, sending app_deauthorized', async () => {
    const { sim, receiver } = await setUp(ok);
    await connect(sim.url, maria);

    const list = await (await fetch(`${sim.url}/marketplace/manage/added-apps`)).text();
    const confirm = await fetch(`${sim.url}/marketplace/manage/added-apps/remove`, {
      method: 'POST',
      body: new URLSearchParams({ user_id: maria }),
    });
    const done = await fetch(`${sim.url}/marketplace/manage/added-apps/remove/confirm`, {
      method: 'POST',
      body: new URLSearchParams({ user_id: maria, reason: 'switching schools' }),
    });

    expect(list).toContain('maria.lopez@example.com');
    expect(await confirm.text()).toContain('Why are you removing this app?');
    expect(await done.text()).not.toContain('<td>Maria Lopez');
    expect(sim.simulator.grantList()).toHaveLength(0);
    await eventually(() => receiver.received.length === 1);
    expect(JSON.parse((receiver.received[0] as ReceivedHook).rawBody).payload.user_id).toBe(maria);
  });
});
