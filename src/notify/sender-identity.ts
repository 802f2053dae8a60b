/** Who messages come from: `MAIL_FROM`, or a development default outside production. */
import type { Config } from '../config/config.js';

/** The sender used when `MAIL_FROM` is unset outside production. */
export const DEV_MAIL_FROM = 'California Safe Driver <classes@safedriver.localhost>';

/** The From address of every email. */
export function mailFromOf(config: Config): string {
  return config.mailFrom ?? DEV_MAIL_FROM;
}

/** The domain of calendar UIDs: the public URL's host, stable for a deployment. */
export function uidDomainOf(config: Config): string {
  return new URL(config.publicUrl).hostname;
}

/** SMS go out with Twilio settings, or into the dev outbox outside production. */
export function smsEnabled(config: Config): boolean {
  return config.twilio !== undefined || !config.production;
}
