/**
 * A small real HTTP server on 127.0.0.1 port 0 that answers as a test scripts it, for the Zoom
 * fault shapes that need exact bodies and headers. Every request is recorded with its raw body.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Answers one request; may hang or destroy the socket to simulate faults. */
export type Responder = (request: FastifyRequest, reply: FastifyReply, index: number) => unknown;

/** A running scripted server. */
export interface LocalZoomServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server whose every route is answered by `respond`. */
export async function startLocalZoomServer(respond: Responder): Promise<LocalZoomServer> {
  const app = Fastify({ forceCloseConnections: true });
  const requests: SeenRequest[] = [];

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.all('/*', async (request, reply) => {
    const index = requests.length;
    requests.push({
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      body: typeof request.body === 'string' ? request.body : '',
    });
    return respond(request, reply, index);
  });

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, requests, close: () => app.close() };
}

/** Answers with a JSON body, as Zoom does. */
export function sendJson(
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return reply.code(status).headers(headers).type('application/json').send(JSON.stringify(body));
}

/** Closes the socket without an answer, as a dropped connection looks to the client. */
export function dropConnection(request: FastifyRequest, reply: FastifyReply) {
  request.raw.socket.destroy();
  return reply.hijack();
}

/** Never answers within any test timeout. */
export async function hang(reply: FastifyReply) {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return reply.code(500).send();
}

/** A pino logger writing into an array, so tests can search the logs for secrets. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });

  return { logger, lines };
}
