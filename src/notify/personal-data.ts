/**
 * Students' email addresses and phone numbers are personal data: logs carry them masked, enough
 * to tell two recipients apart while reading a log, never enough to contact anyone.
 */

/** `j***@example.com` for `jane@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.charAt(0)}***${email.slice(at)}`;
}

/** `+1******0123` for `+14155550123`: country prefix and the last four digits only. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '***';
  return `${phone.slice(0, 2)}${'*'.repeat(phone.length - 6)}${phone.slice(-4)}`;
}

/** Masks a recipient of either channel. */
export function maskRecipient(channel: 'email' | 'sms', recipient: string): string {
  return channel === 'email' ? maskEmail(recipient) : maskPhone(recipient);
}
