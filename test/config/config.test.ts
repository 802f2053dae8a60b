import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { AppError } from '../../src/errors/app-error.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).extra?.['problems'] as string[];
  }
  return [];
}

const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db.internal/app',
  PUBLIC_URL: 'https://zoomapi.example.com',
  ZOOM_CLIENT_ID: 'id',
  ZOOM_CLIENT_SECRET: 'secret',
  ZOOM_WEBHOOK_SECRET_TOKEN: 'whsec',
  TOKEN_KEYS: 'a'.repeat(43) + '=',
  SMTP_URL: 'smtp://mail.internal:587',
  MAIL_FROM: 'classes@example.com',
};

describe('configuration', () => {
  it('fills the contract defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.redirectUri).toBe('http://localhost:3000/callback/');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.zoom.simulated).toBe(true);
    expect(config.tokenKeys).toBeUndefined();
    expect(config.twilio).toBeUndefined();
  });

  it('derives the redirect URI from PUBLIC_URL and PORT', () => {
    expect(loadConfig({ PORT: '4100' }).publicUrl).toBe('http://localhost:4100');
    expect(loadConfig({ PUBLIC_URL: 'https://x.example/' }).redirectUri).toBe(
      'https://x.example/callback/',
    );
  });

  it('uses Zoom by default once app credentials are given', () => {
    const config = loadConfig({ ZOOM_CLIENT_ID: 'id', ZOOM_CLIENT_SECRET: 'secret' });
    expect(config.zoom.simulated).toBe(false);
    expect(config.zoom.oauthUrl).toBe('https://zoom.us');
    expect(config.zoom.apiUrl).toBe('https://api.zoom.us/v2');
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.zoom)).toBe(true);
  });

  it('starts in production when every required setting is present', () => {
    expect(problemsOf(productionEnv)).toEqual([]);
  });

  it('names every missing production setting in one message', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'DATABASE_URL',
      'ZOOM_CLIENT_ID',
      'ZOOM_CLIENT_SECRET',
      'ZOOM_WEBHOOK_SECRET_TOKEN',
      'TOKEN_KEYS',
      'SMTP_URL',
      'MAIL_FROM',
      'PUBLIC_URL',
    ]) {
      expect(problems.join('\n')).toContain(name);
    }
    expect(problems.join('\n')).toContain('simulator');
  });

  it('refuses http Zoom URLs in production, even on loopback', () => {
    const problems = problemsOf({ ...productionEnv, ZOOM_API_URL: 'http://127.0.0.1:9100/v2' });
    expect(problems).toEqual(['ZOOM_API_URL must use https in production']);
  });

  it('allows http Zoom URLs outside production for loopback addresses only', () => {
    expect(problemsOf({ ZOOM_OAUTH_URL: 'http://127.0.0.1:9100' })).toEqual([]);
    expect(problemsOf({ ZOOM_OAUTH_URL: 'http://localhost:9100' })).toEqual([]);
    expect(problemsOf({ ZOOM_OAUTH_URL: 'http://zoom.example.com' })).toEqual([
      'ZOOM_OAUTH_URL may use http only for a loopback address',
    ]);
  });

  it('rejects a malformed port and a partial Twilio setting together', () => {
    const problems = problemsOf({ PORT: 'eighty', TWILIO_ACCOUNT_SID: 'AC1' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('PORT');
    expect(problems.join('\n')).toContain('TWILIO_AUTH_TOKEN');
  });

  it('starts production without Twilio, with SMS off', () => {
    expect(loadConfig(productionEnv).twilio).toBeUndefined();
  });
});
