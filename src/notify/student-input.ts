/**
 * Checks one student's details, from the API, the enrol form or a roster row, with the same
 * rules everywhere: a name, an email address, an optional phone in E.164 form, and SMS
 * consent only together with a phone.
 */
import type { FieldProblem } from '../errors/app-error.js';
import { normalizePhone } from './phone-number.js';

/** Details of a student to enrol, after checking. */
export interface StudentInput {
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly smsOptIn: boolean;
}

/** Raw details as they arrive. */
export interface RawStudent {
  readonly name?: unknown;
  readonly email?: unknown;
  readonly phone?: unknown;
  readonly smsOptIn?: unknown;
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** The checked student, or the fields at fault. */
export function checkStudent(raw: RawStudent): {
  student?: StudentInput;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  const email = typeof raw.email === 'string' ? raw.email.trim() : '';
  const phoneText = typeof raw.phone === 'string' ? raw.phone.trim() : '';
  const smsOptIn = raw.smsOptIn === true;

  if (name === '' || name.length > 200)
    problems.push({ field: 'name', message: 'must be 1 to 200 characters' });
  if (!EMAIL.test(email) || email.length > 254)
    problems.push({ field: 'email', message: 'must be an email address' });

  const phone = phoneText === '' ? null : (normalizePhone(phoneText) ?? undefined);
  if (phone === undefined)
    problems.push({ field: 'phone', message: 'must be in E.164 form, e.g. +14155550123' });
  if (raw.smsOptIn !== undefined && typeof raw.smsOptIn !== 'boolean') {
    problems.push({ field: 'smsOptIn', message: 'must be yes or no' });
  }
  if (smsOptIn && phone === null)
    problems.push({ field: 'smsOptIn', message: 'needs a phone number' });

  if (problems.length > 0 || phone === undefined) return { problems };
  return { student: { name, email, phone, smsOptIn }, problems };
}
