import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProductRoutes } from '../../src/web/build-app.js';
import { signedIn } from '../support/http.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';

// Routes anyone may call: sign-in, health, Zoom's own callbacks (each checks its own proof: the
// OAuth state bound to a session, the webhook signature), the API description and assets.
const publicRoutes = new Set([
  'GET /',
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /healthz',
  'GET /callback/',
  'POST /webhooks/zoom',
  'GET /api/openapi.json',
  'HEAD /',
  'HEAD /login',
  'HEAD /healthz',
  'HEAD /callback/',
  'HEAD /api/openapi.json',
]);

/** Which roles a route admits, by where it lives. */
function rolesFor(url: string): string[] {
  if (url.startsWith('/dashboard') || url.startsWith('/zoom/')) return ['instructor'];
  return ['staff', 'admin'];
}

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x');
}

/** A route that only adds the trailing slash guards nothing itself. */
function isSlashRedirect(response: Response, url: string): boolean {
  return response.status === 301 && response.headers.get('location') === `${url}/`;
}

let stack: ZoomStack;
let routes: { method: string; url: string }[];

beforeAll(async () => {
  stack = await startZoomStack({ workers: false });
  routes = listProductRoutes(stack.app.app).filter(
    (r) =>
      !publicRoutes.has(`${r.method} ${r.url}`) && r.method !== 'HEAD' && r.method !== 'OPTIONS',
  );
});

afterAll(async () => {
  await stack?.close();
});

describe('every route', () => {
  it('is listed (the guard test sees the real route table)', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('turns away callers who are not signed in', async () => {
    for (const route of routes) {
      const response = await fetch(`${stack.app.url}${concrete(route.url)}`, {
        method: route.method,
        redirect: 'manual',
        ...(route.method === 'GET'
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      const where = `${route.method} ${route.url}`;
      if (isSlashRedirect(response, route.url)) continue;
      if (route.url.startsWith('/api/')) expect(response.status, where).toBe(401);
      else expect([303, 401, 403], where).toContain(response.status);
    }
  });

  it('turns away signed-in users whose role the route does not admit', async () => {
    const people = {
      instructor: await signedIn(stack.app, 'instructor'),
      staff: await signedIn(stack.app, 'staff'),
    };
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const allowed = rolesFor(route.url);
      const outsider = allowed.includes('instructor') ? people.staff : people.instructor;
      const response = await outsider.browser.request(concrete(route.url));
      if (isSlashRedirect(response, route.url)) continue;
      expect(response.status, `${outsider.user.role} on GET ${route.url}`).toBe(403);
    }
  });
});
