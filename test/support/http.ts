/** Small helpers for driving the product over real HTTP as a browser would. */
import { createUser, type NewUser, type User } from '../../src/auth/user-store.js';
import type { TestApp } from './test-app.js';

/** A cookie jar holding the cookies of one browser. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  /** Sends a request with the jar's cookies and keeps the cookies it sets. Never follows redirects. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  /** GETs a page and returns its HTML. */
  async page(path: string): Promise<{ response: Response; html: string }> {
    const response = await this.request(path);
    return { response, html: await response.text() };
  }

  /** Posts a form; `_csrf` is filled from the page at `formPath` when not given. */
  async postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Signs in through the login form; returns the POST's answer. */
  async signIn(email: string, password: string): Promise<Response> {
    const { html } = await this.page('/login');
    return this.postForm('/login', { email, password, _csrf: csrfFrom(html) });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private store(line: string): void {
    const [pair] = line.split(';');
    const index = pair?.indexOf('=') ?? -1;
    if (!pair || index < 0) return;
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The CSRF token in a page's first `_csrf` field. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error('page has no csrf field');
  return match[1];
}

/** Creates a user with a known password. */
export async function seedUser(
  app: TestApp,
  overrides: Partial<NewUser> & Pick<NewUser, 'role'>,
): Promise<User & { password: string }> {
  const password = overrides.password ?? 'correct horse battery staple';
  const user = await createUser(app.ctx.db, {
    email:
      overrides.email ?? `${overrides.role}-${Math.random().toString(36).slice(2, 8)}@example.test`,
    name: overrides.name ?? `Test ${overrides.role}`,
    role: overrides.role,
    password,
  });
  return { ...user, password };
}

/** A browser signed in as a new user of `role`. */
export async function signedIn(app: TestApp, role: NewUser['role'], name?: string) {
  const user = await seedUser(app, { role, ...(name ? { name } : {}) });
  const browser = new Browser(app.url);
  const answer = await browser.signIn(user.email, user.password);
  if (answer.status !== 303) throw new Error(`sign-in failed with ${answer.status}`);
  return { browser, user };
}
