/**
 * PostgreSQL errors become product errors here, once, at the database boundary. Only the codes
 * the product reacts to are translated; anything else passes through for the 500 handler.
 */
import { AppError } from '../errors/app-error.js';

const UNIQUE_VIOLATION = '23505';
const SERIALIZATION_FAILURE = '40001';

/** Maps a driver error to an AppError where the product has a meaning for it. */
export function translateDatabaseError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  if (code === UNIQUE_VIOLATION) {
    return new AppError('CONFLICT', 'a unique constraint was violated', {
      extra: { constraint: typeof constraint === 'string' ? constraint : undefined },
      cause: error,
    });
  }
  if (code === SERIALIZATION_FAILURE) {
    return new AppError('SERVICE_UNAVAILABLE', 'the transaction could not be serialised', {
      cause: error,
    });
  }
  return error;
}

/** True when `error` is a unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof AppError) || error.code !== 'CONFLICT') return false;
  return constraint === undefined || error.extra?.['constraint'] === constraint;
}
