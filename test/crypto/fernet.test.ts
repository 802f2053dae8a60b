import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { Fernet, parseFernetKey } from '../../src/crypto/fernet.js';
import { ManualClock } from '../../src/support/clock.js';
import { isAppError } from '../../src/errors/app-error.js';

interface GenerateCase {
  token: string;
  now: string;
  iv: number[];
  src: string;
  secret: string;
}

interface VerifyCase {
  token: string;
  now: string;
  ttl_sec: number;
  src: string;
  secret: string;
}

interface InvalidCase {
  desc: string;
  token: string;
  now: string;
  ttl_sec: number;
  secret: string;
}

function fixture<T>(name: string): T[] {
  const url = new URL(`../fixtures/fernet/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T[];
}

function fixedClock(at: string | number): ManualClock {
  return new ManualClock(new Date(at));
}

function errorOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

const generateCases = fixture<GenerateCase>('generate.json');
const verifyCases = fixture<VerifyCase>('verify.json');
const invalidCases = fixture<InvalidCase>('invalid.json');
const specKey = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';

describe('Fernet against the spec vectors', () => {
  it('has vectors to check', () => {
    expect(generateCases.length).toBeGreaterThan(0);
    expect(verifyCases.length).toBeGreaterThan(0);
    expect(invalidCases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(generateCases)('rebuilds the generate vector for "$src" byte for byte', (vector) => {
    const fernet = new Fernet(vector.secret, {
      clock: fixedClock(vector.now),
      randomIv: () => Buffer.from(vector.iv),
    });

    expect(fernet.encrypt(vector.src)).toBe(vector.token);
  });

  it.each(verifyCases)('decrypts the verify vector for "$src"', (vector) => {
    const fernet = new Fernet(vector.secret);
    const options = { ttlSeconds: vector.ttl_sec, clock: fixedClock(vector.now) };

    expect(fernet.decrypt(vector.token, options).toString('utf8')).toBe(vector.src);
  });

  it.each(invalidCases)('rejects the invalid vector "$desc"', (vector) => {
    const fernet = new Fernet(vector.secret);
    const options = { ttlSeconds: vector.ttl_sec, clock: fixedClock(vector.now) };

    const error = errorOf(() => fernet.decrypt(vector.token, options));

    expect(isAppError(error, 'FERNET_TOKEN_INVALID')).toBe(true);
  });
});

describe('Fernet', () => {
  const fernet = new Fernet(specKey);

  it('round-trips binary and empty messages with a fresh IV each time', () => {
    const message = Buffer.from([0, 255, 10, 13, 128]);

    const first = fernet.encrypt(message);
    const second = fernet.encrypt(message);

    expect(first).not.toBe(second);
    expect(fernet.decrypt(first)).toEqual(message);
    expect(fernet.decrypt(fernet.encrypt(''))).toEqual(Buffer.alloc(0));
  });

  it('writes padded url-safe base64 starting with the version byte', () => {
    const token = fernet.encrypt('x'.repeat(100));

    expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]*={0,2}$/);
    expect(token.length % 4).toBe(0);
  });

  it('accepts tokens of any age when no ttl is given', () => {
    const old = new Fernet(specKey, { clock: fixedClock(0) }).encrypt('old');

    expect(fernet.decrypt(old).toString()).toBe('old');
    expect(isAppError(errorOf(() => fernet.decrypt(old, { ttlSeconds: 60 })))).toBe(true);
  });

  it('rejects a token made under another key', () => {
    const other = new Fernet(Buffer.alloc(32, 7).toString('base64url') + '=');

    const error = errorOf(() => fernet.decrypt(other.encrypt('secret')));

    expect(isAppError(error, 'FERNET_TOKEN_INVALID')).toBe(true);
  });

  it.each([
    ['standard base64 characters', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/')],
    ['missing padding', (t: string) => t.replace(/=+$/, '')],
    ['surrounding whitespace', (t: string) => ` ${t}\n`],
    ['a flipped ciphertext byte', (t: string) => flipByte(t, 30)],
    ['a flipped version byte', (t: string) => flipByte(t, 0)],
    ['an empty string', () => ''],
  ])('rejects a token with %s', (_name, spoil) => {
    const token = fernet.encrypt('a message long enough to need two blocks and padding');

    const error = errorOf(() => fernet.decrypt(spoil(token)));

    expect(isAppError(error, 'FERNET_TOKEN_INVALID')).toBe(true);
  });

  it('never puts the token or key in its error message', () => {
    const token = flipByte(fernet.encrypt('hello'), 40);

    const error = errorOf(() => fernet.decrypt(token)) as Error;

    expect(error.message).not.toContain(token.slice(0, 20));
    expect(error.message).not.toContain(specKey.slice(0, 10));
  });
});

describe('parseFernetKey', () => {
  it('splits a key into signing and encryption halves', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i));

    const key = parseFernetKey(bytes.toString('base64url') + '=');

    expect(key.signingKey).toEqual(bytes.subarray(0, 16));
    expect(key.encryptionKey).toEqual(bytes.subarray(16));
  });

  it.each([
    ['too short', Buffer.alloc(16).toString('base64url') + '=='],
    ['too long', Buffer.alloc(33).toString('base64url')],
    ['not base64', '!'.repeat(44)],
    ['empty', ''],
  ])('rejects a key that is %s', (_name, text) => {
    expect(
      isAppError(
        errorOf(() => parseFernetKey(text)),
        'TOKEN_KEYS_INVALID',
      ),
    ).toBe(true);
  });
});

function flipByte(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
