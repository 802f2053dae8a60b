/**
 * OAuth state of the simulated Zoom: authorization codes, grants (one per consent), access
 * tokens and rotating refresh tokens. It follows Zoom's rules as the product meets them: a
 * code lives 5 minutes and works once (a second use revokes what the first issued, as RFC 6749
 * §4.1.2 allows); each refresh kills the refresh token used; a newer consent by the same Zoom
 * user revokes the older grant (Zoom's OAuth error 4741).
 */
import { createHash, randomBytes } from 'node:crypto';

import type { ResolvedSimulatorOptions } from './simulator-options.js';

/** Zoom's authorization codes expire after 5 minutes. */
const codeLifetimeMs = 5 * 60_000;

/** Why a grant stopped working. */
export type GrantEnd = 'revoked' | 'superseded' | 'code_reused' | 'deauthorized';

/** One consent of one Zoom user to the app. */
export interface Grant {
  readonly id: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  endedAt: number | null;
  endReason: GrantEnd | null;
  refreshToken: string;
}

/** Tokens handed out by a code exchange or a refresh. */
export interface IssuedTokens {
  readonly grant: Grant;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

/** A token-endpoint refusal, shaped as Zoom's body. */
export interface TokenRefusal {
  readonly reason: string;
  readonly error: 'invalid_grant' | 'invalid_request';
}

/** The outcome of a code exchange or refresh. */
export type TokenOutcome =
  { ok: true; tokens: IssuedTokens } | { ok: false; refusal: TokenRefusal };

interface AuthorizationCode {
  readonly userId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly expiresAt: number;
  grantId: string | null;
}

interface AccessTokenRecord {
  readonly grantId: string;
  expiresAt: number;
}

/** Long, opaque, URL-safe random text: Zoom's tokens are opaque to the client. */
export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

const invalidToken: TokenRefusal = { reason: 'Invalid Token!', error: 'invalid_grant' };

function refuse(reason: string, error: TokenRefusal['error'] = 'invalid_grant'): TokenOutcome {
  return { ok: false, refusal: { reason, error } };
}

/** Codes, grants and tokens of the simulated Zoom, in memory. */
export class OAuthGrants {
  readonly #config: ResolvedSimulatorOptions;
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #grants = new Map<string, Grant>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();
  readonly #refreshTokens = new Map<string, string>();

  constructor(config: ResolvedSimulatorOptions) {
    this.#config = config;
  }

  /** Records a consent and returns the authorization code for it. */
  issueCode(userId: string, redirectUri: string, codeChallenge: string | undefined): string {
    const code = randomToken(24);
    const expiresAt = this.#config.now() + codeLifetimeMs;
    this.#codes.set(code, { userId, redirectUri, codeChallenge, expiresAt, grantId: null });
    return code;
  }

  /** Exchanges a code for tokens (grant_type=authorization_code). */
  exchangeCode(code: string, redirectUri: string, verifier: string | undefined): TokenOutcome {
    const record = this.#codes.get(code);
    if (!record) return refuse('Invalid authorization code');

    if (record.grantId !== null) {
      this.#end(record.grantId, 'code_reused');
      return refuse('Invalid authorization code');
    }
    if (record.expiresAt <= this.#config.now()) return refuse('Code is expired');
    if (record.redirectUri !== redirectUri)
      return refuse('Redirect URI mismatch.', 'invalid_request');
    if (!pkceMatches(record.codeChallenge, verifier)) return refuse('Invalid code_verifier');

    const grant = this.#startGrant(record.userId);
    record.grantId = grant.id;
    return { ok: true, tokens: this.#issue(grant) };
  }

  /** Rotates a refresh token (grant_type=refresh_token). */
  refresh(refreshToken: string): TokenOutcome {
    const grant = this.#liveGrantOfRefreshToken(refreshToken);
    if (!grant) return { ok: false, refusal: invalidToken };

    return { ok: true, tokens: this.#issue(grant) };
  }

  /** The Zoom user a refresh token was issued to, live or not. */
  userOfRefreshToken(refreshToken: string): string | undefined {
    const grantId = this.#refreshTokens.get(refreshToken);
    return grantId === undefined ? undefined : this.#grants.get(grantId)?.userId;
  }

  /** The live grant an access token belongs to, if the token is known, live and unexpired. */
  authenticate(accessToken: string): Grant | undefined {
    const record = this.#accessTokens.get(accessToken);
    if (!record || record.expiresAt <= this.#config.now()) return undefined;

    const grant = this.#grants.get(record.grantId);
    return grant && grant.endedAt === null ? grant : undefined;
  }

  /** Ends the grant an access or refresh token belongs to; returns it if it was live. */
  revokeByToken(token: string): Grant | undefined {
    const grantId = this.#accessTokens.get(token)?.grantId ?? this.#refreshTokens.get(token);
    const grant = grantId === undefined ? undefined : this.#grants.get(grantId);
    if (!grant || grant.endedAt !== null) return undefined;

    this.#end(grant.id, 'revoked');
    return grant;
  }

  /** Ends every live grant of a user (the app removed in Marketplace); returns them. */
  revokeUser(userId: string, reason: GrantEnd): Grant[] {
    const live = this.liveGrants().filter((grant) => grant.userId === userId);
    for (const grant of live) this.#end(grant.id, reason);
    return live;
  }

  /** Grants still in force, oldest first. */
  liveGrants(): Grant[] {
    return [...this.#grants.values()].filter((grant) => grant.endedAt === null);
  }

  /** Every grant ever made, oldest first. */
  allGrants(): Grant[] {
    return [...this.#grants.values()];
  }

  /** Makes every access token issued so far expired, as if an hour had passed for them. */
  expireAccessTokens(): number {
    const now = this.#config.now();
    for (const record of this.#accessTokens.values())
      record.expiresAt = Math.min(record.expiresAt, now);
    return this.#accessTokens.size;
  }

  #startGrant(userId: string): Grant {
    // One Zoom user and one app have one live grant: the newer consent wins (error 4741).
    this.revokeUser(userId, 'superseded');

    const grant: Grant = {
      id: randomToken(12),
      userId,
      scopes: [...this.#config.grantedScopes],
      createdAt: this.#config.now(),
      endedAt: null,
      endReason: null,
      refreshToken: '',
    };
    this.#grants.set(grant.id, grant);
    return grant;
  }

  #issue(grant: Grant): IssuedTokens {
    const accessToken = randomToken();
    const refreshToken = randomToken();
    const expiresIn = this.#config.accessTokenTtlSeconds;

    this.#accessTokens.set(accessToken, {
      grantId: grant.id,
      expiresAt: this.#config.now() + expiresIn * 1000,
    });
    this.#refreshTokens.set(refreshToken, grant.id);
    grant.refreshToken = refreshToken;
    return { grant, accessToken, refreshToken, expiresIn };
  }

  #liveGrantOfRefreshToken(refreshToken: string): Grant | undefined {
    const grantId = this.#refreshTokens.get(refreshToken);
    const grant = grantId === undefined ? undefined : this.#grants.get(grantId);
    if (!grant || grant.endedAt !== null) return undefined;

    // Only the latest refresh token of a grant works; older ones are dead after rotation.
    return grant.refreshToken === refreshToken ? grant : undefined;
  }

  #end(grantId: string, reason: GrantEnd): void {
    const grant = this.#grants.get(grantId);
    if (!grant || grant.endedAt !== null) return;

    grant.endedAt = this.#config.now();
    grant.endReason = reason;
  }
}

/** RFC 7636 S256 check; a code requested without a challenge needs no verifier. */
function pkceMatches(challenge: string | undefined, verifier: string | undefined): boolean {
  if (challenge === undefined) return true;
  if (verifier === undefined) return false;

  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
