import { describe, expect, it } from 'vitest';

import { Fernet } from '../../src/crypto/fernet.js';
import { generateFernetKey, KeyRing } from '../../src/crypto/key-ring.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { isAppError } from '../../src/errors/app-error.js';

function errorOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('SecretBox', () => {
  const key = generateFernetKey();
  const box = new SecretBox(new KeyRing([key]));
  const context = 'zoom_connections:42:access_token';

  it('opens what it sealed at the same context, multi-line and unicode secrets included', () => {
    const secret = 'eyJhbGciOi.line one\nline two ✓';

    expect(box.open(box.seal(secret, context), context)).toBe(secret);
    expect(box.open(box.seal('', context), context)).toBe('');
  });

  it('stores a standard Fernet token, never the plaintext', () => {
    const token = box.seal('zoom-access-token-value', context);

    expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]+={0,2}$/);
    expect(token).not.toContain('zoom-access-token-value');
    expect(new Fernet(key).decrypt(token).toString()).toBe(
      `v1\n${context}\nzoom-access-token-value`,
    );
  });

  it.each([
    'zoom_connections:43:access_token',
    'zoom_connections:42:refresh_token',
    'zoom_connections:4:access_token',
    'zoom_connections:42:access_toke',
  ])('refuses to open a token moved to %s', (otherContext) => {
    const token = box.seal('secret', context);

    const error = errorOf(() => box.open(token, otherContext));

    expect(isAppError(error, 'FERNET_TOKEN_INVALID')).toBe(true);
  });

  it('refuses a bare Fernet token that has no envelope', () => {
    const bare = new Fernet(key).encrypt('secret');

    expect(
      isAppError(
        errorOf(() => box.open(bare, context)),
        'FERNET_TOKEN_INVALID',
      ),
    ).toBe(true);
  });

  it('refuses a context that spans lines', () => {
    expect(
      isAppError(
        errorOf(() => box.seal('s', 'a\nb')),
        'INTERNAL',
      ),
    ).toBe(true);
  });

  it('reports which key of the ring opened a secret', () => {
    const oldKey = generateFernetKey();
    const oldToken = new SecretBox(new KeyRing([oldKey])).seal('secret', context);
    const rotating = new SecretBox(new KeyRing([key, oldKey]));

    expect(rotating.openWithKey(oldToken, context)).toEqual({ secret: 'secret', keyIndex: 1 });
    expect(rotating.openWithKey(box.seal('s', context), context).keyIndex).toBe(0);
    expect(isAppError(errorOf(() => box.open(oldToken, context)))).toBe(true);
  });
});
