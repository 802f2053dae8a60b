/**
 * Generated bad deliveries, each a would-be `app_deauthorized` (or url validation) for an
 * instructor who really is connected, so an accepted one would show in the database. None may
 * be accepted and the database must be exactly as before. The generator is seeded, so a
 * failure names a case that can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signWebhook } from '../../src/zoom/webhook-signature.js';
import { startZoomStack, testZoomApp, type ZoomStack } from '../support/zoom-fixture.js';
import {
  addSession,
  connectZoomUser,
  databaseSnapshot,
  deauthorizedBody,
  postWebhook,
  tokensLeft,
  type ConnectedInstructor,
} from './webhook-harness.js';
import { seededRandom } from '../../src/support/seeded-random.js';

const CASES = 1200;
const secret = testZoomApp.webhookSecretToken;

interface Delivery {
  readonly kind: string;
  readonly body: string | Buffer;
  readonly headers: Record<string, string>;
}

type Generator = (random: () => number, body: string, now: number) => Delivery;

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const between = (random: () => number, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));
const json = { 'content-type': 'application/json' };

function headersFor(timestamp: string, signature: string): Record<string, string> {
  return { ...json, 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature };
}

function flipByte(random: () => number, text: Buffer): Buffer {
  const copy = Buffer.from(text);
  const at = Math.floor(random() * copy.length);
  copy[at] = (copy[at] as number) ^ (1 << between(random, 0, 7));
  return copy;
}

function flipHex(random: () => number, signature: string): string {
  const at = between(random, 3, signature.length - 1);
  const digit = signature[at] as string;
  const other = pick(
    random,
    [...'0123456789abcdef'].filter((c) => c !== digit),
  );
  return signature.slice(0, at) + other + signature.slice(at + 1);
}

const generators: Record<string, Generator> = {
  otherSecret: (random, body, now) => {
    const key = pick(random, [
      '',
      'x',
      secret.toUpperCase(),
      `${secret} `,
      secret.slice(1),
      'sim_webhook_secret_token',
    ]);
    return {
      kind: 'otherSecret',
      body,
      headers: headersFor(String(now), signWebhook(key, String(now), body)),
    };
  },
  flippedBody: (random, body, now) => {
    const sent = flipByte(random, Buffer.from(body));
    return {
      kind: 'flippedBody',
      body: sent,
      headers: headersFor(String(now), signWebhook(secret, String(now), body)),
    };
  },
  flippedSignature: (random, body, now) => ({
    kind: 'flippedSignature',
    body,
    headers: headersFor(String(now), flipHex(random, signWebhook(secret, String(now), body))),
  }),
  stale: (random, body, now) => {
    const ts = String(now - between(random, 301, 10_000_000));
    return { kind: 'stale', body, headers: headersFor(ts, signWebhook(secret, ts, body)) };
  },
  future: (random, body, now) => {
    const ts = String(now + between(random, 301, 10_000_000));
    return { kind: 'future', body, headers: headersFor(ts, signWebhook(secret, ts, body)) };
  },
  milliseconds: (_random, body, now) => {
    const ts = String(now * 1000);
    return { kind: 'milliseconds', body, headers: headersFor(ts, signWebhook(secret, ts, body)) };
  },
  reserialized: (random, body, now) => {
    // Signed the way the sample recipe checks (JSON.stringify of the parsed body) but sent as
    // other bytes that parse to the same value: only a raw-byte check refuses it.
    const spaced = JSON.stringify(JSON.parse(body), null, between(random, 1, 4));
    return {
      kind: 'reserialized',
      body: spaced,
      headers: headersFor(String(now), signWebhook(secret, String(now), body)),
    };
  },
  missingHeaders: (random, body, now) => {
    const all = headersFor(String(now), signWebhook(secret, String(now), body));
    const drop = pick(random, [
      ['x-zm-signature'],
      ['x-zm-request-timestamp'],
      ['x-zm-signature', 'x-zm-request-timestamp'],
    ]);
    const headers = Object.fromEntries(
      Object.entries(all).filter(([name]) => !drop.includes(name)),
    );
    return { kind: 'missingHeaders', body, headers };
  },
  wrongPrefix: (random, body, now) => {
    const hex = signWebhook(secret, String(now), body).slice(3);
    // Leading white space is not part of an HTTP header value, so ' v0=' is no wrong prefix.
    const prefix = pick(random, ['', 'v1=', 'v0:', 'sha256=', 'v0= ', 'v00=', '=', 'V1=']);
    return { kind: 'wrongPrefix', body, headers: headersFor(String(now), `${prefix}${hex}`) };
  },
  malformedHeaders: (random, body, now) => {
    const good = signWebhook(secret, String(now), body);
    const choice = pick(random, [
      [`${now}.0`, good],
      [`+${now}`, good],
      [`${now}abc`, good],
      ['-1', good],
      ['', good],
      [String(now), good.slice(0, -1)],
      [String(now), `${good}0`],
      [String(now), `${good}, ${good}`],
    ]);
    return {
      kind: 'malformedHeaders',
      body,
      headers: headersFor(choice[0] as string, choice[1] as string),
    };
  },
  signedOtherTimestamp: (random, body, now) => {
    const signedAt = String(now - between(random, 1, 200));
    return {
      kind: 'signedOtherTimestamp',
      body,
      headers: headersFor(String(now), signWebhook(secret, signedAt, body)),
    };
  },
  huge: (random, body, now) => {
    const padded = `${body.slice(0, -1)},"pad":"${'x'.repeat(between(random, 65_536, 300_000))}"}`;
    return {
      kind: 'huge',
      body: padded,
      headers: headersFor(String(now), signWebhook(secret, String(now), padded)),
    };
  },
  wrongContentType: (random, body, now) => {
    const type = pick(random, [
      'text/plain',
      'application/x-www-form-urlencoded',
      'text/json',
      'application/octet-stream',
    ]);
    return {
      kind: 'wrongContentType',
      body,
      headers: {
        ...headersFor(String(now), signWebhook(secret, String(now), body)),
        'content-type': type,
      },
    };
  },
};

describe('bad webhook deliveries', () => {
  let stack: ZoomStack;
  let hosts: ConnectedInstructor[];

  beforeAll(async () => {
    stack = await startZoomStack();
    hosts = [
      await connectZoomUser(stack, 'FuzzTargetA'),
      await connectZoomUser(stack, 'FuzzTargetB'),
    ];
    for (const host of hosts) await addSession(stack.app, host.instructorId, 600);
  });
  afterAll(() => stack.close());

  it(`accepts none of ${CASES} generated bad deliveries and changes nothing`, async () => {
    const random = seededRandom(0x5afed);
    const before = await databaseSnapshot(stack.app);
    const kinds = Object.keys(generators);
    const accepted: string[] = [];
    const seen = new Map<string, number>();

    for (let index = 0; index < CASES; index += 1) {
      const kind = kinds[index % kinds.length] as string;
      const host = pick(random, hosts);
      const body =
        random() < 0.8
          ? deauthorizedBody(host.zoomUserId, `case${index}`.padEnd(64, '0'))
          : JSON.stringify({
              event: 'endpoint.url_validation',
              payload: { plainToken: `t${index}` },
            });
      const now = Math.floor(stack.app.clock.now().getTime() / 1000);
      const delivery = (generators[kind] as Generator)(random, body, now);

      const response = await postWebhook(stack.app, delivery.body, delivery.headers);
      await response.arrayBuffer();
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      if (response.status < 400 || ![400, 401, 413, 415].includes(response.status)) {
        accepted.push(`#${index} ${kind} → ${response.status}`);
      }
    }

    expect(accepted).toEqual([]);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
    expect(await tokensLeft(stack.app)).toBe(2);
    expect(await databaseSnapshot(stack.app)).toBe(before);
  }, 120_000);

  it('accepts the same deliveries once signed correctly, so the generator aims at a live target', async () => {
    const host = hosts[0] as ConnectedInstructor;
    const body = deauthorizedBody(host.zoomUserId, 'valid'.padEnd(64, '0'));
    const now = String(Math.floor(stack.app.clock.now().getTime() / 1000));

    const response = await postWebhook(
      stack.app,
      body,
      headersFor(now, signWebhook(secret, now, body)),
    );

    expect(response.status).toBe(200);
    expect(await tokensLeft(stack.app)).toBe(1);
  });
});
