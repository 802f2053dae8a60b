/**
 * Secrets stored in the database (Zoom access and refresh tokens), sealed with the key ring and
 * bound to the row and column they live in.
 *
 * The binding travels inside the Fernet message as a small envelope,
 * `v1 LF <context> LF <secret>`, so the stored value stays a plain, standard Fernet token that
 * any Fernet library (Python's `cryptography.fernet` included) can decrypt. A token copied into
 * another row or column carries the wrong context and does not open there.
 */
import { AppError } from '../errors/app-error.js';
import type { KeyRing } from './key-ring.js';

const ENVELOPE_VERSION = 'v1';

/** A secret opened from its token, and which key of the ring opened it. */
export interface OpenedSecret {
  readonly secret: string;
  /** 0 when the token is already under the encrypting key. */
  readonly keyIndex: number;
}

/** Seals and opens secrets bound to a context such as `zoom_connections:42:access_token`. */
export class SecretBox {
  readonly #ring: KeyRing;

  constructor(ring: KeyRing) {
    this.#ring = ring;
  }

  /** Returns the Fernet token text to store for `secret` at `context`. */
  seal(secret: string, context: string): string {
    checkContext(context);

    return this.#ring.encrypt(`${ENVELOPE_VERSION}\n${context}\n${secret}`);
  }

  /** Returns the secret sealed at `context`; any other context is FERNET_TOKEN_INVALID. */
  open(token: string, context: string): string {
    return this.openWithKey(token, context).secret;
  }

  /** Like `open`, also saying which key opened it (rotation skips tokens under the first). */
  openWithKey(token: string, context: string): OpenedSecret {
    checkContext(context);
    const { message, keyIndex } = this.#ring.decrypt(token);

    const envelope = message.toString('utf8');
    const prefix = `${ENVELOPE_VERSION}\n${context}\n`;
    if (!envelope.startsWith(prefix)) {
      throw new AppError('FERNET_TOKEN_INVALID', 'sealed secret belongs to another context');
    }

    return { secret: envelope.slice(prefix.length), keyIndex };
  }
}

/**
 * The context of the secret stored in `column` of row `id` of `table`, e.g.
 * `zoom_connections:42:access_token`. Every writer and reader of a sealed column builds its
 * context here, so both sides agree.
 */
export function secretContext(table: string, id: string | number | bigint, name: string): string {
  return `${table}:${String(id)}:${name}`;
}

/** A line break in a context would let one context pass for another. */
function checkContext(context: string): void {
  if (context === '' || context.includes('\n')) {
    throw new AppError('INTERNAL', 'secret context is empty or spans lines');
  }
}
