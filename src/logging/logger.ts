/**
 * Structured logging with pino. Secrets are kept out twice: the product never puts them in a
 * log object, and the redaction paths below catch the usual places they hide anyway.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths whose values are replaced before a line is written. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-zm-signature"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.authorizationCode',
  '*.codeVerifier',
  '*.code_verifier',
  '*.secret',
  '*.clientSecret',
  '*.token',
  '*.start_url',
  '*.startUrl',
  'password',
  'accessToken',
  'refreshToken',
  'token',
  'secret',
];

/** Creates the root logger; `destination` lets tests capture every line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'safedriver-zoom' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** The request fields worth a log line: the path without its query, which may hold a code. */
export function requestLogFields(request: { method: string; url: string; id: string }) {
  return { method: request.method, path: request.url.split('?')[0], requestId: request.id };
}
