/**
 * Connects an instructor to a simulated Zoom user the way a person does, over real HTTP:
 * GET /zoom/connect, the simulator's consent page, Allow (or Deny), then Zoom's redirect to
 * /callback/. Other modules' tests use `connectInstructor`; its signature stays stable.
 */
import type { User } from '../../src/auth/user-store.js';
import { defaultSimUsers } from '../../src/simulator/index.js';
import { Browser, seedUser } from './http.js';
import type { ZoomStack } from './zoom-fixture.js';

/** A signed-in instructor linked to a Zoom user. */
export interface ConnectedInstructor {
  readonly browser: Browser;
  readonly user: User & { password: string };
  readonly zoomUserId: string;
}

/** Options of `connectInstructor`. */
export interface ConnectOptions {
  /** The simulated Zoom user to allow as; the simulator's first user by default. */
  readonly zoomUserId?: string;
  /** An existing instructor (with password) to sign in as; a new one otherwise. */
  readonly instructor?: User & { password: string };
}

/** Signs an instructor in and runs the consent flow; fails unless it ends on the dashboard. */
export async function connectInstructor(
  stack: ZoomStack,
  options: ConnectOptions = {},
): Promise<ConnectedInstructor> {
  const user = options.instructor ?? (await seedUser(stack.app, { role: 'instructor' }));
  const browser = new Browser(stack.app.url);
  const signIn = await browser.signIn(user.email, user.password);
  if (signIn.status !== 303) throw new Error(`sign-in answered ${signIn.status}`);

  const zoomUserId =
    options.zoomUserId ?? stack.zoom.simulator.users.list()[0]?.id ?? defaultSimUsers[0]!.id;
  const callback = await consentAs(stack, browser, zoomUserId, 'allow');
  const location = callback.headers.get('location') ?? '';
  if (callback.status !== 303 || !location.startsWith('/dashboard/?zoom=connected')) {
    throw new Error(`callback answered ${callback.status}: ${await callback.text()}`);
  }
  return { browser, user, zoomUserId };
}

/**
 * Starts consent from `browser`, decides on the simulator's consent page as `zoomUserId`, and
 * delivers Zoom's redirect to the product; returns the product's answer to /callback/.
 */
export async function consentAs(
  stack: ZoomStack,
  browser: Browser,
  zoomUserId: string,
  decision: 'allow' | 'deny',
): Promise<Response> {
  const consentUrl = await startConnect(browser);
  const redirect = await decideOnConsentPage(consentUrl, zoomUserId, decision);

  return followToProduct(stack.app.url, browser, redirect);
}

/** GET /zoom/connect; returns the authorize URL it redirects to. */
export async function startConnect(browser: Browser): Promise<URL> {
  const answer = await browser.request('/zoom/connect');
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location)
    throw new Error(`/zoom/connect answered ${answer.status}`);
  return new URL(location);
}

/** Opens the consent page, submits its form, returns Zoom's redirect back to the product. */
export async function decideOnConsentPage(
  consentUrl: URL,
  zoomUserId: string,
  decision: 'allow' | 'deny',
): Promise<URL> {
  const page = await fetch(consentUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);

  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(match[1] ?? '', unescapeHtml(match[2] ?? ''));
  }
  fields.set('user_id', zoomUserId);
  fields.set('decision', decision);

  const answer = await fetch(new URL(unescapeHtml(action), consentUrl), {
    method: 'POST',
    body: fields,
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}`);
  return new URL(location);
}

/** Delivers Zoom's redirect (an absolute URL on the product) through the browser's jar. */
export function followToProduct(
  productUrl: string,
  browser: Browser,
  redirect: URL,
): Promise<Response> {
  if (redirect.origin !== new URL(productUrl).origin) {
    throw new Error(`zoom redirected to another origin: ${redirect.origin}`);
  }
  return browser.request(redirect.pathname + redirect.search);
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
