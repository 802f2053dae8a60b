import { describe, expect, it } from 'vitest';

import { Fernet, parseFernetKey } from '../../src/crypto/fernet.js';
import { generateFernetKey, KeyRing } from '../../src/crypto/key-ring.js';
import { AppError, isAppError } from '../../src/errors/app-error.js';
import { ManualClock } from '../../src/support/clock.js';

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

describe('KeyRing', () => {
  const newKey = generateFernetKey();
  const oldKey = generateFernetKey();

  it('encrypts under the first key only', () => {
    const ring = new KeyRing([newKey, oldKey]);

    const token = ring.encrypt('secret');

    expect(new Fernet(newKey).decrypt(token).toString()).toBe('secret');
    expect(isAppError(errorOf(() => new Fernet(oldKey).decrypt(token)))).toBe(true);
  });

  it('decrypts under any key and reports which one opened the token', () => {
    const ring = new KeyRing([newKey, oldKey]);

    const underOld = ring.decrypt(new Fernet(oldKey).encrypt('old'));
    const underNew = ring.decrypt(ring.encrypt('new'));

    expect(underOld).toEqual({ message: Buffer.from('old'), keyIndex: 1 });
    expect(underNew).toEqual({ message: Buffer.from('new'), keyIndex: 0 });
  });

  it('rejects a token under none of its keys', () => {
    const token = new Fernet(generateFernetKey()).encrypt('stray');

    const error = errorOf(() => new KeyRing([newKey, oldKey]).decrypt(token));

    expect(isAppError(error, 'FERNET_TOKEN_INVALID')).toBe(true);
  });

  it('applies a ttl with its clock', () => {
    const ring = new KeyRing([newKey], { clock: fixedClock(1_000_000) });
    const token = ring.encrypt('brief');

    const later = { ttlSeconds: 60, clock: fixedClock(1_000_000 + 61_000) };

    expect(ring.decrypt(token, { ttlSeconds: 60 }).keyIndex).toBe(0);
    expect(
      isAppError(
        errorOf(() => ring.decrypt(token, later)),
        'FERNET_TOKEN_INVALID',
      ),
    ).toBe(true);
  });

  it('reads the TOKEN_KEYS setting: commas, spaces around keys, empty entries ignored', () => {
    const ring = KeyRing.fromSetting(` ${newKey} ,${oldKey},`);

    expect(ring.size).toBe(2);
    expect(ring.decrypt(new Fernet(oldKey).encrypt('x')).keyIndex).toBe(1);
  });

  it('refuses an empty setting and names the position of a bad key, not its value', () => {
    const empty = errorOf(() => KeyRing.fromSetting(' , '));
    const bad = errorOf(() => KeyRing.fromSetting(`${newKey},not-a-key`)) as AppError;

    expect(isAppError(empty, 'TOKEN_KEYS_INVALID')).toBe(true);
    expect(isAppError(bad, 'TOKEN_KEYS_INVALID')).toBe(true);
    expect(bad.extra).toEqual({ keyPosition: 2 });
    expect(bad.message).not.toContain('not-a-key');
  });
});

describe('generateFernetKey', () => {
  it('makes distinct padded url-safe keys of 32 bytes', () => {
    const keys = Array.from({ length: 50 }, () => generateFernetKey());

    expect(new Set(keys).size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(parseFernetKey(key).encryptionKey.length).toBe(16);
    }
  });
});
