/**
 * Turns raw environment strings into a typed configuration, collecting every problem instead of
 * stopping at the first. The shapes are simple enough that a schema library would add more
 * than it saves; each rule below names the setting it checks.
 */
import path from 'node:path';
import type { Config } from './config.js';
import { isLoopbackUrl } from './urls.js';

/** The environment as strings. */
export type RawEnv = Readonly<Record<string, string | undefined>>;

/** Result of parsing: a config (possibly partial in spirit) and what was wrong. */
export interface ParsedSettings {
  readonly config: Config;
  readonly problems: string[];
}

/** Parses every setting of the contract, recording problems rather than throwing. */
export function parseSettings(env: RawEnv): ParsedSettings {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const production = get('NODE_ENV') === 'production';
  const port = parsePort(get('PORT'), problems);
  const host = get('HOST') ?? '127.0.0.1';
  const publicUrl = stripSlash(
    parseUrl('PUBLIC_URL', get('PUBLIC_URL') ?? `http://localhost:${port}`, problems),
  );
  const zoom = parseZoom(get, publicUrl, production, problems);

  const config: Config = {
    production,
    port,
    host,
    publicUrl,
    redirectUri: `${publicUrl}/callback/`,
    databaseUrl: get('DATABASE_URL'),
    dataDir: path.resolve(get('DATA_DIR') ?? './data'),
    zoom,
    tokenKeys: parseList(get('TOKEN_KEYS')),
    smtpUrl: get('SMTP_URL'),
    mailFrom: get('MAIL_FROM'),
    twilio: parseTwilio(get, problems),
    logLevel: get('LOG_LEVEL') ?? 'info',
    webhookToleranceSeconds: parsePositiveInt('WEBHOOK_TOLERANCE_SECONDS', get, 300, problems),
    staffNotifyEmails: parseList(get('STAFF_NOTIFY_EMAILS')) ?? [],
    exitAfterSmtpSendForTests: get('SDZ_TEST_EXIT_AFTER_SMTP_SEND') === '1',
  };

  return { config, problems };
}

function parseZoom(
  get: (name: string) => string | undefined,
  publicUrl: string,
  production: boolean,
  problems: string[],
): Config['zoom'] {
  const clientId = get('ZOOM_CLIENT_ID');
  const clientSecret = get('ZOOM_CLIENT_SECRET');
  const simulated = clientId === undefined && clientSecret === undefined;
  const simulatorBase = `${publicUrl}/zoom-simulator`;
  const oauthUrl = get('ZOOM_OAUTH_URL') ?? (simulated ? simulatorBase : 'https://zoom.us');
  const apiUrl =
    get('ZOOM_API_URL') ?? (simulated ? `${simulatorBase}/v2` : 'https://api.zoom.us/v2');

  for (const [name, value] of [
    ['ZOOM_OAUTH_URL', oauthUrl],
    ['ZOOM_API_URL', apiUrl],
  ] as const) {
    checkZoomUrl(name, value, production, problems);
  }

  return {
    simulated,
    clientId,
    clientSecret,
    webhookSecretToken: get('ZOOM_WEBHOOK_SECRET_TOKEN'),
    oauthUrl: stripSlash(oauthUrl),
    apiUrl: stripSlash(apiUrl),
  };
}

/** Zoom URLs must be https; outside production plain http is allowed for loopback only. */
function checkZoomUrl(name: string, value: string, production: boolean, problems: string[]): void {
  const url = parseUrl(name, value, problems);
  if (url === '') return;
  if (url.startsWith('https://')) return;
  if (production) {
    problems.push(`${name} must use https in production`);
    return;
  }
  if (!isLoopbackUrl(url)) problems.push(`${name} may use http only for a loopback address`);
}

function parseTwilio(
  get: (name: string) => string | undefined,
  problems: string[],
): Config['twilio'] {
  const accountSid = get('TWILIO_ACCOUNT_SID');
  const authToken = get('TWILIO_AUTH_TOKEN');
  const from = get('TWILIO_FROM');
  const apiUrl = get('TWILIO_API_URL') ?? 'https://api.twilio.com';
  const given = [accountSid, authToken, from].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3 || !accountSid || !authToken || !from) {
    problems.push('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM go together');
    return undefined;
  }
  return {
    accountSid,
    authToken,
    from,
    apiUrl: stripSlash(parseUrl('TWILIO_API_URL', apiUrl, problems)),
  };
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  problems.push('PORT must be a whole number from 0 to 65535');
  return 3000;
}

function parsePositiveInt(
  name: string,
  get: (name: string) => string | undefined,
  fallback: number,
  problems: string[],
): number {
  const value = get(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed > 0) return parsed;
  problems.push(`${name} must be a positive whole number`);
  return fallback;
}

function parseUrl(name: string, value: string, problems: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an http or https URL`);
  return '';
}

function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
