/**
 * The frame every simulated Zoom call runs in: injected faults first (latency, errors, 429s,
 * hangs), then the route's work, then either the answer or, for a lost answer, a dropped
 * connection after the work is done. Also records each call in the request log.
 */
import type { Socket } from 'node:net';

import type { FastifyReply, FastifyRequest } from 'fastify';

import type { FaultAction, SimRouteName } from './fault-injector.js';
import type { ZoomSimulator } from './zoom-simulator.js';

/** What a route answers: a status, an optional JSON body and headers. */
export interface SimAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** What the route modules share. */
export interface SimContext {
  readonly sim: ZoomSimulator;
  /** The mount prefix, e.g. `/zoom-simulator`, or an empty string. */
  readonly prefix: string;
  /** Sockets held open by hang faults, destroyed when the server closes. */
  readonly hanging: Set<Socket>;
}

/** The simulator's base URL as the caller sees it (OAuth base; REST is this plus `/v2`). */
export function baseUrlOf(ctx: SimContext, request: FastifyRequest): string {
  return ctx.sim.config.publicUrl ?? `${request.protocol}://${request.host}${ctx.prefix}`;
}

/** A Zoom REST error answer. */
export function zoomError(status: number, code: number, message: string, extra = {}): SimAnswer {
  return { status, body: { code, message, ...extra } };
}

/** The simulated route of a call and the fault injected into it. */
export interface SimCall {
  readonly route: SimRouteName;
  readonly fault: string | null;
}

const requestStarts = new WeakMap<FastifyRequest, number>();
const simCalls = new WeakMap<FastifyRequest, SimCall>();

/** The simulated route and fault of a request, if it reached a simulated route. */
export function simCallOf(request: FastifyRequest): SimCall | undefined {
  return simCalls.get(request);
}

/** Notes when a request arrived, for the logged duration. */
export function markRequestStart(request: FastifyRequest): void {
  requestStarts.set(request, performance.now());
}

/** Adds a request to the simulator's log. */
export function logRequest(
  ctx: SimContext,
  request: FastifyRequest,
  status: number | null,
  route: string | null,
  fault: string | null,
): void {
  const started = requestStarts.get(request) ?? performance.now();
  const path = request.url.split('?')[0] ?? '';
  ctx.sim.requestLog.add({
    at: new Date(ctx.sim.config.now()).toISOString(),
    method: request.method,
    path: path.startsWith(ctx.prefix) ? path.slice(ctx.prefix.length) : path,
    status,
    route,
    fault,
    durationMs: Math.round(performance.now() - started),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Drops the connection without an answer; the caller sees a reset socket. */
function dropConnection(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.socket?.destroy();
}

async function hang(ctx: SimContext, request: FastifyRequest, ms: number | null): Promise<void> {
  const socket = request.raw.socket;
  ctx.hanging.add(socket);
  await new Promise<void>((resolve) => {
    const timer = ms === null ? undefined : setTimeout(resolve, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  ctx.hanging.delete(socket);
}

/** The answer an injected error gives: JSON from the API for 500, a gateway page otherwise. */
function injectedError(status: number): SimAnswer {
  if (status === 500) return zoomError(500, 500, 'Internal server error.');
  return { status, body: `<html><body><h1>${status}</h1><p>Gateway error.</p></body></html>` };
}

function injectedRateLimit(): SimAnswer {
  const message =
    'You have reached the maximum per-second rate limit for this API. Try again later.';
  return {
    ...zoomError(429, 429, message),
    headers: {
      'X-RateLimit-Category': 'Light',
      'X-RateLimit-Type': 'QPS',
      'X-RateLimit-Limit': '30',
      'X-RateLimit-Remaining': '0',
      'Retry-After': '1',
    },
  };
}

/** Sends a route's answer. */
export function send(reply: FastifyReply, answer: SimAnswer): FastifyReply {
  reply.code(answer.status).headers(answer.headers ?? {});
  if (answer.body === undefined) return reply.send();
  if (typeof answer.body === 'string')
    return reply.type('text/html; charset=utf-8').send(answer.body);
  return reply.type('application/json;charset=UTF-8').send(answer.body);
}

async function answerFault(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  action: FaultAction,
): Promise<boolean> {
  if (action.kind === 'error') send(reply, injectedError(action.status));
  else if (action.kind === 'rate_limit') send(reply, injectedRateLimit());
  else if (action.kind === 'hang') {
    reply.hijack();
    await hang(ctx, request, action.ms);
    request.raw.socket.destroy();
    logRequest(ctx, request, null, simCallOf(request)?.route ?? null, 'hang');
  } else return false;

  return true;
}

/** Runs a simulated Zoom call with its faults; `route` names it for faults and the log. */
export async function runSimRoute(
  ctx: SimContext,
  route: SimRouteName,
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => SimAnswer | Promise<SimAnswer>,
): Promise<FastifyReply | void> {
  const decision = ctx.sim.faults.decide(route);
  simCalls.set(request, {
    route,
    fault: decision.action.kind === 'none' ? null : decision.action.kind,
  });
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (await answerFault(ctx, request, reply, decision.action)) return reply;

  const answer = await work();
  if (decision.action.kind !== 'lost_answer') return send(reply, answer);

  // The change is made; only the answer is lost, as when a connection breaks mid-reply.
  dropConnection(reply);
  logRequest(ctx, request, null, route, 'lost_answer');
}
