/** Users: the people who sign in, with one role each. */
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isUniqueViolation } from '../db/translate-error.js';
import { hashPassword } from './passwords.js';

/** The roles of the product. */
export const roles = ['admin', 'staff', 'instructor'] as const;
export type Role = (typeof roles)[number];

/** A user as the product uses it; the password hash stays in the store. */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

interface UserRow extends User {
  readonly password_hash: string;
}

/** Input of `createUser`. */
export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly password: string;
}

/** Creates a user; `CONFLICT` when the email is taken. */
export async function createUser(db: Queryable, input: NewUser): Promise<User> {
  const problems = checkNewUser(input);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'user is invalid', { fields: problems });
  }

  const passwordHash = await hashPassword(input.password);
  try {
    const { rows } = await db.query<User>(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
       RETURNING id, email, name, role`,
      [input.email.trim(), input.name.trim(), input.role, passwordHash],
    );
    return rows[0] as User;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError('CONFLICT', 'email is already taken', {
      fields: [{ field: 'email', message: 'already taken' }],
    });
  }
}

function checkNewUser(input: NewUser): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) {
    problems.push({ field: 'email', message: 'must be an email address' });
  }
  if (input.name.trim() === '') problems.push({ field: 'name', message: 'must not be empty' });
  if (!roles.includes(input.role)) {
    problems.push({ field: 'role', message: `must be one of ${roles.join(', ')}` });
  }
  return problems;
}

/** The user with `email` and their password hash, or undefined. */
export async function findUserForLogin(
  db: Queryable,
  email: string,
): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<UserRow>(
    'SELECT id, email, name, role, password_hash FROM users WHERE lower(email) = lower($1)',
    [email.trim()],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
  };
}

/** The user with `email`, or undefined. */
export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(
    'SELECT id, email, name, role FROM users WHERE lower(email) = lower($1)',
    [email.trim()],
  );
  return rows[0];
}

/** The user with `id`, or undefined. */
export async function findUserById(db: Queryable, id: number): Promise<User | undefined> {
  const { rows } = await db.query<User>('SELECT id, email, name, role FROM users WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

/** Users with one of `wanted` roles, by name. */
export async function listUsersByRole(db: Queryable, wanted: readonly Role[]): Promise<User[]> {
  const { rows } = await db.query<User>(
    'SELECT id, email, name, role FROM users WHERE role = ANY($1) ORDER BY name, id',
    [wanted],
  );
  return rows;
}
