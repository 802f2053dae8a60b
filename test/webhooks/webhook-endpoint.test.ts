import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ManualClock } from '../../src/support/clock.js';
import { verifyWebhookSignature } from '../../src/zoom/webhook-signature.js';
import { startZoomStack, testZoomApp, type ZoomStack } from '../support/zoom-fixture.js';
import {
  databaseSnapshot,
  deauthorizedBody,
  nowSeconds,
  postWebhook,
  signedHeaders,
} from './webhook-harness.js';

const secret = testZoomApp.webhookSecretToken;
const clock = new ManualClock(new Date('2026-03-08T17:00:00Z'));
let stack: ZoomStack;

beforeAll(async () => {
  stack = await startZoomStack({ clock, simulator: { now: () => clock.now().getTime() } });
});
afterAll(() => stack.close());

function signed(body: string, timestamp = nowSeconds(stack.app)) {
  return postWebhook(stack.app, body, signedHeaders(secret, timestamp, body));
}

async function problemCode(response: Response): Promise<unknown> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return ((await response.json()) as { code?: unknown }).code;
}

describe('POST /webhooks/zoom verification', () => {
  it('answers the simulator url validation with the hmac of the plain token', async () => {
    const delivery = await stack.zoom.simulator.triggerUrlValidation();

    expect(delivery.state).toBe('delivered');
    expect(delivery.validation).toBe('passed');
  });

  it('answers endpoint.url_validation with plainToken and its hex hmac', async () => {
    const body = JSON.stringify({
      event: 'endpoint.url_validation',
      payload: { plainToken: 'abc123' },
    });
    const response = await signed(body);

    expect(response.status).toBe(200);
    const answer = (await response.json()) as Record<string, string>;
    expect(answer['plainToken']).toBe('abc123');
    expect(answer['encryptedToken']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a delivery without the signature headers as 401', async () => {
    const body = deauthorizedBody('U1');
    const response = await postWebhook(stack.app, body, { 'content-type': 'application/json' });

    expect(response.status).toBe(401);
    expect(await problemCode(response)).toBe('WEBHOOK_HEADERS_MISSING');
  });

  it('rejects a signature made with another secret as 401', async () => {
    const body = deauthorizedBody('U1');
    const headers = signedHeaders('another-secret', nowSeconds(stack.app), body);
    const response = await postWebhook(stack.app, body, headers);

    expect(response.status).toBe(401);
    expect(await problemCode(response)).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('accepts timestamps up to 300 seconds away and rejects 301 either way', async () => {
    const now = Number(nowSeconds(stack.app));
    const body = JSON.stringify({ event: 'meeting.started', payload: {} });

    expect((await signed(body, String(now - 300))).status).toBe(200);
    expect((await signed(body, String(now + 300))).status).toBe(200);
    const stale = await signed(body, String(now - 301));
    expect(stale.status).toBe(401);
    expect(await problemCode(stale)).toBe('WEBHOOK_TIMESTAMP_STALE');
    const future = await signed(body, String(now + 301));
    expect(future.status).toBe(401);
    expect(await problemCode(future)).toBe('WEBHOOK_TIMESTAMP_STALE');
  });

  it('follows the product clock for the window', async () => {
    const body = JSON.stringify({ event: 'meeting.started', payload: {} });
    const timestamp = nowSeconds(stack.app);

    clock.advance(301_000);
    const late = await signed(body, timestamp);
    clock.advance(-301_000);

    expect(late.status).toBe(401);
    expect((await signed(body, timestamp)).status).toBe(200);
  });

  it('answers 400 to a verified body that is not json or not a zoom event', async () => {
    const notJson = await signed('{"event": "app_deauthorized"');
    expect(notJson.status).toBe(400);
    expect(await problemCode(notJson)).toBe('WEBHOOK_BODY_INVALID');

    const notEvent = await signed(JSON.stringify({ hello: 'world' }));
    expect(notEvent.status).toBe(400);
    expect(await problemCode(notEvent)).toBe('WEBHOOK_BODY_INVALID');

    const badDeauth = await signed(JSON.stringify({ event: 'app_deauthorized', payload: {} }));
    expect(badDeauth.status).toBe(400);
  });

  it('answers 413 as problem json to a body over 64 KiB and accepts one of exactly 64 KiB', async () => {
    const envelope = '{"event":"meeting.started","payload":{"pad":""}}';
    const pad = (size: number) => envelope.replace('""', `"${'x'.repeat(size - envelope.length)}"`);

    const tooBig = await postWebhook(stack.app, pad(65_537), {
      ...signedHeaders(secret, nowSeconds(stack.app), pad(65_537)),
      accept: 'text/html',
    });
    expect(tooBig.status).toBe(413);
    expect(await problemCode(tooBig)).toBe('WEBHOOK_BODY_TOO_LARGE');

    expect((await signed(pad(65_536))).status).toBe(200);
  });

  it('refuses other content types without touching anything', async () => {
    const before = await databaseSnapshot(stack.app);
    const body = deauthorizedBody('U1');
    const headers = signedHeaders(secret, nowSeconds(stack.app), body);

    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await postWebhook(stack.app, body, { ...headers, 'content-type': type });
      expect(response.status).toBe(415);
      expect(await problemCode(response)).toBe('WEBHOOK_CONTENT_TYPE_UNSUPPORTED');
    }
    const bare = await fetch(`${stack.app.url}/webhooks/zoom`, { method: 'POST' });
    expect([400, 415]).toContain(bare.status);

    expect(await databaseSnapshot(stack.app)).toBe(before);
  });

  it('keeps the 64 KiB limit to this endpoint', async () => {
    const form = `email=someone%40example.test&password=${'x'.repeat(100_000)}`;
    const response = await fetch(`${stack.app.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });

    expect(response.status).not.toBe(413);
  });

  it('accepts a signed delivery that also carries the legacy verification token header', async () => {
    const body = JSON.stringify({ event: 'meeting.updated', payload: { object: {} } });
    const headers = {
      ...signedHeaders(secret, nowSeconds(stack.app), body),
      authorization: 'legacy-verification-token',
    };
    expect((await postWebhook(stack.app, body, headers)).status).toBe(200);
  });

  it('answers 200 to a verified event it does not handle and counts it by type', async () => {
    const body = JSON.stringify({ event: 'recording.completed', payload: { object: {} } });

    expect((await signed(body)).status).toBe(200);
    expect((await signed(body)).status).toBe(200);

    const lines = stack.app.logs.lines.filter((line) => line.includes('zoom webhook ignored'));
    const counts = lines.map((line) => JSON.parse(line) as { event: string; count: number });
    expect(
      counts.filter((entry) => entry.event === 'recording.completed').map((entry) => entry.count),
    ).toEqual([1, 2]);
  });

  it('names the reason of a rejection in the log, never the body or the signature', async () => {
    const marker = 'body-marker-8f3a';
    const body = JSON.stringify({ event: 'meeting.started', payload: { note: marker } });
    const headers = signedHeaders('another-secret', nowSeconds(stack.app), body);
    await postWebhook(stack.app, body, headers);

    const text = stack.app.logs.text();
    expect(text).toContain('"reason":"WEBHOOK_SIGNATURE_INVALID"');
    expect(text).not.toContain(marker);
    expect(text).not.toContain(headers['x-zm-signature']?.slice(3) ?? 'missing');
  });
});

describe('published signature vectors', () => {
  it('answer url validation as published', async () => {
    const file = new URL('../fixtures/zoom/webhooks/signature-test-vectors.json', import.meta.url);
    const vectors = JSON.parse(await readFile(file, 'utf8')) as {
      url_validation: {
        vectors: { secret_token: string; request_body: unknown; expected_response: unknown }[];
      };
    };
    const own = await startZoomStack({
      clock,
      env: { ZOOM_WEBHOOK_SECRET_TOKEN: vectors.url_validation.vectors[0]?.secret_token ?? '' },
    });
    try {
      for (const vector of vectors.url_validation.vectors) {
        const body = JSON.stringify(vector.request_body);
        const headers = signedHeaders(vector.secret_token, nowSeconds(own.app), body);
        const response = await postWebhook(own.app, body, headers);
        expect(await response.json()).toEqual(vector.expected_response);
      }
    } finally {
      await own.close();
    }
  });

  it('verify x-zm-signature over the raw bytes as published, one space making the difference', async () => {
    const file = new URL('../fixtures/zoom/webhooks/signature-test-vectors.json', import.meta.url);
    const vectors = JSON.parse(await readFile(file, 'utf8')) as {
      x_zm_signature: {
        vectors: {
          secret_token: string;
          x_zm_request_timestamp: string;
          raw_body: string;
          x_zm_signature: string;
        }[];
      };
    };
    const [spaced, compact] = vectors.x_zm_signature.vectors;

    for (const vector of vectors.x_zm_signature.vectors) {
      const check = verifyWebhookSignature({
        secret: vector.secret_token,
        timestampHeader: vector.x_zm_request_timestamp,
        signatureHeader: vector.x_zm_signature,
        rawBody: Buffer.from(vector.raw_body, 'utf8'),
        nowMs: 0,
        toleranceSeconds: false,
      });
      expect(check.ok).toBe(true);
    }
    const crossed = verifyWebhookSignature({
      secret: 'secret',
      timestampHeader: spaced?.x_zm_request_timestamp,
      signatureHeader: compact?.x_zm_signature,
      rawBody: Buffer.from(spaced?.raw_body ?? '', 'utf8'),
      nowMs: 0,
      toleranceSeconds: false,
    });
    expect(crossed).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
  });
});
