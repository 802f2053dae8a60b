import { errorCodes, type ErrorCode } from './error-codes.js';

/** One field at fault in a rejected input, as shown to the client. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** What an error may carry besides its code and message. */
export interface AppErrorOptions {
  /** Text safe to show the client, RFC 9457's `detail`. Never a secret. */
  readonly detail?: string;
  readonly fields?: readonly FieldProblem[];
  /** Extra members for the problem document, e.g. a Zoom error code. Never a secret. */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * The product's only error class. The code is stable and picks the HTTP status from the
 * registry; the message is a short lower-case fragment naming the thing at fault.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly fields: readonly FieldProblem[] | undefined;
  readonly extra: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCodes[code];
    this.detail = options.detail;
    this.fields = options.fields;
    this.extra = options.extra;
  }
}

/** True when `error` is an AppError with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
