/**
 * The product's settings, read once from the environment (a `.env` file may fill it), checked
 * as a whole so that start-up reports every problem in one message, and handed out frozen.
 * Nothing else in the product reads `process.env`.
 */
import { AppError } from '../errors/app-error.js';
import { checkProduction } from './production-checks.js';
import { parseSettings, type RawEnv } from './parse-settings.js';

/** Outgoing SMS through Twilio's REST API, when configured. */
export interface TwilioConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly from: string;
  readonly apiUrl: string;
}

/** Zoom app credentials; `simulated` when the built-in simulator stands in. */
export interface ZoomConfig {
  readonly simulated: boolean;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly webhookSecretToken: string | undefined;
  readonly oauthUrl: string;
  readonly apiUrl: string;
}

/** The validated, frozen configuration. */
export interface Config {
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly redirectUri: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly zoom: ZoomConfig;
  /** Fernet keys from `TOKEN_KEYS`; undefined means dev keys are generated into `dataDir`. */
  readonly tokenKeys: readonly string[] | undefined;
  readonly smtpUrl: string | undefined;
  /** Sender address; undefined outside production means a development default. */
  readonly mailFrom: string | undefined;
  readonly twilio: TwilioConfig | undefined;
  readonly logLevel: string;
  readonly webhookToleranceSeconds: number;
  readonly staffNotifyEmails: readonly string[];
  /**
   * `SDZ_TEST_EXIT_AFTER_SMTP_SEND=1`: the process exits right after an SMTP server accepts a
   * message and before the outbox records it, so a test can show what a crash there costs.
   * For tests only; refused in production.
   */
  readonly exitAfterSmtpSendForTests: boolean;
}

/**
 * Reads the configuration from `env`. Throws `CONFIG_INVALID` naming every missing or unsafe
 * setting at once.
 */
export function loadConfig(env: RawEnv): Config {
  const { config, problems } = parseSettings(env);
  if (config.production) problems.push(...checkProduction(config));

  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `configuration is invalid: ${problems.join('; ')}`, {
      extra: { problems },
    });
  }

  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
