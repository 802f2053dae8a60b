/** Errors as RFC 9457 problem documents, the one shape every API error takes. */
import { AppError } from '../errors/app-error.js';

/** A problem document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly errors?: readonly { field: string; message: string }[];
  readonly [extra: string]: unknown;
}

/** Turns any thrown value into an AppError, keeping product errors as they are. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as {
    validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[];
    validationContext?: string;
    statusCode?: number;
    code?: string;
  };
  if (Array.isArray(fastifyError.validation)) return validationError(fastifyError);
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large', { cause: error });
  }
  if (fastifyError.statusCode === 415 || fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('BAD_REQUEST', 'unsupported content type', { cause: error });
  }
  if (fastifyError.statusCode === 400) {
    return new AppError('BAD_REQUEST', 'request is malformed', { cause: error });
  }
  return new AppError('INTERNAL', 'internal error', { cause: error });
}

function validationError(error: {
  validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[];
  validationContext?: string;
}): AppError {
  const fields = (error.validation ?? []).map((item) => {
    const missing = item.params?.['missingProperty'];
    const base = (item.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const field = typeof missing === 'string' ? [base, missing].filter(Boolean).join('.') : base;
    return {
      field: field || (error.validationContext ?? 'body'),
      message: item.message ?? 'invalid',
    };
  });
  const names = [...new Set(fields.map((f) => f.field))].join(', ');
  return new AppError('VALIDATION_FAILED', `invalid ${names}`, {
    fields,
    detail: `These fields are invalid: ${names}.`,
  });
}

/** The problem document for an error. Internal errors say nothing about their cause. */
export function toProblem(error: AppError): Problem {
  const internal = error.status >= 500 && error.code === 'INTERNAL';
  return {
    ...(error.extra ?? {}),
    type: `https://safedriver-zoom.invalid/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: internal ? 'Internal error' : error.message,
    status: error.status,
    code: error.code,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    ...(error.fields !== undefined ? { errors: error.fields } : {}),
  };
}
