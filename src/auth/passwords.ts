/** Password hashing with Argon2id (OWASP's first choice), through the native @node-rs/argon2. */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors/app-error.js';

/** Shortest password the product accepts. */
export const MIN_PASSWORD_LENGTH = 12;

// Algorithm 2 is Argon2id; the memory and time costs follow OWASP's password storage advice.
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a new password after checking its length. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION_FAILED', 'password is too short', {
      fields: [{ field: 'password', message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  return hash(password, options);
}

/** True when `password` matches `passwordHash`; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when no account matches keeps the answer time the same either way,
// so timing does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/** A hash to verify against when the account does not exist. */
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash('decoy-password-never-used', options);
  return decoyHash;
}
