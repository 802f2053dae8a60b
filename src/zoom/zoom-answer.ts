/**
 * Validation of Zoom's successful answers before anything uses them. A schema names only the
 * fields the product reads; the caller then copies those fields out, so everything else Zoom
 * sent (host credentials such as `start_url`, passcodes, settings) is dropped right here.
 * Errors name the fields at fault, never their values.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import { AppError } from '../errors/app-error.js';

/**
 * Parses and checks a JSON answer against `schema`. `what` names the answer in the error.
 * With `idsAsText`, every `"id": <integer>` is read as a string first: meeting ids are int64 and
 * JSON.parse would round one above 2^53 (Node 20 has no access to the source text of numbers).
 */
export function readZoomAnswer<S extends TSchema>(
  text: string,
  schema: S,
  what: string,
  options: { idsAsText?: boolean } = {},
): Static<S> {
  const source = options.idsAsText ? quoteIntegerIds(text) : text;
  const body = parseJson(source, what);

  if (!Value.Check(schema, body)) {
    const fields = [...new Set([...Value.Errors(schema, body)].map((error) => error.path || '/'))];
    throw new AppError('ZOOM_RESPONSE_INVALID', `zoom ${what} answer invalid`, {
      extra: { fields },
    });
  }

  return body;
}

/**
 * Rewrites `"id": 123` to `"id": "123"`. Safe on JSON text: a quote inside a string value is
 * escaped as `\"`, so `"id"` followed by a colon can only be a key.
 */
export function quoteIntegerIds(text: string): string {
  return text.replace(/"id"(\s*):(\s*)(-?\d+)(?=\s*[,}\]])/g, '"id"$1:$2"$3"');
}

/**
 * An error body's fields, or undefined when it is not a JSON object. Error bodies are read
 * leniently (Zoom sometimes answers XML or HTML), so this never throws.
 */
export function readJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('ZOOM_RESPONSE_INVALID', `zoom ${what} answer not json`);
  }
}
