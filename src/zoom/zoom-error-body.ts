/**
 * Reads Zoom's REST error envelope, `{"code": <int>, "message": "...", "errors": [...]}`. Some
 * Zoom answers come as XML (`<error><code>124</code><message>…</message></error>`) or as plain
 * text from a proxy, so JSON is tried first, then that XML shape, then nothing: an unreadable
 * body yields an empty envelope and the HTTP status alone decides.
 */
import type { FieldProblem } from '../errors/app-error.js';
import { readJsonObject } from './zoom-answer.js';

/** What could be read from an error body; every member may be missing. */
export interface ZoomErrorBody {
  readonly code?: number;
  readonly message?: string;
  readonly errors?: readonly FieldProblem[];
}

// Zoom's message is kept for problem documents and logs, so it is cut to a sane length.
const MAX_MESSAGE_LENGTH = 300;

/** Parses an error body of any form Zoom is known to send. Never throws. */
export function parseZoomErrorBody(text: string): ZoomErrorBody {
  const trimmed = text.trim();

  if (trimmed.startsWith('{')) return fromJson(trimmed);
  if (trimmed.startsWith('<')) return fromXml(trimmed);

  return {};
}

function fromJson(text: string): ZoomErrorBody {
  const body = readJsonObject(text);
  if (!body) return {};

  const { code, message, errors } = body;
  return {
    code: toCode(code),
    message: typeof message === 'string' ? message.slice(0, MAX_MESSAGE_LENGTH) : undefined,
    errors: toFieldProblems(errors),
  };
}

function fromXml(text: string): ZoomErrorBody {
  const code = /<code>\s*(\d{1,9})\s*<\/code>/.exec(text)?.[1];
  const message = /<message>([^<]{0,1000})<\/message>/.exec(text)?.[1];

  return {
    code: code === undefined ? undefined : Number(code),
    message: message?.trim().slice(0, MAX_MESSAGE_LENGTH),
  };
}

function toCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);

  return undefined;
}

function toFieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;

  return value
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({
      field: typeof item.field === 'string' ? item.field.slice(0, 100) : '',
      message: typeof item.message === 'string' ? item.message.slice(0, 200) : 'invalid',
    }));
}
