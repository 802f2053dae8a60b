/**
 * The granular OAuth scopes the product needs from each instructor's Zoom account. Zoom takes the
 * scopes from the app's Marketplace configuration, not from the authorize URL, so the product can
 * only check what was granted after the code exchange and name what is missing.
 */

/** One scope the product asks for, with the words shown to the instructor. */
export interface RequiredZoomScope {
  readonly scope: string;
  readonly description: string;
}

/** The five scopes, in the order the consent card lists them. */
export const REQUIRED_ZOOM_SCOPES: readonly RequiredZoomScope[] = Object.freeze([
  { scope: 'user:read:user', description: 'read your Zoom profile (name, email, account type)' },
  { scope: 'meeting:write:meeting', description: 'create new meetings on your account' },
  { scope: 'meeting:read:meeting', description: "read back a meeting's details" },
  { scope: 'meeting:update:meeting', description: "update a meeting's time or title" },
  { scope: 'meeting:delete:meeting', description: 'delete a meeting' },
]);

/** Splits Zoom's `scope` answer (space-separated; commas tolerated) into scope names. */
export function parseScopeString(granted: string): string[] {
  return granted.split(/[\s,]+/).filter((scope) => scope.length > 0);
}

/** The required scopes absent from a granted scope string, in the order of the list above. */
export function missingScopes(grantedScopeString: string): string[] {
  const granted = new Set(parseScopeString(grantedScopeString));

  return REQUIRED_ZOOM_SCOPES.map((entry) => entry.scope).filter((scope) => !granted.has(scope));
}

/** The human description of a required scope, or undefined for a scope we do not ask for. */
export function describeScope(scope: string): string | undefined {
  return REQUIRED_ZOOM_SCOPES.find((entry) => entry.scope === scope)?.description;
}
