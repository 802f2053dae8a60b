/**
 * PKCE for the authorization-code grant (RFC 7636), S256 method only: Zoom documents S256 and
 * `plain` would put the verifier itself on the browser's address bar.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A fresh code verifier: 32 random bytes as base64url, 43 characters (RFC 7636 §4.1). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII verifier)), RFC 7636 §4.2. */
export function codeChallengeS256(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}
