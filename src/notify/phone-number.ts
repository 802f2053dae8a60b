/**
 * Phone numbers for SMS, in E.164 form (`+` then country code and number, at most 15 digits).
 * Spaces, dashes, dots and parentheses people type are dropped; a number without its country
 * code is refused rather than guessed, because a wrong guess texts a stranger.
 */

const E164 = /^\+[1-9]\d{7,14}$/;

/** The number in E.164 form, or undefined when it is not a valid international number. */
export function normalizePhone(input: string): string | undefined {
  const compact = input.trim().replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}
