import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { isAppError } from '../../src/errors/app-error.js';
import {
  assertWebhookSignature,
  signWebhook,
  urlValidationResponse,
  verifyWebhookSignature,
} from '../../src/zoom/webhook-signature.js';

interface Vectors {
  url_validation: {
    vectors: {
      secret_token: string;
      request_body: { payload: { plainToken: string } };
      expected_response: { plainToken: string; encryptedToken: string };
    }[];
  };
  x_zm_signature: {
    vectors: {
      secret_token: string;
      x_zm_request_timestamp: string;
      raw_body: string;
      x_zm_signature: string;
    }[];
  };
}

const vectors = JSON.parse(
  readFileSync(
    new URL('../fixtures/zoom/webhooks/signature-test-vectors.json', import.meta.url),
    'utf8',
  ),
) as Vectors;

const SECRET = 'webhook-secret-token';
const NOW_MS = Date.UTC(2026, 2, 5, 18, 0, 0);
const NOW_S = String(NOW_MS / 1000);
const BODY = Buffer.from('{"event":"app_deauthorized","payload":{"user_id":"u1"}}');

function signed(overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) {
  return verifyWebhookSignature({
    secret: SECRET,
    timestampHeader: NOW_S,
    signatureHeader: signWebhook(SECRET, NOW_S, BODY),
    rawBody: BODY,
    nowMs: NOW_MS,
    ...overrides,
  });
}

describe('published webhook vectors', () => {
  it.each(vectors.x_zm_signature.vectors)(
    'signs and verifies the vector $x_zm_signature',
    (vector) => {
      const rawBody = Buffer.from(vector.raw_body, 'utf8');

      expect(signWebhook(vector.secret_token, vector.x_zm_request_timestamp, rawBody)).toBe(
        vector.x_zm_signature,
      );
      expect(
        verifyWebhookSignature({
          secret: vector.secret_token,
          timestampHeader: vector.x_zm_request_timestamp,
          signatureHeader: vector.x_zm_signature,
          rawBody,
          nowMs: NOW_MS,
          toleranceSeconds: false,
        }),
      ).toEqual({ ok: true });
    },
  );

  it.each(vectors.url_validation.vectors)('answers the url validation vector', (vector) => {
    expect(
      urlValidationResponse(vector.secret_token, vector.request_body.payload.plainToken),
    ).toEqual(vector.expected_response);
  });

  it('fails the vector whose body differs by one space from the signed one', () => {
    const [spaced, compact] = vectors.x_zm_signature.vectors;

    const result = verifyWebhookSignature({
      secret: spaced!.secret_token,
      timestampHeader: spaced!.x_zm_request_timestamp,
      signatureHeader: spaced!.x_zm_signature,
      rawBody: Buffer.from(compact!.raw_body),
      nowMs: NOW_MS,
      toleranceSeconds: false,
    });

    expect(result).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts a fresh, correctly signed body', () => {
    expect(signed()).toEqual({ ok: true, timestampSeconds: NOW_MS / 1000 });
  });

  it('accepts an upper-case hex signature', () => {
    expect(
      signed({
        signatureHeader: signWebhook(SECRET, NOW_S, BODY).toUpperCase().replace('V0=', 'v0='),
      }).ok,
    ).toBe(true);
  });

  it('rejects a body changed after signing', () => {
    expect(signed({ rawBody: Buffer.from(BODY.toString().replace('u1', 'u2')) })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  it('rejects a signature made with another secret', () => {
    expect(signed({ signatureHeader: signWebhook('other', NOW_S, BODY) }).ok).toBe(false);
  });

  it.each([
    ['a missing signature', { signatureHeader: undefined }],
    ['a missing timestamp', { timestampHeader: undefined }],
    ['a repeated signature header', { signatureHeader: ['v0=aa', 'v0=bb'] }],
    ['a signature without the v0= prefix', { signatureHeader: 'a'.repeat(64) }],
    ['a truncated signature', { signatureHeader: 'v0=abc' }],
    ['a timestamp that is not a number', { timestampHeader: 'yesterday' }],
  ])('rejects %s as WEBHOOK_HEADERS_MISSING', (_name, overrides) => {
    expect(signed(overrides)).toEqual({ ok: false, code: 'WEBHOOK_HEADERS_MISSING' });
  });

  it.each([
    ['stale', NOW_MS / 1000 - 301],
    ['future', NOW_MS / 1000 + 301],
  ])('rejects a %s timestamp beyond 300 s as WEBHOOK_TIMESTAMP_STALE', (_name, seconds) => {
    const timestamp = String(seconds);
    const result = signed({
      timestampHeader: timestamp,
      signatureHeader: signWebhook(SECRET, timestamp, BODY),
    });

    expect(result).toEqual({ ok: false, code: 'WEBHOOK_TIMESTAMP_STALE' });
  });

  it('accepts a timestamp exactly 300 s old', () => {
    const timestamp = String(NOW_MS / 1000 - 300);

    expect(
      signed({ timestampHeader: timestamp, signatureHeader: signWebhook(SECRET, timestamp, BODY) })
        .ok,
    ).toBe(true);
  });

  it('honours a narrower tolerance', () => {
    const timestamp = String(NOW_MS / 1000 - 20);
    const input = {
      timestampHeader: timestamp,
      signatureHeader: signWebhook(SECRET, timestamp, BODY),
    };

    expect(signed({ ...input, toleranceSeconds: 10 })).toEqual({
      ok: false,
      code: 'WEBHOOK_TIMESTAMP_STALE',
    });
  });

  it('throws the rejection code from assertWebhookSignature', () => {
    const input = {
      secret: SECRET,
      timestampHeader: NOW_S,
      signatureHeader: 'v0=' + '0'.repeat(64),
      rawBody: BODY,
      nowMs: NOW_MS,
    };

    expect(() => assertWebhookSignature(input)).toThrow();
    try {
      assertWebhookSignature(input);
    } catch (error) {
      expect(isAppError(error, 'WEBHOOK_SIGNATURE_INVALID')).toBe(true);
    }
  });
});
