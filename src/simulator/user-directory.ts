/** A simulated Zoom user; each one owns its own Zoom account (user-managed app). */
export interface SimUser {
  readonly id: string;
  readonly account_id: string;
  readonly email: string;
  readonly first_name: string;
  readonly last_name: string;
  /** Zoom plan type: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None. */
  readonly type: number;
  readonly timezone: string;
  readonly display_name?: string;
  readonly pmi?: number;
  readonly language?: string;
}

/** The body of `GET /v2/users/me`: more than the product needs, as Zoom's is. */
export type SimUserProfile = Record<string, unknown>;

/** The simulated Zoom users, by id and by email. */
export class UserDirectory {
  readonly #users = new Map<string, SimUser>();

  constructor(users: readonly SimUser[]) {
    for (const user of users) this.#users.set(user.id, user);
  }

  /** Every user, in the order they were added. */
  list(): SimUser[] {
    return [...this.#users.values()];
  }

  /** The user with this id, or undefined. */
  get(id: string): SimUser | undefined {
    return this.#users.get(id);
  }

  /** The user with this id or login email (Zoom accepts either as `userId`). */
  find(idOrEmail: string): SimUser | undefined {
    const byId = this.#users.get(idOrEmail);
    if (byId) return byId;

    const email = idOrEmail.toLowerCase();
    return this.list().find((user) => user.email.toLowerCase() === email);
  }

  /** Adds a user, or replaces the fields given for an existing one; returns the result. */
  upsert(user: Partial<SimUser> & { id: string }): SimUser {
    const merged = { ...this.#users.get(user.id), ...user } as SimUser;
    this.#users.set(merged.id, merged);
    return merged;
  }
}

/** Derives a stable personal meeting ID from the user id, so profiles never change between calls. */
function personalMeetingId(userId: string): number {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) % 9_000_000_000;
  return 1_000_000_000 + hash;
}

/** Shapes a user as Zoom's "Get a user" answers it. */
export function userProfile(user: SimUser, createdAt: string): SimUserProfile {
  return {
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    display_name: user.display_name ?? `${user.first_name} ${user.last_name}`,
    email: user.email,
    type: user.type,
    role_name: 'Owner',
    pmi: user.pmi ?? personalMeetingId(user.id),
    use_pmi: false,
    personal_meeting_url: `https://zoom.us/j/${user.pmi ?? personalMeetingId(user.id)}`,
    timezone: user.timezone,
    verified: 1,
    dept: '',
    created_at: createdAt,
    last_login_time: createdAt,
    pic_url: '',
    language: user.language ?? 'en-US',
    phone_number: '',
    status: 'active',
    role_id: '0',
    account_id: user.account_id,
    account_number: 10_000_000 + (personalMeetingId(user.account_id) % 90_000_000),
    cluster: 'us06',
    user_created_at: createdAt,
  };
}
