/**
 * The configured Fernet keys (`TOKEN_KEYS`): the first encrypts, any decrypts. Keys are rotated
 * by putting a new key first and keeping the old ones behind it until `rotateSecrets` has
 * re-encrypted every stored secret; only then can the old keys be dropped.
 */
import { randomBytes } from 'node:crypto';

import { AppError, isAppError } from '../errors/app-error.js';
import {
  decodeFernetToken,
  Fernet,
  parseFernetKey,
  type DecryptOptions,
  type FernetKey,
  type FernetOptions,
} from './fernet.js';

/** A decrypted message and the position in the ring of the key that opened it. */
export interface KeyRingDecryption {
  readonly message: Buffer;
  /** 0 when the token is already under the encrypting key. */
  readonly keyIndex: number;
}

/** An ordered list of Fernet keys. */
export class KeyRing {
  readonly #fernets: readonly Fernet[];

  /** `keys` are url-safe base64 Fernet keys, encrypting key first; at least one. */
  constructor(keys: readonly string[], options: FernetOptions = {}) {
    if (keys.length === 0) throw new AppError('TOKEN_KEYS_INVALID', 'token keys are empty');

    this.#fernets = keys.map((key, index) => new Fernet(parseKeyAt(key, index), options));
  }

  /** Builds a ring from the `TOKEN_KEYS` setting: keys separated by commas. */
  static fromSetting(setting: string, options: FernetOptions = {}): KeyRing {
    const keys = setting
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '');

    return new KeyRing(keys, options);
  }

  /** How many keys the ring holds. */
  get size(): number {
    return this.#fernets.length;
  }

  /** Encrypts under the first key. */
  encrypt(message: Buffer | string): string {
    return this.#first().encrypt(message);
  }

  /** Decrypts under whichever key made the token; none is FERNET_TOKEN_INVALID. */
  decrypt(token: string, options: DecryptOptions = {}): KeyRingDecryption {
    const parts = decodeFernetToken(token);

    const keyIndex = this.#fernets.findIndex((fernet) => fernet.verifies(parts));
    const fernet = this.#fernets[keyIndex];
    if (fernet === undefined) {
      throw new AppError('FERNET_TOKEN_INVALID', 'fernet token is under none of the token keys');
    }

    return { message: fernet.open(parts, options), keyIndex };
  }

  #first(): Fernet {
    const first = this.#fernets[0];
    if (first === undefined) throw new AppError('TOKEN_KEYS_INVALID', 'token keys are empty');
    return first;
  }
}

/** A new random Fernet key, written as Python's `Fernet.generate_key()` writes one. */
export function generateFernetKey(): string {
  return randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Says which key is at fault (by position, never by value). */
function parseKeyAt(key: string, index: number): FernetKey {
  try {
    return parseFernetKey(key);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const message = `token key ${index + 1} is not url-safe base64 of 32 bytes`;
    throw new AppError('TOKEN_KEYS_INVALID', message, { extra: { keyPosition: index + 1 } });
  }
}
