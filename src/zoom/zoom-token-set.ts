/**
 * The validated form of an answer from Zoom's `/oauth/token`. Zoom's answer is checked field by
 * field before anything uses it; a missing or mistyped field is Zoom's fault, reported as
 * `ZOOM_RESPONSE_INVALID` with the field names and never the values (they are tokens).
 */
import { Type } from '@sinclair/typebox';

import { parseScopeString } from './scopes.js';
import { readZoomAnswer } from './zoom-answer.js';

/** The tokens of one grant, typed and with an absolute expiry. */
export interface ZoomTokenSet {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
  readonly scopes: string[];
}

const TokenAnswer = Type.Object({
  access_token: Type.String({ minLength: 1 }),
  refresh_token: Type.String({ minLength: 1 }),
  expires_in: Type.Number({ exclusiveMinimum: 0 }),
  scope: Type.String(),
  token_type: Type.String({ pattern: '^[Bb][Ee][Aa][Rr][Ee][Rr]$' }),
});

/** Parses and validates a token answer's text; `now` is when the answer arrived. */
export function parseTokenAnswer(text: string, now: Date): ZoomTokenSet {
  const body = readZoomAnswer(text, TokenAnswer, 'token');

  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: new Date(now.getTime() + body.expires_in * 1000),
    scopes: parseScopeString(body.scope),
  };
}
