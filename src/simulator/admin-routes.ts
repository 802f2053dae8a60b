/**
 * The simulator's own JSON API under `/_sim/`: fault injection, users and settings, webhook
 * triggers, reset, and inspection (meetings, grants, requests, counters, deliveries).
 * It has no authentication: the simulator is a development and test tool, never a production
 * service, and the product refuses to run on it with NODE_ENV=production.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { adminIndexPage } from './admin-page.js';
import {
  simRouteNames,
  type QueuedFault,
  type RouteFaultRates,
  type SimRouteName,
} from './fault-injector.js';
import type { SimContext } from './sim-route.js';
import type { SimUser } from './user-directory.js';
import type { SimulatorSettings } from './zoom-simulator.js';

type Body = Record<string, unknown>;

const queuedKinds = ['error', 'rate_limit', 'latency', 'hang', 'lost_answer'];

function bodyOf(request: FastifyRequest): Body {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

function param(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? '';
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: message });
}

function routeName(request: FastifyRequest): SimRouteName | undefined {
  const name = param(request, 'route');
  return (simRouteNames as readonly string[]).includes(name) ? (name as SimRouteName) : undefined;
}

function registerFaultRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sim/faults', () => ({ routes: simRouteNames, faults: ctx.sim.faults.describe() }));
  app.put('/_sim/faults/:route', (request, reply) => {
    const route = routeName(request);
    if (!route) return badRequest(reply, `unknown route; one of ${simRouteNames.join(', ')}`);

    const { seed, ...rates } = bodyOf(request);
    ctx.sim.faults.set(
      route,
      rates as RouteFaultRates,
      typeof seed === 'number' ? seed : undefined,
    );
    return { faults: ctx.sim.faults.describe() };
  });
  app.post('/_sim/faults/:route/next', (request, reply) => {
    const route = routeName(request);
    const { count, ...fault } = bodyOf(request);
    if (!route) return badRequest(reply, `unknown route; one of ${simRouteNames.join(', ')}`);
    if (!queuedKinds.includes(String(fault.kind)))
      return badRequest(reply, `kind: one of ${queuedKinds.join(', ')}`);

    ctx.sim.faults.next(
      route,
      fault as unknown as QueuedFault,
      typeof count === 'number' ? count : 1,
    );
    return { faults: ctx.sim.faults.describe() };
  });
  app.delete('/_sim/faults', () => {
    ctx.sim.faults.clear();
    return { faults: {} };
  });
  app.post('/_sim/refresh-hold', (request, reply) => {
    const { ms, userId } = bodyOf(request);
    if (typeof ms !== 'number' || ms <= 0) return badRequest(reply, 'ms: a positive number');

    ctx.sim.refreshHold.start(ms, typeof userId === 'string' ? userId : undefined);
    return { held: true, ms, userId: userId ?? null };
  });
  app.delete('/_sim/refresh-hold', () => {
    ctx.sim.refreshHold.release();
    return { held: false };
  });
}

function registerUserRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sim/users', () => ({ users: ctx.sim.users.list() }));
  app.post('/_sim/users', (request, reply) => {
    const user = bodyOf(request);
    const required = ['id', 'account_id', 'email', 'first_name', 'last_name', 'type', 'timezone'];
    const missing = required.filter((name) => user[name] === undefined);
    if (missing.length > 0) return badRequest(reply, `missing: ${missing.join(', ')}`);

    return reply.code(201).send({ user: ctx.sim.upsertUser(user as unknown as SimUser) });
  });
  app.patch('/_sim/users/:userId', (request, reply) => {
    const id = param(request, 'userId');
    if (!ctx.sim.users.get(id)) return reply.code(404).send({ error: 'unknown user' });
    return { user: ctx.sim.upsertUser({ ...bodyOf(request), id }) };
  });
  app.get('/_sim/users/:userId/meetings', (request) => ({
    meetings: ctx.sim.meetingsOf(param(request, 'userId'), true),
  }));
  app.post('/_sim/users/:userId/deauthorize', async (request, reply) => {
    const delivery = await ctx.sim.deauthorize(param(request, 'userId'));
    if (!delivery) return reply.code(404).send({ error: 'user has no live grant' });
    return { delivery };
  });
}

function registerSettingRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sim/config', () => {
    // Secrets, the logger and the clock are left out on purpose.
    const hidden = new Set(['logger', 'now', 'clientSecret', 'webhookSecretToken']);
    const shown = Object.entries(ctx.sim.config).filter(([name]) => !hidden.has(name));
    return { config: Object.fromEntries(shown) };
  });
  app.put('/_sim/config', (request) => {
    ctx.sim.configure(bodyOf(request) as SimulatorSettings);
    return { ok: true };
  });
  app.post('/_sim/tokens/expire', () => ({ expired: ctx.sim.expireAccessTokens() }));
  app.post('/_sim/webhooks/url-validation', async () => ({
    delivery: await ctx.sim.triggerUrlValidation(),
  }));
  app.post('/_sim/reset', () => {
    ctx.sim.reset();
    return { reset: true };
  });
}

function registerInspectionRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sim/', (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(adminIndexPage(ctx)),
  );
  app.get('/_sim/meetings', () => {
    const users = ctx.sim.users.list();
    return {
      meetings: Object.fromEntries(
        users.map((user) => [user.id, ctx.sim.meetingsOf(user.id, true)]),
      ),
    };
  });
  app.get('/_sim/grants', () => ({ grants: ctx.sim.grantList(true) }));
  app.get('/_sim/requests', (request) => {
    const route = (request.query as Record<string, string | undefined>).route;
    return { requests: ctx.sim.requests(route) };
  });
  app.get('/_sim/counters', () => ({ counters: ctx.sim.counters() }));
  app.get('/_sim/webhooks/deliveries', () => ({ deliveries: ctx.sim.webhookDeliveries() }));
}

/** Registers the `/_sim/` admin API and the inspection page. */
export function registerAdminRoutes(app: FastifyInstance, ctx: SimContext): void {
  registerFaultRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerSettingRoutes(app, ctx);
  registerInspectionRoutes(app, ctx);
}
