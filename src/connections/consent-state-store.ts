/**
 * The OAuth `state` of a consent request (RFC 6749 §10.12) and its PKCE verifier (RFC 7636).
 *
 * A state is 256 random bits, works once, for 10 minutes, and only for the web session and
 * instructor that asked for it. Only its SHA-256 is stored, so a copy of the table cannot be
 * used to finish someone's consent. The code verifier must stay on the server (it is what
 * proves the code was asked for by us), so it is sealed by the vault, bound to the state's row.
 */
import type { AppContext } from '../app/app-context.js';
import { secretContext } from '../crypto/secret-box.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { randomToken, sha256Hex } from '../support/random-token.js';
import { codeChallengeS256, createCodeVerifier } from '../zoom/pkce.js';

/** How long a consent request may take. */
export const CONSENT_STATE_LIFETIME_MS = 10 * 60_000;

/** Who is asking: the signed-in instructor and their web session. */
export interface ConsentOwner {
  readonly instructorId: number;
  readonly sessionHash: string;
}

/** What the authorize URL needs. */
export interface StartedConsent {
  readonly state: string;
  readonly codeChallenge: string;
}

interface StateRow {
  state_hash: string;
  instructor_id: number;
  session_hash: string;
  code_verifier_enc: string;
  expires_at: Date | string;
  used_at: Date | string | null;
}

/** Records a new consent request and returns its state and S256 challenge. */
export async function startConsent(ctx: AppContext, owner: ConsentOwner): Promise<StartedConsent> {
  const now = ctx.clock.now();
  const state = randomToken(32);
  const stateHash = sha256Hex(state);
  const verifier = createCodeVerifier();

  await ctx.db.query('DELETE FROM oauth_states WHERE expires_at < $1', [
    new Date(now.getTime() - 24 * 60 * 60_000),
  ]);
  await ctx.db.query(
    `INSERT INTO oauth_states
       (state_hash, instructor_id, session_hash, code_verifier_enc, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      stateHash,
      owner.instructorId,
      owner.sessionHash,
      ctx.vault.seal(verifier, verifierContext(stateHash)),
      now,
      new Date(now.getTime() + CONSENT_STATE_LIFETIME_MS),
    ],
  );

  return { state, codeChallenge: codeChallengeS256(verifier) };
}

/**
 * Checks a returned state and uses it up; resolves with the PKCE verifier. Throws
 * `OAUTH_STATE_MISSING`, `OAUTH_STATE_MISMATCH` (unknown, or another user's or session's),
 * `OAUTH_STATE_REUSED` or `OAUTH_STATE_EXPIRED`. Another owner's state is left untouched, so
 * nobody can burn a state they did not start.
 */
export async function consumeConsent(
  ctx: AppContext,
  state: string | undefined,
  owner: ConsentOwner,
): Promise<string> {
  if (state === undefined || state === '') {
    throw new AppError('OAUTH_STATE_MISSING', 'oauth state is missing');
  }
  const stateHash = sha256Hex(state);

  return ctx.db.transaction(async (tx) => {
    const row = await lockState(tx, stateHash);
    checkState(row, owner, ctx.clock.now());

    await tx.query('UPDATE oauth_states SET used_at = $2 WHERE state_hash = $1', [
      stateHash,
      ctx.clock.now(),
    ]);
    return ctx.vault.open(row.code_verifier_enc, verifierContext(stateHash));
  });
}

async function lockState(tx: Queryable, stateHash: string): Promise<StateRow | undefined> {
  const { rows } = await tx.query<StateRow>(
    `SELECT state_hash, instructor_id, session_hash, code_verifier_enc, expires_at, used_at
       FROM oauth_states WHERE state_hash = $1 FOR UPDATE`,
    [stateHash],
  );
  return rows[0];
}

function checkState(
  row: StateRow | undefined,
  owner: ConsentOwner,
  now: Date,
): asserts row is StateRow {
  if (!row) throw new AppError('OAUTH_STATE_MISMATCH', 'oauth state is unknown');

  if (row.instructor_id !== owner.instructorId || row.session_hash !== owner.sessionHash) {
    throw new AppError('OAUTH_STATE_MISMATCH', 'oauth state belongs to another sign-in');
  }
  if (row.used_at !== null) throw new AppError('OAUTH_STATE_REUSED', 'oauth state was used');
  if (new Date(row.expires_at).getTime() <= now.getTime()) {
    throw new AppError('OAUTH_STATE_EXPIRED', 'oauth state has expired');
  }
}

function verifierContext(stateHash: string): string {
  return secretContext('oauth_states', stateHash, 'code_verifier');
}
