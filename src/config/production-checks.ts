/**
 * What production refuses to start without: a real Zoom app, a real database, real keys, real
 * mail. Every missing or unsafe setting is named, so one failed start tells the whole story.
 */
import type { Config } from './config.js';

/** Names every setting production needs and lacks. */
export function checkProduction(config: Config): string[] {
  const problems: string[] = [];
  const missing = (name: string, value: unknown): void => {
    if (value === undefined) problems.push(`${name} is required in production`);
  };

  missing('DATABASE_URL', config.databaseUrl);
  missing('ZOOM_CLIENT_ID', config.zoom.clientId);
  missing('ZOOM_CLIENT_SECRET', config.zoom.clientSecret);
  missing('ZOOM_WEBHOOK_SECRET_TOKEN', config.zoom.webhookSecretToken);
  missing('TOKEN_KEYS', config.tokenKeys);
  missing('SMTP_URL', config.smtpUrl);
  missing('MAIL_FROM', config.mailFrom);

  if (!config.publicUrl.startsWith('https://')) {
    problems.push('PUBLIC_URL must be set to an https URL in production');
  }
  if (config.exitAfterSmtpSendForTests) {
    problems.push('SDZ_TEST_EXIT_AFTER_SMTP_SEND is a test hook and cannot be set in production');
  }
  if (config.zoom.simulated) {
    problems.push('the built-in Zoom simulator cannot run in production');
  }

  return problems;
}
